"""Use cases across a flow's versions: compare two, and move running instances from one
version to another (a preview first, then the move).

A move is for administrators. Each instance moves in its own transaction with its version
check, all or nothing: its engine state is put on the new version's spec, its open seats
follow renamed nodes, and its history records the move. An instance someone acts on at the
same moment, or that changed since the preview, stays where it is and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.auth.scope import Scope
from app.errors import Forbidden, GreenShelfError, ValidationError
from app.flows.definitions import get_version
from app.flows.deployed import remember
from app.flows.run import load_run, one_writer, open_seats, record_event
from app.flows.settling import settle
from app.models import FlowDefinition, FlowInstance, FlowVersion
from flow_engine import versions
from flow_engine.actions.catalogue import deferred_nodes
from flow_engine.moves import MoveRefused, Position
from flow_engine.runtime import Facts, Flow


def _summary(version: FlowVersion) -> dict:
    return {"version": version.version, "created_at": version.created_at}


def diff_versions(scope: Scope, flow_id: int, old: int, new: int) -> dict:
    """What changed from version ``old`` to version ``new``: nodes and sequence flows."""
    before, after = get_version(scope, flow_id, old), get_version(scope, flow_id, new)
    changes = versions.diff(before.nodes, before.bpmn_xml, after.nodes, after.bpmn_xml)
    return {"from": _summary(before), "to": _summary(after), **changes}


def _administrator(scope: Scope) -> None:
    if not scope.user.is_admin:
        raise Forbidden("Only an administrator can move running instances to another version.")


def _versions(
    scope: Scope, flow_id: int, old: int, new: int, mapping: Mapping[str, str]
) -> tuple[FlowVersion, FlowVersion]:
    scope.get(FlowDefinition, flow_id, "flow")
    if old == new:
        raise ValidationError(
            "Choose two different versions.", {"to_version": ["Same as from_version."]}
        )
    before, after = get_version(scope, flow_id, old), get_version(scope, flow_id, new)
    problems = {}
    for source, target in mapping.items():
        if source not in before.nodes:
            problems[f"mapping.{source}"] = [f"Version {old} has no node '{source}'."]
        elif target not in after.nodes:
            problems[f"mapping.{source}"] = [f"Version {new} has no node '{target}'."]
    if problems:
        raise ValidationError(next(iter(problems.values()))[0], problems)
    return before, after


def _running_on(scope: Scope, version: FlowVersion) -> list[FlowInstance]:
    stmt = scope.select(FlowInstance).where(
        FlowInstance.version_id == version.id, FlowInstance.status == "running"
    )
    return list(scope.session.scalars(stmt.order_by(FlowInstance.id)))


def _position_out(position: Position) -> dict:
    return {"node_id": position.node_id, "name": position.node_name, "type": position.node_type}


def preview_migration(
    scope: Scope, flow_id: int, old: int, new: int, mapping: Mapping[str, str]
) -> dict:
    """Which running instances of version ``old`` can move to ``new``, and why not."""
    _administrator(scope)
    before, after = _versions(scope, flow_id, old, new, mapping)
    facts = Facts({}, {}, date.today())  # reading where a flow waits runs no condition
    items = []
    for instance in _running_on(scope, before):
        waiting = Flow.load(before.spec, instance.state, facts).positions()
        moves, reasons = versions.check_move(waiting, after.nodes, mapping)
        items.append(
            {
                "id": instance.id,
                "title": instance.title,
                "row_version": instance.row_version,
                "waiting": [_position_out(p) for p in waiting],
                "can_move": not reasons,
                "moves": {k: v for k, v in moves.items() if k != v},
                "reasons": reasons,
            }
        )
    return {"from": _summary(before), "to": _summary(after), "instances": items}


def _move_one(
    scope: Scope,
    instance: FlowInstance,
    before: FlowVersion,
    after: FlowVersion,
    mapping: Mapping[str, str],
) -> dict:
    run = load_run(scope, instance)
    moves, reasons = versions.check_move(run.flow.positions(), after.nodes, mapping)
    if reasons:
        raise MoveRefused(reasons[0])
    run.flow.hold = deferred_nodes(after.nodes)
    run.flow.move_to(after.spec, mapping)
    for seat in open_seats(scope, instance.id):
        target = moves.get(seat.node_id, seat.node_id)
        node = after.nodes[target] if target in after.nodes else {}
        seat.node_id = target
        seat.node_name = node.get("name", target)
        seat.mode = node.get("mode", seat.mode)
    instance.version_id = after.id
    run.moved_from, run.version = run.version, remember(after)
    renamed = {k: v for k, v in moves.items() if k != v}
    record_event(
        run,
        "migrate",
        details={"from_version": before.version, "to_version": after.version, "moves": renamed},
    )
    settle(run)
    return renamed


def migrate_instances(
    scope: Scope,
    flow_id: int,
    old: int,
    new: int,
    mapping: Mapping[str, str],
    expected: Mapping[int, int] | None = None,
) -> dict:
    """Move the running instances of version ``old`` (or those in ``expected``, each at the
    row version the caller saw) to version ``new``; each one all or nothing."""
    _administrator(scope)
    before, after = _versions(scope, flow_id, old, new, mapping)
    ids = [i.id for i in _running_on(scope, before)]
    results = []
    if expected is not None:
        gone = sorted(set(expected) - set(ids))
        known = set(
            scope.session.scalars(
                scope.select(FlowInstance, FlowInstance.id).where(
                    FlowInstance.id.in_(gone), FlowInstance.definition_id == flow_id
                )
            )
        )
        if set(gone) - known:
            unknown = sorted(set(gone) - known)
            raise ValidationError(
                f"This flow has no instance {unknown[0]}.",
                {"instances": [f"Not instances of this flow: {unknown}."]},
            )
        for instance_id in gone:  # ended or moved since the preview
            reason = f"It is no longer running on version {old}."
            results.append({"id": instance_id, "moved": False, "reasons": [reason]})
        ids = [i for i in ids if i in expected]
    for instance_id in ids:
        instance = scope.session.get(FlowInstance, instance_id)
        entry = {"id": instance_id, "title": instance.title}
        if expected is not None and expected[instance_id] != instance.row_version:
            reason = "It changed since the preview; preview again."
            results.append({**entry, "moved": False, "reasons": [reason]})
            continue
        try:
            with one_writer(scope):
                moves = _move_one(scope, instance, before, after, mapping)
        except GreenShelfError as exc:  # this instance stays as it was; go on with the rest
            scope.session.rollback()
            results.append({**entry, "moved": False, "reasons": [exc.message]})
            continue
        results.append({**entry, "moved": True, "moves": moves, "reasons": []})
    return {"from": _summary(before), "to": _summary(after), "instances": results}
