"""Files kept by the platform's attachment store; the field holds their ids and names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column

from form_engine.fields.base import FieldError, FieldType, nullable

DEFAULT_MAX_MB = 20


class AttachmentField(FieldType):
    name = "attachment"
    expr_type = None
    ui = "upload"
    default_accept: tuple[str, ...] = ()

    def accept(self, field: dict) -> list[str]:
        return list(field.get("accept") or self.default_accept)

    def max_bytes(self, field: dict) -> int:
        return int(float(field.get("max_size_mb", DEFAULT_MAX_MB)) * 1024 * 1024)

    def max_files(self, field: dict) -> int:
        return int(field.get("max_files", 10))

    def json_schema(self, field: dict) -> dict:
        item = {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "integer", "minimum": 1}},
                },
            ]
        }
        return nullable({"type": "array", "items": item, "maxItems": self.max_files(field)})

    def column(self, field: dict) -> Column:
        return Column(field["key"], JSON)

    def storage_kind(self, field: dict) -> str:
        return "files"

    def coerce(self, field: dict, value: Any) -> Any:
        """A list of attachment ids; the records layer replaces them with file facts."""
        if value is None or value == []:
            return None
        if not isinstance(value, list):
            raise FieldError("Must be a list of uploaded files.")
        ids = []
        for item in value:
            ident = item.get("id") if isinstance(item, dict) else item
            if isinstance(ident, bool) or not isinstance(ident, int) or ident < 1:
                raise FieldError("Each file must be an uploaded attachment id.")
            ids.append(ident)
        if len(ids) > self.max_files(field):
            raise FieldError(f"At most {self.max_files(field)} files.")
        return ids

    def allows(self, field: dict, content_type: str, size: int) -> str | None:
        """Why an upload is refused for this field, or None when it is fine."""
        accepted = self.accept(field)
        if accepted and not any(
            content_type == a or (a.endswith("/*") and content_type.startswith(a[:-1]))
            for a in accepted
        ):
            return f"Files of type {content_type} are not accepted here."
        if size > self.max_bytes(field):
            return f"The file is larger than {field.get('max_size_mb', DEFAULT_MAX_MB)} MB."
        return None

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        return ", ".join(
            str(v.get("name", v.get("id"))) for v in value or [] if isinstance(v, dict)
        )
