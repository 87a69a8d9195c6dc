"""The request and answer schemas of the charts and dashboards API (``app.api.dashboards``)."""

from __future__ import annotations

import json

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

from app.api.common import Id

KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="a-z, 0-9 and _, starting with a letter")
Label = fields.Dict(
    keys=fields.Str(validate=validate.OneOf(["zh", "en"])),
    values=fields.Str(validate=validate.Length(max=200)),
)


class GlobalFilters(Schema):
    """A dashboard's global filters: a date range on each chart's date field, and values of
    fields (keys a chart's form lacks are ignored for that chart)."""

    class Meta:
        unknown = RAISE

    date_from = fields.Date(load_default=None, allow_none=True)
    date_to = fields.Date(load_default=None, allow_none=True)
    equals = fields.Dict(keys=fields.Str(), values=fields.Raw(allow_none=True), load_default=dict)
    date_field_label = fields.Raw(load_default=None, allow_none=True)

    @validates_schema
    def _range(self, data, **_):
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError("Not before date_from.", "date_to")


def loaded_filters(loaded: dict | None) -> dict:
    """The filters a chart reads (the label is for people only)."""
    loaded = loaded or {}
    return {k: loaded.get(k) for k in ("date_from", "date_to")} | {
        "equals": loaded.get("equals") or {}
    }


class DesignedOut(Schema):
    """What charts and dashboards have alike: names, their app, who made them and when."""

    id = fields.Int()
    key = fields.Str()
    label = fields.Dict()
    app_id = fields.Int()
    created_by = fields.Int(allow_none=True)
    updated_at = fields.DateTime()


class DesignedPatch(Schema):
    key = fields.Str(validate=KEY)
    label = Label
    app_id = Id()


class ChartOut(DesignedOut):
    form_id = fields.Int()
    definition = fields.Dict()


class ChartPatch(DesignedPatch):
    form_id = Id()
    definition = fields.Dict()


class ChartIn(ChartPatch):
    label = fields.Dict(required=True)
    form_id = Id(required=True)
    definition = fields.Dict(required=True)


class ChartQuery(Schema):
    app_id = Id(load_default=None)
    form_id = Id(load_default=None)


class ChartSourcesQuery(Schema):
    form_id = Id(required=True)


ChartSourceOut = Schema.from_dict(
    {
        "key": fields.Str(metadata={"description": "what a definition's source names: alerts"}),
        "fields": fields.List(
            fields.Dict(),
            metadata={"description": "the fields it adds: {key, type, label, options}"},
        ),
        "rules": fields.Int(metadata={"description": "the warning rules watching the form"}),
    },
    name="ChartSource",
)


class ChartPreviewIn(Schema):
    form_id = Id(required=True)
    definition = fields.Dict(required=True)
    filters = fields.Nested(GlobalFilters, load_default=dict)


class ChartFiltersIn(Schema):
    filters = fields.Nested(GlobalFilters, load_default=dict)


def _point(**extra):
    return fields.Dict(
        keys=fields.Str(),
        values=fields.Raw(allow_none=True),
        metadata={"description": "{dimension key: value}, the values as the figures gave them"},
        **extra,
    )


class ChartDataIn(ChartFiltersIn):
    point = _point(load_default=None)
    depth = fields.Int(
        load_default=None,
        validate=validate.Range(min=0),
        metadata={"description": "the drill step: 0 is the top of the chart's ladder"},
    )


class ChartDrillIn(ChartFiltersIn):
    point = _point(required=True)


class ChartFileQuery(Schema):
    filters = fields.Str(load_default=None, metadata={"description": "JSON global filters"})

    @validates("filters")
    def _json(self, value, **_):
        if value is None:
            return
        try:
            loaded = json.loads(value)
        except ValueError:
            raise ValidationError("Not valid JSON.") from None
        if not isinstance(loaded, dict):
            raise ValidationError("A JSON object of filters.")
        errors = GlobalFilters().validate(loaded)
        if errors:
            raise ValidationError(errors)


class ChartFiguresOut(Schema):
    dimensions = fields.List(fields.Dict(), metadata={"description": "{key, label, type}"})
    measures = fields.List(fields.Dict(), metadata={"description": "{key, label}"})
    rows = fields.List(
        fields.Dict(),
        metadata={"description": "{dimension key: {value, label}, measure key: number}"},
    )
    totals = fields.Dict()
    previous = fields.Dict(
        allow_none=True, metadata={"description": "{totals, date_from, date_to}"}
    )
    truncated = fields.Bool()
    cached = fields.Bool()
    computed_at = fields.Str()


class DrilledAlertOut(Schema):
    record_id = fields.Int()
    title = fields.Raw(allow_none=True)
    alert_rule = fields.Str(allow_none=True)
    alert_level = fields.Str()
    alert_raised_at = fields.Str(allow_none=True)
    alert_handled_at = fields.Str(allow_none=True)
    alert_closed_at = fields.Str(allow_none=True)
    alert_hours = fields.Float(allow_none=True)


class ChartDrillOut(Schema):
    form_id = fields.Int()
    filter = fields.Raw(allow_none=True)
    count = fields.Int()
    alerts = fields.List(
        fields.Nested(DrilledAlertOut),
        metadata={"description": "a chart of alerts: the alerts behind the value (first 200)"},
    )


class DashboardLayoutItem(Schema):
    class Meta:
        unknown = RAISE

    chart_id = Id(required=True)
    x = fields.Int(required=True, validate=validate.Range(min=0, max=1000))
    y = fields.Int(required=True, validate=validate.Range(min=0, max=100000))
    w = fields.Int(required=True, validate=validate.Range(min=1, max=1000))
    h = fields.Int(required=True, validate=validate.Range(min=1, max=1000))


class DashboardOut(DesignedOut):
    layout = fields.List(fields.Dict())
    filters = fields.Dict()
    refresh_seconds = fields.Int(allow_none=True)
    viewer_role_ids = fields.List(fields.Int())
    editor_role_ids = fields.List(fields.Int())
    can_edit = fields.Bool()


class DashboardChartOut(Schema):
    id = fields.Int()
    label = fields.Dict()
    form_id = fields.Int()
    definition = fields.Dict()


class DashboardDetailOut(DashboardOut):
    charts = fields.List(
        fields.Nested(DashboardChartOut),
        metadata={"description": "the charts its layout places, for drawing them"},
    )


class DashboardPatch(DesignedPatch):
    layout = fields.List(fields.Nested(DashboardLayoutItem), validate=validate.Length(max=100))
    filters = fields.Nested(GlobalFilters)
    refresh_seconds = fields.Int(allow_none=True, validate=validate.Range(min=5, max=86400))
    viewer_role_ids = fields.List(Id(), validate=validate.Length(max=200))
    editor_role_ids = fields.List(Id(), validate=validate.Length(max=200))


class DashboardIn(DashboardPatch):
    label = fields.Dict(required=True)
    app_id = Id(required=True)


class DashboardQuery(Schema):
    app_id = Id(load_default=None)
