"""'Own department and below' needs every department under a root."""

from __future__ import annotations

from types import SimpleNamespace

from app.auth.departments import descendant_ids


def _dept(id_, parent):
    return SimpleNamespace(id=id_, parent_id=parent)


def test_descendants_include_the_root_and_every_level_below():
    tree = [_dept(1, None), _dept(2, 1), _dept(3, 2), _dept(4, 1), _dept(5, None)]
    assert descendant_ids(tree, 1) == {1, 2, 3, 4}
    assert descendant_ids(tree, 2) == {2, 3}
    assert descendant_ids(tree, 5) == {5}


def test_a_cycle_in_stored_data_does_not_hang():
    assert descendant_ids([_dept(1, 2), _dept(2, 1)], 1) == {1, 2}
