"""Several choices shown as check boxes."""

from __future__ import annotations

from form_engine.fields.multiselect import MultiSelectField


class CheckboxField(MultiSelectField):
    name = "checkbox"
    ui = "checkbox"
