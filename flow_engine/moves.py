"""Move a running workflow onto another version's spec, in place (``Flow.move_to``).

Every task takes its counterpart in the new spec (same BPMN id, or the id a mapping gives
a renamed node); finished tasks without one leave the path; the waiting tasks are then
re-predicted from the new spec, keeping their ids so the people's seats stay valid. If any
task is left without a counterpart the move is refused and the caller keeps the old state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.util.task import TaskState

from engine_errors import ValidationError

KINDS = {  # what the engine calls a node's type -> its BPMN element
    "UserTask": "userTask",
    "ServiceTask": "serviceTask",
    "ExclusiveGateway": "exclusiveGateway",
    "ParallelGateway": "parallelGateway",
    "StartEvent": "startEvent",
    "EndEvent": "endEvent",
    "IntermediateCatchEvent": "intermediateCatchEvent",
    "BoundaryEvent": "boundaryEvent",
}


@dataclass(frozen=True)
class Position:
    """A node a running instance waits at."""

    task_id: str
    node_id: str
    node_name: str
    node_type: str  # the BPMN element (userTask, parallelGateway, ...)


class MoveRefused(ValidationError):
    """This instance cannot move to that version (the reason says why)."""

    code = "migration_refused"


def positions(workflow: Any) -> list[Position]:
    """The nodes the workflow waits at: its BPMN tasks that are ready, waiting or running."""
    found = []
    for task in workflow.tasks.values():
        spec = task.task_spec
        node_id = getattr(spec, "bpmn_id", None)
        if node_id and task.has_state(TaskState.WAITING | TaskState.READY | TaskState.STARTED):
            kind = KINDS.get(type(spec).__name__, type(spec).__name__)
            found.append(Position(str(task.id), node_id, spec.bpmn_name or node_id, kind))
    return sorted(found, key=lambda p: (p.node_id, p.task_id))


def _unlink(workflow: Any, task: Any) -> None:
    """Take a finished task out of the tree, handing its children to its parent."""
    parent = task.parent
    at = parent._children.index(task.id)
    parent._children[at : at + 1] = task._children
    for child in task.children:
        child._parent = parent.id
    del workflow.tasks[task.id]


def move(workflow: Any, spec: Any, mapping: Mapping[str, str]) -> None:
    """Put ``workflow`` on ``spec`` in place; raises ``MoveRefused`` when it cannot."""
    targets = {}
    for task in workflow.tasks.values():
        name = task.task_spec.name
        targets[task.id] = spec.task_specs.get(mapping.get(name, name))
    waiting = TaskState.WAITING | TaskState.READY | TaskState.STARTED
    missing = sorted(
        {
            t.task_spec.name
            for t in workflow.tasks.values()
            if not targets[t.id] and t.has_state(waiting)
        }
    )
    if missing:  # checked before anything changes
        raise MoveRefused(
            f"The instance waits at {', '.join(missing)}, which the new version does not have."
        )
    for task in list(workflow.tasks.values()):
        if targets[task.id] is None and task.has_state(TaskState.FINISHED_MASK):
            if task is workflow.task_tree:
                raise MoveRefused("The new version has no root; it cannot take this instance.")
            _unlink(workflow, task)
    for task in workflow.tasks.values():
        if targets[task.id] is not None:
            task.task_spec = targets[task.id]
    workflow.spec = spec
    for task in list(workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)):
        if task.id in workflow.tasks:
            task.reset_branch(None)
    stranded = sorted(
        {
            t.task_spec.name
            for t in workflow.tasks.values()
            if spec.task_specs.get(t.task_spec.name) is not t.task_spec
        }
    )
    if stranded:
        raise MoveRefused(
            f"The instance is at {', '.join(stranded)}, which the new version does not have."
        )
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = None
