"""What every field type provides: JSON Schema, SQL columns, coercion, display, UI hints.

A field type turns one field of a form's metadata into everything the platform needs, so
nobody describes a form twice. Types are stateless; the field's metadata dict is passed in.
Coercion turns what a user typed (API JSON or an Excel cell) into the Python value stored,
or raises ``FieldError`` with a message a user understands.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from sqlalchemy import Column

#: a whole number typed as text, in ASCII digits only: str.isdigit() also accepts "²",
#: which int() refuses, and int() accepts "١٢" and "1_0", which a browser does not
DIGITS = re.compile(r"[0-9]+")

#: what ``FieldType.quick_column`` gives where it leaves a value to ``coerce``
SLOW = object()


class FieldError(ValueError):
    """A value a user gave that this field cannot hold.

    ``paths`` carries problems inside the value (a sub-table's "0.sku"), relative to the
    field, so the caller can report them at their exact place.
    """

    def __init__(self, message: str, paths: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.paths = paths or {}


def no_nul(text: str) -> str:
    """``text`` unless it holds the NUL character, which no database stores in text (a
    record from an API call, an import or an ERP pull alike)."""
    if "\x00" in text:
        raise FieldError("Contains the NUL character (\\0).")
    return text


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

    def quick_column(self, field: dict, values: list) -> list | None:
        """``coerce`` of a whole column of values, for the common inputs only (bulk writes).

        A list as long as ``values``: for each value either exactly what ``coerce`` returns
        for it, or ``SLOW`` where ``coerce`` must decide (and word any refusal). None when
        the type has no quick path.
        """
        return None

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


FRIENDLY = {
    "maxLength": "At most {0} characters.",
    "minLength": "At least {0} characters.",
    "maximum": "Must be at most {0}.",
    "minimum": "Must be at least {0}.",
    "pattern": "Not in the expected format.",
    "enum": "Not one of the options.",
    "maxItems": "At most {0} items.",
    "uniqueItems": "Each item may appear once.",
    "format": "Not a valid {0}.",
}


def schema_message(error) -> str:
    """A JSON Schema error as a short sentence, without echoing the (maybe huge) value."""
    from jsonschema.exceptions import best_match

    if error.validator in ("anyOf", "oneOf") and error.context:
        # The branch the value's type fits says what is wrong; "not null" says nothing.
        specific = [e for e in error.context if e.validator != "type"]
        error = specific[0] if specific else best_match(error.context)
    template = FRIENDLY.get(error.validator)
    if template:
        return template.format(error.validator_value)
    return error.message if len(error.message) <= 200 else error.message[:197] + "..."
