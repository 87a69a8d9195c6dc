"""Keep a running workflow's state small: prune what is finished and no longer matters.

SpiffWorkflow keeps every task it ever ran in one tree, so a flow that loops back through
a gateway grows by a few tasks per round and every save and load re-serializes the whole
past. ``prune`` cuts the finished past out of the tree after each step, keeping only what
the engine may still read:

- everything below the lowest common ancestor of the unfinished tasks (open parallel
  branches and the tokens a parallel join is waiting for stay untouched);
- that ancestor's parent (a task waiting to run copies its data from its parent);
- the root, and on the path from the root down to that ancestor the latest completed
  occurrence of each user task (with its boundary events), so a flow can still be
  returned to any earlier step.

Kept tasks on that path are chained directly to one another. The pruned tasks that had
completed are handed back as ``Passed`` steps for the caller to store once (the path
taken); they are never loaded or serialized again. Nothing here knows about databases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.defaults import UserTask
from SpiffWorkflow.util.task import TaskState


@dataclass(frozen=True)
class Passed:
    """A completed task that left the live state: one step of the path taken."""

    task_id: str
    node_id: str
    node_type: str
    finished_at: float  # seconds since the epoch, as the engine recorded it


def _path(task) -> list:
    path = []
    while task is not None:
        path.append(task)
        task = task.parent
    path.reverse()
    return path


def _subtree(task) -> list:
    found, stack = [], [task]
    while stack:
        task = stack.pop()
        found.append(task)
        stack.extend(task.children)
    return found


def _common_prefix(paths: list[list]) -> list:
    prefix = paths[0]
    for path in paths[1:]:
        size = 0
        for mine, theirs in zip(prefix, path, strict=False):
            if mine is not theirs:
                break
            size += 1
        prefix = prefix[:size]
    return prefix


def _spine(chain: list) -> tuple[list, dict]:
    """The tasks of ``chain`` (root first, the common ancestor last) that must stay, and
    for a kept user task with boundary events, its split's other children to keep."""
    keep = [chain[-1]]
    if len(chain) > 1:
        keep.append(chain[-2])
    leaves: dict = {}
    seen = set()
    for task in reversed(chain[1:-2]):
        spec = task.task_spec
        if isinstance(spec, UserTask) and task.state == TaskState.COMPLETED:
            if spec.name not in seen:
                seen.add(spec.name)
                keep.append(task)
                split = task.parent
                if isinstance(split.task_spec, BoundaryEventSplit):
                    # Going back to this task resets its boundary events (e.g. a timeout) too.
                    keep.append(split)
                    leaves[split.id] = [c for c in split.children if c.id != task.id]
    keep.append(chain[0])
    keep.reverse()
    return list(dict.fromkeys(keep)), leaves  # in chain order, once each


def prune(workflow: Any) -> list[Passed]:
    """Drop the finished past of ``workflow`` (in place); the completed steps dropped."""
    live = [t for t in workflow.tasks.values() if not t.has_state(TaskState.FINISHED_MASK)]
    if not live:
        return []
    chain = _common_prefix([_path(t) for t in live])
    spine, leaves = _spine(chain)
    if len(spine) == len(chain):
        return []
    kept = {t.id for t in spine} | {t.id for group in leaves.values() for t in group}
    on_chain = {t.id for t in chain}
    dropped = []
    for task in chain[:-1]:
        if task.id not in kept:
            dropped.append(task)
        for child in task.children:  # finished side branches hang off the chain
            if child.id not in on_chain:
                dropped.extend(_subtree(child))
    for parent, child in zip(spine, spine[1:], strict=False):
        stay = {child.id} | {t.id for t in leaves.get(parent.id, ())}
        parent._children = [c for c in parent._children if c in stay] or [child.id]
        if child.id not in parent._children:
            parent._children.insert(0, child.id)
        child._parent = parent.id
    for group in leaves.values():
        for leaf in group:
            leaf._children = []
    passed = []
    for task in dropped:
        if task.id in kept:
            continue
        workflow.tasks.pop(task.id, None)
        spec = task.task_spec
        node_id = getattr(spec, "bpmn_id", None)
        if task.state == TaskState.COMPLETED and node_id:
            passed.append(
                Passed(str(task.id), node_id, type(spec).__name__, task.last_state_change)
            )
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = chain[-1]
    passed.sort(key=lambda p: p.finished_at)
    return passed


def completed(workflow: Any) -> list[Passed]:
    """The completed BPMN steps still held in the live state, oldest first."""
    steps = [
        Passed(str(t.id), t.task_spec.bpmn_id, type(t.task_spec).__name__, t.last_state_change)
        for t in workflow.tasks.values()
        if t.state == TaskState.COMPLETED and getattr(t.task_spec, "bpmn_id", None)
    ]
    return sorted(steps, key=lambda p: p.finished_at)
