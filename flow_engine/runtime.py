"""Running flows: the only code that touches SpiffWorkflow's workflow objects.

A ``Flow`` wraps one instance's workflow for the length of one use case: start it or load
its saved state, act on it (complete a user task, return to the previous user task,
cancel), let the engine run until people must act, and dump the state as JSON for the
caller to store. The caller stores that JSON with optimistic locking and mirrors the
waiting user tasks into its own table; nothing here knows about databases.

The state excludes the process spec: it lives once per flow version (``dump_spec``) and is
put back on load, so a running instance stays on the version it started with. Task data
holds no record values: conditions read the record through the script engine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter
from SpiffWorkflow.bpmn.specs.defaults import ServiceTask, UserTask
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from flow_engine.script_engine import ExpressionEngine, RefusedScript
from form_engine.errors import Conflict, ValidationError

# SpiffWorkflow's default serializer knows every spec we allow but the plain service task.
_CONFIG = {**DEFAULT_CONFIG, ServiceTask: BpmnTaskSpecConverter}
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_CONFIG))
MAX_ENGINE_ROUNDS = 1000


def dump_spec(spec: Any) -> str:
    """A parsed process spec as JSON, stored once per flow version."""
    return json.dumps(SERIALIZER.to_dict(spec))


@dataclass(frozen=True)
class Facts:
    """What conditions read: the bound record's values, its field types, the tenant's date."""

    record: Mapping[str, Any]
    fields: Mapping[str, str]
    today: date

    def engine(self) -> ExpressionEngine:
        return ExpressionEngine(self.record, self.fields, self.today)


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

    def __init__(self, workflow: BpmnWorkflow) -> None:
        self._workflow = workflow
        self.fired: list[str] = []  # service task node ids run since the last ``advance``

    @classmethod
    def start(cls, spec_json: str, facts: Facts) -> Flow:
        spec = SERIALIZER.from_dict(json.loads(spec_json))
        flow = cls(BpmnWorkflow(spec, script_engine=facts.engine()))
        flow.advance()
        return flow

    @classmethod
    def load(cls, spec_json: str, state: str, facts: Facts) -> Flow:
        dct = json.loads(state)
        SERIALIZER.migrate(dct)
        dct["spec"] = json.loads(spec_json)
        dct["subprocess_specs"] = {}
        workflow = SERIALIZER.from_dict(dct)
        workflow.script_engine = facts.engine()
        return cls(workflow)

    def dump(self) -> str:
        dct = SERIALIZER.to_dict(self._workflow)
        dct.pop("spec", None)
        dct.pop("subprocess_specs", None)
        dct[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
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
                    if isinstance(t.task_spec, ServiceTask)
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

    def complete(self, task_id: str) -> None:
        """The people of a waiting user task are done: move on."""
        task = self._user_task(task_id)
        try:
            task.run()
        except Exception as exc:  # a user's BPMN may fail in any way: never a 500
            raise _engine_failure(exc) from None
        self.advance()

    def previous_user_task(self, task_id: str) -> Waiting | None:
        """The completed user task this one follows on the path taken, if any."""
        task = self._user_task(task_id).parent
        while task is not None and not isinstance(task.task_spec, UserTask):
            task = task.parent
        if task is None or not task.has_state(TaskState.COMPLETED):
            return None
        spec = task.task_spec
        return Waiting(str(task.id), spec.bpmn_id, spec.bpmn_name or spec.bpmn_id)

    def return_to(self, task_id: str, target_id: str) -> None:
        """Send the flow back from a waiting task to an earlier completed user task."""
        self._user_task(task_id)
        self._workflow.reset_from_task_id(UUID(target_id))
        self.advance()

    def cancel(self) -> None:
        """End the flow now (a rejection): every waiting task is cancelled."""
        self._workflow.cancel()
