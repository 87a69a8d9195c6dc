"""The running instance: what one use case on an instance needs, and its single writer.

``load_run`` gathers the instance's version, its bound record and its loaded workflow into a
``Run``; the helpers here read the instance's seats and people and write its history.
``one_writer`` commits a use case's change; a concurrent writer's earlier save turns ours
into a 409. This module moves nothing: it must not import seating, service runs, timers or
settling, which all build on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from app.auth.scope import Scope
from app.errors import Conflict
from app.flows.deployed import DeployedVersion, FormRef, deployed_version, form_ref, published_form
from app.flows.people import ScopeDirectory
from app.forms.access import tenant_today
from app.models import FlowEvent, FlowInstance, FlowTask
from app.models.base import utcnow
from flow_engine import approvals, assignment
from flow_engine.actions import deferred_nodes
from flow_engine.runtime import Facts, Flow
from form_engine import records
from form_engine.access import Access
from form_engine.compiled import CompiledForm


@dataclass
class Run:
    scope: Scope
    instance: FlowInstance
    version: DeployedVersion
    form: CompiledForm
    record: dict
    flow: Flow | None = None
    fresh: bool = False  # a new instance: it has no seats and no timers yet
    seats: list[FlowTask] | None = None  # its pending seats, when the use case holds them all
    moved_from: DeployedVersion | None = None  # the version a move took it from

    @property
    def timed(self) -> bool:
        """Whether the instance may have timers to add or cancel."""
        return self.version.timed or (self.moved_from is not None and self.moved_from.timed)

    @property
    def facts(self) -> Facts:
        return Facts(self.record, self.form.expression_types, tenant_today(self.scope))


def read_record(
    scope: Scope,
    form_id: int,
    record_id: int,
    ref: FormRef | None = None,
    access: Access | None = None,
) -> tuple[CompiledForm, dict]:
    """The bound record as the flow sees it: the whole tenant, whoever is acting (or, with
    ``access``, as the caller may see it). ``ref`` is the form row, when already read."""
    form = published_form(scope, ref or form_ref(scope, form_id))
    access = access or Access(
        tenant_id=scope.tenant_id,
        user_id=None,
        department_id=None,
        today=tenant_today(scope),
        scope="all",
        dialect=scope.session.get_bind().dialect.name,
    )
    return form, records.get(scope.session.connection(), form, record_id, access)


def load_run(
    scope: Scope,
    instance: FlowInstance,
    version: DeployedVersion | None = None,
    ref: FormRef | None = None,
) -> Run:
    """The instance ready to move: its version, its record and its workflow (``version``
    and ``ref``, when the caller read them along with the instance)."""
    version = version or deployed_version(scope, instance.version_id)
    form, record = read_record(scope, instance.form_id, instance.record_id, ref)
    run = Run(scope, instance, version, form, record)
    run.flow = Flow.load(version.spec, instance.state, run.facts, deferred_nodes(version.nodes))
    return run


def record_event(run: Run, action: str, seat: FlowTask | None = None, **fields) -> None:
    actor_id, actor_name = run.scope.session.info.get("actor", (None, "system"))
    if fields.pop("system", False):
        actor_id, actor_name = None, "system"
    run.scope.add(
        FlowEvent(
            instance_id=run.instance.id,
            task_id=seat.id if seat is not None else None,
            node_id=fields.pop("node_id", seat.node_id if seat is not None else None),
            node_name=fields.pop("node_name", seat.node_name if seat is not None else None),
            action=action,
            actor_id=actor_id,
            actor_name=actor_name,
            comment=fields.pop("comment", ""),
            details=fields.pop("details", {}),
            at=utcnow(),
        )
    )


def open_seats(scope: Scope, instance_id: int, pending: bool = False) -> list[FlowTask]:
    """The seats people can act on now; with ``pending``, also those waiting their turn
    (queued in a sequential list, or parked behind a signer added before them)."""
    statuses = approvals.PENDING if pending else ("open",)
    stmt = scope.select(FlowTask).where(
        FlowTask.instance_id == instance_id,
        FlowTask.kind == "approval",
        FlowTask.status.in_(statuses),
    )
    return list(scope.session.scalars(stmt.order_by(FlowTask.id)))


def as_seat(row: FlowTask) -> approvals.Seat:
    return approvals.Seat(row.id, row.engine_task_id, row.assignee_id, row.status, row.mode)


def find_people(run: Run, text: str) -> list[int]:
    """The people an assignment names for this instance. Reading the organisation needs
    none of the instance's pending rows, so it does not flush them."""
    rules = assignment.parse(text)
    directory = ScopeDirectory(run.scope)
    compute = run.facts.engine().compute
    with run.scope.session.no_autoflush:
        return assignment.resolve(rules, directory, run.instance.initiator_id, run.record, compute)


@contextmanager
def one_writer(scope: Scope) -> Iterator[None]:
    """Run and commit a use case on an instance; if someone else saved it first (the
    version check fails at any flush inside), roll everything back and answer 409."""
    try:
        yield
        scope.session.commit()
    except StaleDataError:
        scope.session.rollback()
        raise Conflict(
            "Someone else acted on this flow at the same moment; nothing of yours was "
            "saved. Reload it and try again.",
            code="flow_changed",
        ) from None
