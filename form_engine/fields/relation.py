"""A record of another form (a lookup), shown by one of that form's fields."""

from __future__ import annotations

from form_engine.fields.reference import ReferenceField


class RelationField(ReferenceField):
    name = "relation"
    ui = "relation"
    target_kind = "form"

    def target(self, field: dict) -> str:
        return f"form:{field.get('relation', {}).get('form', '')}"

    def options_check(self, field: dict) -> list[str]:
        relation = field.get("relation") or {}
        if not relation.get("form"):
            return ["relation.form must name the form it points at"]
        if not relation.get("display"):
            return ["relation.display must name the field shown for a record"]
        return []
