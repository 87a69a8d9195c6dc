"""Who must act: assignment rules parsed, checked and resolved against a directory."""

from __future__ import annotations

import pytest

from engine_errors import ValidationError
from flow_engine import assignment


class Directory:
    users = {"1": 1, "2": 2, "3": 3, "4": 4, "ann": 2}
    roles = {"buyers": [3, 4, 2]}
    # user -> (department, head) from their own department up
    chains = {1: [(10, 2), (20, 3), (30, 4)], 2: [(10, 2), (20, 3)], 4: [(30, None)]}

    def user_ids(self, refs):
        return {r: self.users[r] for r in refs if r in self.users}

    def role_members(self, code):
        return self.roles.get(code, [])

    def department_chain(self, user_id):
        return self.chains.get(user_id, [])


@pytest.mark.parametrize(
    "text, initiator, record, expected",
    [
        ("user:ann", 1, {}, [2]),
        ("user:3 user:99", 1, {}, [3]),
        ("role:buyers", 1, {}, [3, 4, 2]),
        ("role:nobody", 1, {}, []),
        ("dept_head", 1, {}, [2]),
        ("dept_head:2", 1, {}, [3]),
        ("dept_head", 2, {}, [3]),  # the initiator heads it: one level up
        ("dept_head:3", 2, {}, []),
        ("dept_head", 4, {}, []),
        ("field:owner", 1, {"owner": 4}, [4]),
        ("field:owner", 1, {"owner": None}, []),
        ("initiator, role:buyers user:ann", 1, {}, [1, 3, 4, 2]),
    ],
)
def test_resolve(text, initiator, record, expected):
    rules = assignment.parse(text)
    assert assignment.resolve(rules, Directory(), initiator, record) == expected


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "required"),
        ("boss", "not an assignment"),
        ("user:", "needs a value"),
        ("initiator:1", "no value"),
        ("dept_head:0", "levels"),
        ("dept_head:x", "levels"),
        ("field:qty", "no user field"),
        ("role:ghost", "no role"),
        ("user:__import__('os')", "not an assignment"),
    ],
)
def test_check_refuses(text, words):
    with pytest.raises(ValidationError) as caught:
        assignment.check(text, {"owner"}, {"buyers"})
    assert words in caught.value.message
