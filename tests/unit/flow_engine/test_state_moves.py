"""Moving a running workflow to another version: the nodes it waits at carry over (renamed
ones through a mapping), and it then runs on the new version's design."""

from __future__ import annotations

import pytest

from flow_engine.definitions import validate
from flow_engine.moves import MoveRefused
from flow_engine.runtime import Flow
from flow_engine.versions import check_move
from tests.unit.flow_engine.test_state import FORM, LOOP, PARALLEL, _facts, _step


def _renamed(xml: str, old: str, new: str) -> str:
    return xml.replace(f'"{old}"', f'"{new}"')


def test_a_parallel_flow_moves_with_a_renamed_branch_and_finishes_on_the_new_design():
    old = validate(PARALLEL, FORM)
    new = validate(_renamed(PARALLEL, "right", "right2"), FORM)
    flow, state = _step(old.spec, Flow.start(old.spec, _facts()).dump(), "left")
    flow = Flow.load(old.spec, state, _facts())
    waiting = flow.positions()
    assert [(p.node_id, p.node_type) for p in waiting] == [
        ("join", "parallelGateway"),
        ("right", "userTask"),
    ]
    _, reasons = check_move(waiting, new.nodes, {})
    assert len(reasons) == 1 and "'right'" in reasons[0]
    moves, reasons = check_move(waiting, new.nodes, {"right": "right2"})
    assert reasons == [] and moves == {"join": "join", "right": "right2"}
    [right] = flow.waiting()
    flow.move_to(new.spec, {"right": "right2"})
    assert [(w.task_id, w.node_id) for w in flow.waiting()] == [(right.task_id, "right2")]
    flow, state = _step(new.spec, flow.dump(), "right2")
    assert [w.node_id for w in flow.waiting()] == ["last"]
    flow, _ = _step(new.spec, state, "last")
    assert flow.finished


def test_a_move_to_a_version_without_the_waiting_node_is_refused_whole():
    old = validate(LOOP, FORM)
    new = validate(_renamed(LOOP, "review", "check"), FORM)
    flow, state = _step(old.spec, Flow.start(old.spec, _facts()).dump(), "submit")
    flow = Flow.load(old.spec, state, _facts())
    with pytest.raises(MoveRefused) as refused:
        flow.move_to(new.spec, {})
    assert "review" in refused.value.message
    # The caller keeps the state it loaded: the saved one still runs on the old version.
    flow, _ = _step(old.spec, state, "review", note="done")
    assert flow.finished
