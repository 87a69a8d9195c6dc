"""Single choice shown as radio buttons."""

from __future__ import annotations

from form_engine.fields.select import SelectField


class RadioField(SelectField):
    name = "radio"
    ui = "radio"
