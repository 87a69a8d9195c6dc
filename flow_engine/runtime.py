"""Running flows: the only code that touches SpiffWorkflow's workflow objects.

A ``Flow`` wraps one instance's workflow for the length of one use case: start it or load
its saved state, act on it (complete a user task, return to the previous user task,
cancel), let the engine run until people must act, and dump the state as JSON for the
caller to store. The caller stores that JSON with optimistic locking and mirrors the
waiting user tasks into its own table; nothing here knows about databases. Service tasks
named in ``hold`` wait, like people, until the caller has performed their action
(``held``, ``finish_service``); timer events wait until the caller fires them
(``timers``, ``fire_timer``) from its table of due timers.

The state excludes the process spec: it lives once per flow version (``dump_spec``) and is
put back on load, so a running instance stays on the version it started with. Task data
holds no record values: conditions read the record through the script engine. ``dump``
first prunes the finished past (``flow_engine.state``): the state holds only the live part,
and the completed steps it dropped wait in ``passed`` for the caller to store once.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter
from SpiffWorkflow.bpmn.specs.defaults import ServiceTask, UserTask
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from engine_errors import Conflict, ValidationError
from flow_engine.moves import MoveRefused, Position, move, positions
from flow_engine.script_engine import DECISION, ExpressionEngine, RefusedScript
from flow_engine.state import Passed, completed, prune

# SpiffWorkflow's default serializer knows every spec we allow but the plain service task.
_CONFIG = {**DEFAULT_CONFIG, ServiceTask: BpmnTaskSpecConverter}
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_CONFIG))
MAX_ENGINE_ROUNDS = 1000


def dump_spec(spec: Any) -> str:
    """A parsed process spec as JSON, stored once per flow version."""
    return json.dumps(SERIALIZER.to_dict(spec))


@lru_cache(maxsize=128)
def _load_spec(spec_json: str) -> Any:
    """A version's spec is immutable and never changed by running it: parse it once."""
    return SERIALIZER.from_dict(json.loads(spec_json))


@lru_cache(maxsize=128)
def has_timer_events(spec_json: str) -> bool:
    """Whether a version's process holds a timer event (a delay or a boundary timer)."""
    specs = _load_spec(spec_json).task_specs.values()
    return any(
        isinstance(getattr(s, "event_definition", None), TimerEventDefinition) for s in specs
    )


def _restore(spec: Any, dct: dict) -> BpmnWorkflow:
    """SpiffWorkflow's own restore of a workflow, with the (shared, parsed) spec given."""
    registry = SERIALIZER.registry
    workflow = BpmnWorkflow(spec, {}, deserializing=True)
    workflow.tasks = {
        UUID(k): registry.restore(v, workflow=workflow) for k, v in dct["tasks"].items()
    }
    workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
    workflow.success = dct["success"]
    workflow.completed = dct.get("completed", False)
    workflow.correlations = dct.get("correlations", {})
    if isinstance(dct.get("last_task"), str):
        workflow.last_task = workflow.tasks.get(UUID(dct["last_task"]))
    workflow.data = registry.restore(dct.get("data", {}))
    workflow.bpmn_events = registry.restore(dct.get("bpmn_events", []))
    return workflow


@dataclass(frozen=True)
class Facts:
    """What conditions read: the bound record's values, its field types, the tenant's date."""

    record: Mapping[str, Any]
    fields: Mapping[str, str]
    today: date

    def engine(self) -> ExpressionEngine:
        return ExpressionEngine(self.record, self.fields, self.today)


@dataclass(frozen=True)
class Timer:
    """A timer event waiting until ``due`` (ISO 8601 UTC)."""

    task_id: str
    node_id: str
    due: str | None


@dataclass(frozen=True)
class Waiting:
    """A user task waiting for people."""

    task_id: str
    node_id: str
    node_name: str


class FlowError(ValidationError):
    """The flow cannot go on as designed (e.g. no gateway branch matches the record)."""

    code = "flow_error"


