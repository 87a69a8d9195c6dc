"""What every field type provides: JSON Schema, SQL columns, coercion, display, UI hints.

A field type turns one field of a form's metadata into everything the platform needs, so
nobody describes a form twice. Types are stateless; the field's metadata dict is passed in.
Coercion turns what a user typed (API JSON or an Excel cell) into the Python value stored,
or raises ``FieldError`` with a message a user understands.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Column


class FieldError(ValueError):
    """A value a user gave that this field cannot hold."""


class FieldType:
    name: ClassVar[str]
    #: type name in the expression language, or None when expressions cannot use it
    expr_type: ClassVar[str | None] = "string"
    #: component hint for the designer and renderers
    ui: ClassVar[str] = "input"
    #: stored in a column of the form's own table (sub-tables are not)
    stored: ClassVar[bool] = True
    #: computed by the platform, never accepted from input
    computed: ClassVar[bool] = False

    def expression_type(self, field: dict) -> str | None:
        """This field's type in the expression language (None: not usable there)."""
        return self.expr_type

    def json_schema(self, field: dict) -> dict:
        """The JSON Schema fragment validating this field's value in a record body."""
        raise NotImplementedError

    def column(self, field: dict) -> Column | None:
        """The SQL column holding the value (None for fields without one)."""
        raise NotImplementedError

    def coerce(self, field: dict, value: Any) -> Any:
        """API/Excel input -> the Python value to store; raises FieldError."""
        return value

    def dump(self, field: dict, value: Any) -> Any:
        """Stored value -> JSON-ready value for the API."""
        return value

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        """Stored value -> text a person reads (lists, exports)."""
        return "" if value is None else str(value)

    def storage_kind(self, field: dict) -> str:
        """A label of the column's storage; two fields with the same kind share a column."""
        column = self.column(field)
        return "" if column is None else repr(column.type)

    def options_check(self, field: dict) -> list[str]:
        """Problems with this field's own settings (empty when it is well formed)."""
        return []


def nullable(schema: dict) -> dict:
    """Allow null beside the given schema (a cleared field)."""
    return {"anyOf": [schema, {"type": "null"}]}


def label(field: dict, locale: str = "zh") -> str:
    text = field.get("label") or {}
    if isinstance(text, str):
        return text
    return text.get(locale) or text.get("zh") or text.get("en") or field["key"]
