"""Who must act on a user task: parse an assignment, check it at deploy, resolve it at run time.

An assignment is the text of a user task's ``gs:assignee`` attribute: one or more rules
separated by spaces or commas, whose people are pooled in order, without repeats.

    user:<id or username>   that user
    role:<code>             every member of the role
    dept_head               the head of the initiator's department
    dept_head:<n>           the head n levels up (1 = the initiator's own department)
    field:<key>             the user stored in a user field of the bound record
    initiator               the person who started the flow

When the initiator heads the department a ``dept_head`` rule lands on, the rule moves one
level up, so nobody approves their own request as "their head". The people are looked up
through a ``Directory`` the caller provides; this module reads no database itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from form_engine.errors import ValidationError

KINDS = ("user", "role", "dept_head", "field", "initiator")
EMPTY_POLICIES = ("refuse", "auto_approve")
MAX_LEVELS = 10
_RULE = re.compile(r"^(user|role|field|dept_head|initiator)(?::([\w.@\-]{0,100}))?$")


@dataclass(frozen=True)
class Rule:
    kind: str
    value: str | None = None

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"


class Directory(Protocol):
    """The tenant's people, as the caller can look them up."""

    def user_ids(self, refs: Iterable[str]) -> dict[str, int]:
        """Active users by id (as text) or username -> id; unknown refs are left out."""

    def role_members(self, code: str) -> list[int]:
        """Active members of the role with this code (none when there is no such role)."""

    def department_chain(self, user_id: int) -> list[tuple[int, int | None]]:
        """(department id, head user id) from the user's department up to the root."""


def parse(text: str | None) -> list[Rule]:
    """The rules of an assignment, or ValidationError naming the one that is wrong."""
    items = [i for i in re.split(r"[\s,]+", text or "") if i]
    if not items:
        raise ValidationError("An approver is required: who must act on this step?")
    rules = []
    for item in items:
        match = _RULE.match(item)
        if match is None:
            raise ValidationError(
                f"'{item}' is not an assignment: use user:<id or username>, role:<code>, "
                "dept_head, dept_head:<levels>, field:<user field> or initiator."
            )
        kind, value = match.groups()
        if kind in {"user", "role", "field"} and not value:
            raise ValidationError(f"'{item}' needs a value after the colon.")
        if kind == "initiator" and value is not None:
            raise ValidationError("'initiator' takes no value.")
        if kind == "dept_head" and value is not None:
            if not value.isdigit() or not 1 <= int(value) <= MAX_LEVELS:
                raise ValidationError(f"dept_head levels must be 1 to {MAX_LEVELS}.")
        rules.append(Rule(kind, value))
    return rules


def check(
    text: str | None,
    user_fields: Iterable[str],
    roles: Iterable[str] | None = None,
) -> list[Rule]:
    """Parse an assignment and check it names user fields (and roles) that exist."""
    rules = parse(text)
    user_fields, known_roles = set(user_fields), set(roles) if roles is not None else None
    for rule in rules:
        if rule.kind == "field" and rule.value not in user_fields:
            raise ValidationError(
                f"'{rule}': the form has no user field '{rule.value}'."
                + (f" User fields: {', '.join(sorted(user_fields))}." if user_fields else "")
            )
        if rule.kind == "role" and known_roles is not None and rule.value not in known_roles:
            raise ValidationError(f"'{rule}': there is no role with the code '{rule.value}'.")
    return rules


def _department_head(directory: Directory, initiator_id: int, levels: int) -> int | None:
    chain = directory.department_chain(initiator_id)
    index = levels - 1
    while index < len(chain):
        head = chain[index][1]
        if head is not None and head != initiator_id:
            return head
        if head is None:
            return None
        index += 1  # the initiator heads this one: their head is one level up
    return None


def resolve(
    rules: Iterable[Rule],
    directory: Directory,
    initiator_id: int,
    record: Mapping[str, Any],
) -> list[int]:
    """The users the rules name for this instance, in order, without repeats."""
    people: list[int] = []
    for rule in rules:
        if rule.kind == "user":
            found = directory.user_ids([rule.value]).get(rule.value)
            people.extend([found] if found else [])
        elif rule.kind == "role":
            people.extend(directory.role_members(rule.value))
        elif rule.kind == "dept_head":
            head = _department_head(directory, initiator_id, int(rule.value or 1))
            people.extend([head] if head else [])
        elif rule.kind == "field":
            value = record.get(rule.value)
            if isinstance(value, int) and not isinstance(value, bool):
                found = directory.user_ids([str(value)]).get(str(value))
                people.extend([found] if found else [])
        else:
            people.append(initiator_id)
    return list(dict.fromkeys(people))
