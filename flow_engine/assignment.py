"""Who must act on a user task: parse an assignment, check it at deploy, resolve it at run time.

An assignment is the text of a user task's ``gs:assignee`` attribute: one or more rules
separated by spaces or commas, whose people are pooled in order, without repeats.

    user:<id or username>   that user
    role:<code>             every member of the role
    dept_head               the head of the initiator's department
    dept_head:<n>           the head n levels up (1 = the initiator's own department)
    field:<key>             the user stored in a user field of the bound record
    initiator               the person who started the flow
    expr:<expression>       the user (id or username, or a list of them) an expression of
                            the condition language gives for the bound record; it takes
                            the rest of the text, so it comes last

What to do when the rules find nobody is the node's empty-approver policy (``EMPTY_POLICIES``
or ``user:<id or username>``); what to do when the initiator is among the people, its
initiator policy (``SELF_POLICIES``). Both are checked here and applied by the caller.

When the initiator heads the department a ``dept_head`` rule lands on, the rule moves one
level up, so nobody approves their own request as "their head". The people are looked up
through a ``Directory`` the caller provides; this module reads no database itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from engine_errors import ValidationError
from form_engine import expr

KINDS = ("user", "role", "dept_head", "field", "initiator", "expr")
EMPTY_POLICIES = ("refuse", "auto_approve", "auto_reject", "admins")
SELF_POLICIES = ("approve", "skip", "dept_head")
MAX_LEVELS = 10
_RULE = re.compile(r"^(user|role|field|dept_head|initiator)(?::([\w.@\-]{0,100}))?$")
_EXPR = re.compile(r"(?:^|[\s,])expr:")
RESULT_TYPES = {"string", "integer", "array", "null"}


@dataclass(frozen=True)
class Rule:
    kind: str
    value: Any = None

    def __str__(self) -> str:
        if self.kind == "expr":
            return f"expr:{json.dumps(self.value, ensure_ascii=False)}"
        return self.kind if self.value is None else f"{self.kind}:{self.value}"


class Directory(Protocol):
    """The tenant's people, as the caller can look them up."""

    def user_ids(self, refs: Iterable[str]) -> dict[str, int]:
        """Active users by id (as text) or username -> id; unknown refs are left out."""

    def role_members(self, code: str) -> list[int]:
        """Active members of the role with this code (none when there is no such role)."""

    def department_chain(self, user_id: int) -> list[tuple[int, int | None]]:
        """(department id, head user id) from the user's department up to the root."""


def _expression(text: str) -> Rule:
    try:
        expression = json.loads(text)
    except ValueError:
        raise ValidationError(
            "'expr:' is followed by a JSON expression of the condition language."
        ) from None
    expr.fields_used(expression)  # validates the shape
    return Rule("expr", expression)


def parse(text: str | None) -> list[Rule]:
    """The rules of an assignment, or ValidationError naming the one that is wrong."""
    text = text or ""
    tail = None
    found = _EXPR.search(text)
    if found is not None:
        text, tail = text[: found.start()], text[found.end() :]
    items = [i for i in re.split(r"[\s,]+", text) if i]
    if not items and tail is None:
        raise ValidationError("An approver is required: who must act on this step?")
    rules = []
    for item in items:
        match = _RULE.match(item)
        if match is None:
            raise ValidationError(
                f"'{item}' is not an assignment: use user:<id or username>, role:<code>, "
                "dept_head, dept_head:<levels>, field:<user field>, initiator or expr:<expression>."
            )
        kind, value = match.groups()
        if kind in {"user", "role", "field"} and not value:
            raise ValidationError(f"'{item}' needs a value after the colon.")
        if kind == "initiator" and value is not None:
            raise ValidationError("'initiator' takes no value.")
        if kind == "dept_head" and value is not None:
            if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_LEVELS:
                raise ValidationError(f"dept_head levels must be 1 to {MAX_LEVELS}.")
        rules.append(Rule(kind, value))
    if tail is not None:
        rules.append(_expression(tail))
    return rules


def check_empty_policy(text: str | None) -> str:
    """An empty-approver policy: one of EMPTY_POLICIES or user:<id or username>."""
    policy = (text or "refuse").strip()
    if policy in EMPTY_POLICIES:
        return policy
    rules = parse(policy) if policy.startswith("user:") else []
    if len(rules) != 1 or rules[0].kind != "user":
        raise ValidationError(
            f"The empty-approver policy is one of {', '.join(EMPTY_POLICIES)} "
            "or user:<id or username>."
        )
    return policy


def check(
    text: str | None,
    user_fields: Iterable[str],
    roles: Iterable[str] | None = None,
    fields: Mapping[str, str] | None = None,
) -> list[Rule]:
    """Parse an assignment and check it names user fields (and roles) that exist; with the
    form's expression types (``fields``), also type-check its expression."""
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
        if rule.kind == "expr" and fields is not None:
            result = expr.check(rule.value, fields, alerts=False)
            if result not in RESULT_TYPES:
                raise ValidationError(
                    f"An assignment expression gives a user id or username, not a {result}."
                )
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


def department_head(directory: Directory, initiator_id: int, levels: int = 1) -> int | None:
    """The head ``levels`` up from the initiator's department (never the initiator)."""
    return _department_head(directory, initiator_id, levels)


def resolve(
    rules: Iterable[Rule],
    directory: Directory,
    initiator_id: int,
    record: Mapping[str, Any],
    compute: Callable[[Any], Any] | None = None,
) -> list[int]:
    """The users the rules name for this instance, in order, without repeats.

    ``compute`` evaluates an ``expr`` rule's expression on the bound record (the script
    engine's ``compute``); without it such rules find nobody.
    """
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
        elif rule.kind == "expr":
            value = compute(rule.value) if compute is not None else None
            refs = [
                str(v)
                for v in (value if isinstance(value, list) else [value])
                if isinstance(v, str | int) and not isinstance(v, bool)
            ]
            found = directory.user_ids(refs)
            people.extend(found[r] for r in refs if r in found)
        else:
            people.append(initiator_id)
    return list(dict.fromkeys(people))
