"""The people a flow names in a package: roles by code, users by username, never by id.

A flow's assignments (``user:<id or username>``, ``role:<code>``, in approvers, empty-
approver policies, escalations, copies and notifications) are texts inside its
simple-designer tree or the ``gs:`` attributes of its BPMN. On export a user named by id is
renamed by username, since ids mean nothing in another tenant; on import every username
must be there before anything is staged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from app.auth.scope import Scope
from app.models import User
from flow_engine.definitions import GS_NS

_REF = re.compile(r"(?<![\w.@\-:])(user|role):([\w.@\-]{1,100})")
_GS = f"{{{GS_NS}}}"


def strings(node: Any) -> Iterable[str]:
    """Every text inside a JSON value (a simple-designer tree)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def _mapped(node: Any, change: Callable[[str], str]) -> Any:
    if isinstance(node, str):
        return change(node)
    if isinstance(node, dict):
        return {k: _mapped(v, change) for k, v in node.items()}
    if isinstance(node, list):
        return [_mapped(v, change) for v in node]
    return node


def bpmn_strings(xml: str) -> list[str]:
    """The values of the ``gs:`` attributes of a BPMN document (where people are named)."""
    try:
        root = etree.fromstring(xml.encode())
    except etree.XMLSyntaxError:
        return []
    return [v for el in root.iter() for k, v in el.attrib.items() if k.startswith(_GS)]


def _bpmn_mapped(xml: str, change: Callable[[str], str]) -> str:
    root = etree.fromstring(xml.encode())
    changed = False
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.startswith(_GS) and change(value) != value:
                element.set(name, change(value))
                changed = True
    if not changed:
        return xml
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()


def named(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """(user references, role codes) the texts name."""
    users, roles = set(), set()
    for text in texts:
        for kind, value in _REF.findall(text):
            (users if kind == "user" else roles).add(value)
    return users, roles


def _is_id(ref: str) -> bool:
    return ref.isascii() and ref.isdigit()


def by_username(scope: Scope, tree: dict | None, bpmn: str | None) -> tuple[Any, Any]:
    """The tree and the BPMN with every user named by id renamed by username."""
    texts = list(strings(tree)) if tree is not None else bpmn_strings(bpmn or "")
    ids = {int(ref) for ref in named(texts)[0] if _is_id(ref) and int(ref) < 2**31}
    if not ids:
        return tree, bpmn
    usernames = {
        str(i): name
        for i, name in scope.session.execute(
            scope.select(User, User.id, User.username).where(User.id.in_(ids))
        )
    }

    def change(text: str) -> str:
        return _REF.sub(
            lambda m: f"user:{usernames.get(m[2], m[2])}" if m[1] == "user" else m[0], text
        )

    if tree is not None:
        return _mapped(tree, change), bpmn
    return tree, _bpmn_mapped(bpmn, change)


def flow_people(entry: dict) -> tuple[set[str], set[str]]:
    """(user references, role codes) a package's flow entry names."""
    if isinstance(entry.get("tree"), dict):
        return named(strings(entry["tree"]))
    if isinstance(entry.get("bpmn"), str):
        return named(bpmn_strings(entry["bpmn"]))
    return set(), set()


def missing_users(scope: Scope, refs: set[str]) -> list[str]:
    """The references (usernames, or display names in sample data) with no active user."""
    if not refs:
        return []
    ids = {int(r) for r in refs if _is_id(r) and int(r) < 2**31}
    names = {r for r in refs if not _is_id(r)}
    found: set[str] = set()
    for ident, username, display in scope.session.execute(
        scope.select(User, User.id, User.username, User.display_name).where(
            (User.username.in_(names) | User.display_name.in_(names) | User.id.in_(ids)),
            User.deleted_at.is_(None),
            User.is_active.is_(True),
        )
    ):
        found |= {str(ident), username, display}
    return sorted(refs - found)
