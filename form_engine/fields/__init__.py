"""The registry of field types: one module per type, looked up by the metadata's "type"."""

from __future__ import annotations

from form_engine.fields.attachment import AttachmentField
from form_engine.fields.autonumber import AutoNumberField
from form_engine.fields.base import FieldError, FieldType
from form_engine.fields.checkbox import CheckboxField
from form_engine.fields.date import DateField
from form_engine.fields.datetime_field import DateTimeField
from form_engine.fields.decimal_number import DecimalField
from form_engine.fields.department import DepartmentField
from form_engine.fields.email import EmailField
from form_engine.fields.formula import FormulaField
from form_engine.fields.image import ImageField
from form_engine.fields.location import LocationField
from form_engine.fields.money import MoneyField
from form_engine.fields.multiselect import MultiSelectField
from form_engine.fields.number import IntegerField
from form_engine.fields.percent import PercentField
from form_engine.fields.phone import PhoneField
from form_engine.fields.radio import RadioField
from form_engine.fields.rating import RatingField
from form_engine.fields.relation import RelationField
from form_engine.fields.richtext import RichTextField
from form_engine.fields.select import SelectField
from form_engine.fields.subtable import SubTableField
from form_engine.fields.switch import SwitchField
from form_engine.fields.text import TextField
from form_engine.fields.textarea import TextAreaField
from form_engine.fields.time_field import TimeField
from form_engine.fields.user import UserField

FIELD_TYPES: dict[str, FieldType] = {
    cls.name: cls()
    for cls in (
        TextField,
        TextAreaField,
        RichTextField,
        IntegerField,
        DecimalField,
        MoneyField,
        PercentField,
        DateField,
        DateTimeField,
        TimeField,
        SelectField,
        MultiSelectField,
        RadioField,
        CheckboxField,
        SwitchField,
        UserField,
        DepartmentField,
        RelationField,
        SubTableField,
        AttachmentField,
        ImageField,
        AutoNumberField,
        FormulaField,
        PhoneField,
        EmailField,
        LocationField,
        RatingField,
    )
}


def field_type(field: dict) -> FieldType:
    return FIELD_TYPES[field["type"]]


def expression_fields(fields: list[dict]) -> dict[str, str]:
    """The fields an expression on this form may name, with their expression types."""
    types = {}
    for f in fields:
        kind = field_type(f).expression_type(f)
        if kind is not None and not f.get("removed"):
            types[f["key"]] = kind
    return types


__all__ = ["FIELD_TYPES", "FieldError", "FieldType", "expression_fields", "field_type"]
