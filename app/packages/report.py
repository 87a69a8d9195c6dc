"""What installing a package did, or would do: the parts it creates, those it keeps as
they are (a role or connector of the same key is already there), and every problem under
its path in the package (``forms.2.meta.fields.3.type``).

A preview and an import fill the same report, so a preview lists exactly what the import
then creates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from app.auth.scope import Scope
from app.errors import Conflict, GreenShelfError

PARTS = ("app", "forms", "roles", "connectors", "flows", "rules", "charts", "dashboards", "data")


def under(prefix: str, path: str) -> str:
    """A service's error path placed under the package path of the part it checked."""
    if path in ("", "_body", "$"):
        return prefix
    return f"{prefix}.{path}" if prefix else path


@dataclass
class Report:
    create: dict[str, list[dict]] = field(default_factory=lambda: {p: [] for p in PARTS})
    keep: dict[str, list[dict]] = field(default_factory=lambda: {p: [] for p in PARTS})
    problems: dict[str, list[str]] = field(default_factory=dict)
    #: problems that are only "this is taken already" (an import answers 409 for those)
    conflicts: set[str] = field(default_factory=set)
    #: people the package names that the tenant does not have
    missing_users: list[str] = field(default_factory=list)

    def problem(self, path: str, message: str, conflict: bool = False) -> None:
        self.problems.setdefault(path or "_body", []).append(message)
        if conflict:
            self.conflicts.add(path or "_body")

    def failed(self, prefix: str, exc: GreenShelfError) -> None:
        """Record a service's refusal under ``prefix``: each field error, else its message."""
        conflict = isinstance(exc, Conflict)
        if not exc.errors:
            self.problem(prefix, exc.message, conflict)
        for path, messages in exc.errors.items():
            for message in messages if isinstance(messages, list) else [str(messages)]:
                self.problem(under(prefix, path), message, conflict)

    @contextmanager
    def attempt(self, scope: Scope, prefix: str) -> Iterator[None]:
        """Run one part's use case; a refusal is written down under ``prefix`` and its
        half-done work undone (back to the last service's commit), and the next part goes on."""
        try:
            yield
        except GreenShelfError as exc:
            scope.session.rollback()
            self.failed(prefix, exc)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def only_conflicts(self) -> bool:
        return bool(self.problems) and set(self.problems) <= self.conflicts

    def as_dict(self) -> dict:
        return {
            "importable": self.ok,
            "create": self.create,
            "keep": self.keep,
            "problems": self.problems,
            "missing_users": self.missing_users,
        }
