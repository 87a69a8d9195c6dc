"""A user of the tenant (e.g. the person responsible for a batch)."""

from __future__ import annotations

from form_engine.fields.reference import ReferenceField


class UserField(ReferenceField):
    name = "user"
    ui = "user"
    target_kind = "users"