def _engine_failure(exc: Exception) -> FlowError:
    if isinstance(exc, RefusedScript):
        return FlowError(f"Refused: {exc}")
    if isinstance(exc, ValidationError):
        return FlowError(f"A condition of this flow cannot be evaluated: {exc.message}")
    if isinstance(exc, WorkflowException):
        return FlowError(f"The flow cannot continue: {exc}")
    return FlowError(f"The flow cannot continue: {type(exc).__name__}: {exc}")


class Flow:
    """One instance's workflow during one use case."""

    def __init__(self, workflow: BpmnWorkflow, hold: Collection[str] = ()) -> None:
        self._workflow = workflow
        self.hold = frozenset(hold)  # service tasks that wait for their action (``held``)
        self.fired: list[str] = []  # service task node ids run since the last ``advance``
        self.passed: list[Passed] = []  # completed steps pruned from the state by ``dump``

    @classmethod
    def start(cls, spec_json: str, facts: Facts, hold: Collection[str] = ()) -> Flow:
        flow = cls(BpmnWorkflow(_load_spec(spec_json), script_engine=facts.engine()), hold)
        flow.advance()
        return flow

    @classmethod
    def load(cls, spec_json: str, state: str, facts: Facts, hold: Collection[str] = ()) -> Flow:
        dct = json.loads(state)
        if dct.get(SERIALIZER.VERSION_KEY) != SERIALIZER.VERSION:
            SERIALIZER.migrate(dct)
        workflow = _restore(_load_spec(spec_json), dct)
        workflow.script_engine = facts.engine()
        return cls(workflow, hold)

    def dump(self) -> str:
        """The live state as JSON, after pruning the finished past into ``passed``."""
        self.passed.extend(prune(self._workflow))
        workflow = self._workflow
        registry = SERIALIZER.registry
        dct = {
            "data": registry.convert(registry.clean(workflow.data)),
            "correlations": workflow.correlations,
            "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "tasks": {str(k): registry.convert(t) for k, t in workflow.tasks.items()},
            "root": str(workflow.task_tree.id),
            "subprocesses": {},
            "bpmn_events": registry.convert(workflow.bpmn_events),
            SERIALIZER.VERSION_KEY: SERIALIZER.VERSION,
        }
        return json.dumps(dct, separators=(",", ":"))

    @property
    def finished(self) -> bool:
        return self._workflow.completed

    def waiting(self) -> list[Waiting]:
        """The user tasks now waiting, in a stable order."""
        tasks = [
            t
            for t in self._workflow.get_tasks(state=TaskState.READY)
            if isinstance(t.task_spec, UserTask)
        ]
        return [
            Waiting(str(t.id), t.task_spec.bpmn_id, t.task_spec.bpmn_name or t.task_spec.bpmn_id)
            for t in tasks
        ]

    def _user_task(self, task_id: str):
        task = next(
            (t for t in self._workflow.get_tasks(state=TaskState.READY) if str(t.id) == task_id),
            None,
        )
        if task is None or not isinstance(task.task_spec, UserTask):
            raise Conflict("This step is no longer waiting; reload the flow.", code="task_closed")
        return task

    def advance(self) -> list[str]:
        """Run gateways, events and service tasks until only people can move the flow on.

        Returns the node ids of the service tasks that ran, for the caller to perform
        their actions (they are also kept in ``fired``).
        """
        ran: list[str] = []
        try:
            for _ in range(MAX_ENGINE_ROUNDS):
                self._workflow.do_engine_steps()
                started = [
                    t
                    for t in self._workflow.get_tasks(state=TaskState.STARTED)
                    if isinstance(t.task_spec, ServiceTask) and t.task_spec.bpmn_id not in self.hold
                ]
                if not started:
                    break
                for task in started:
                    ran.append(task.task_spec.bpmn_id)
                    task.complete()
            else:
                raise FlowError("The flow loops without waiting for anyone; check its design.")
        except FlowError:
            raise
        except Exception as exc:  # a user's BPMN may fail in any way: never a 500
            raise _engine_failure(exc) from None
        self.fired.extend(ran)
        return ran

    def complete(self, task_id: str, decision: str = "approved") -> None:
        """The people of a waiting user task are done: move on. A ``rejected`` decision takes
        the task's reject path (the gateway its reject flow compiles to reads it)."""
        task = self._user_task(task_id)
        task.data[DECISION] = decision
        try:
            task.run()
        except Exception as exc:  # a user's BPMN may fail in any way: never a 500
            raise _engine_failure(exc) from None
        self.advance()

    def held(self) -> list[Waiting]:
        """Service tasks in ``hold`` waiting for their action's outcome (``finish_service``)."""
        return [
            Waiting(str(t.id), t.task_spec.bpmn_id, t.task_spec.bpmn_name or t.task_spec.bpmn_id)
            for t in self._workflow.get_tasks(state=TaskState.STARTED)
            if isinstance(t.task_spec, ServiceTask) and t.task_spec.bpmn_id in self.hold
        ]

    def finish_service(self, task_id: str) -> None:
        """A held service task's action succeeded: move on."""
        task = next(
            (t for t in self._workflow.get_tasks(state=TaskState.STARTED) if str(t.id) == task_id),
            None,
        )
        if task is None or not isinstance(task.task_spec, ServiceTask):
            raise Conflict("This step is no longer waiting; reload the flow.", code="task_closed")
        task.complete()
        self.advance()

    def timers(self) -> list[Timer]:
        """Timer events now waiting (delays, boundary timers), with when each is due."""
        return [
            Timer(str(t.id), t.task_spec.bpmn_id, t._get_internal_data("event_value"))
            for t in self._workflow.get_tasks(state=TaskState.WAITING)
            if isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition)
        ]

    def fire_timer(self, task_id: str) -> bool:
        """Let a waiting timer event fire now; False when it is no longer waiting."""
        task = next(
            (t for t in self._workflow.get_tasks(state=TaskState.WAITING) if str(t.id) == task_id),
            None,
        )
        if task is None:
            return False
        task._set_internal_data(event_fired=True)
        try:
            self._workflow.refresh_timers()
        except Exception as exc:  # a user's BPMN may fail in any way: never a 500
            raise _engine_failure(exc) from None
        self.advance()
        return True

    def previous_user_task(self, task_id: str) -> Waiting | None:
        """The completed user task this one follows on the path taken, if any."""
        task = self._user_task(task_id).parent
        while task is not None and not isinstance(task.task_spec, UserTask):
            task = task.parent
        if task is None or not task.has_state(TaskState.COMPLETED):
            return None
        spec = task.task_spec
        return Waiting(str(task.id), spec.bpmn_id, spec.bpmn_name or spec.bpmn_id)

    def earlier_user_tasks(self, task_id: str) -> list[Waiting]:
        """The completed user tasks on the path to this one, nearest first, one per node."""
        found: dict[str, Waiting] = {}
        task = self._user_task(task_id).parent
        while task is not None:
            spec = task.task_spec
            if (
                isinstance(spec, UserTask)
                and task.has_state(TaskState.COMPLETED)
                and spec.bpmn_id not in found
            ):
                name = spec.bpmn_name or spec.bpmn_id
                found[spec.bpmn_id] = Waiting(str(task.id), spec.bpmn_id, name)
            task = task.parent
        return list(found.values())

    def return_to(self, task_id: str, target_id: str) -> None:
        """Send the flow back from a waiting task to an earlier completed user task."""
        self._user_task(task_id)
        self._workflow.reset_from_task_id(UUID(target_id))
        self.advance()

    def completed_steps(self) -> list[Passed]:
        """Completed steps the state still holds (the rest went to ``passed`` earlier)."""
        return completed(self._workflow)

    def positions(self) -> list[Position]:
        """The nodes this instance waits at (user tasks, joins, timers, held services)."""
        return positions(self._workflow)

    def move_to(self, spec_json: str, mapping: Mapping[str, str]) -> None:
        """Put this instance on another version's spec (see ``flow_engine.versions``)."""
        try:
            move(self._workflow, _load_spec(spec_json), mapping)
        except MoveRefused:
            raise
        except Exception as exc:  # a user's BPMN may fail in any way: never a 500
            raise MoveRefused(f"The instance cannot move: {exc}") from None
        self.advance()

    def cancel(self) -> None:
        """End the flow now (a rejection): every waiting task is cancelled."""
        self._workflow.cancel()
