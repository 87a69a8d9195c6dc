"""Charts and dashboards: design, figures, drill-down to records, Excel, sharing.

Reading needs ``dashboards.view``, designing ``dashboards.design``; the figures a viewer
sees are always within their records data scope.
"""

from __future__ import annotations

import io
import json

from flask import current_app, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

from app.api.common import Id, list_of
from app.api.context import current_scope
from app.api.errors import wants_chinese
from app.auth.permissions import require
from app.dashboards import charts, dashboards, data
from app.dashboards.cache import store_for

blp = Blueprint("dashboards", __name__, url_prefix="/api/v1", description="Charts and dashboards")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


def _filters(loaded: dict | None) -> dict:
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


def _viewer():
    scope = current_scope()
    require(scope.user, "dashboards.view")
    return scope


def _designer():
    scope = current_scope()
    require(scope.user, "dashboards.design")
    return scope


def _locale() -> str:
    return "zh" if wants_chinese() else "en"


def _store():
    return store_for(current_app)


def _stored(payload: dict) -> dict:
    """A dashboard's filters as they are kept: dates as ISO text."""
    if payload.get("filters") is None:
        return payload
    kept = {k: v for k, v in payload["filters"].items() if v is not None}
    for name in ("date_from", "date_to"):
        if kept.get(name) is not None:
            kept[name] = kept[name].isoformat()
    return {**payload, "filters": kept}


def _dashboard_out(scope, dashboard) -> dict:
    """The dashboard with whether the caller may change it."""
    out = {name: getattr(dashboard, name) for name in DashboardOut().fields if name != "can_edit"}
    return {**out, "can_edit": dashboards.may_edit(scope.user, dashboard)}


def _dashboard_detail(scope, dashboard) -> dict:
    """The dashboard with its charts, so that whoever may view it can draw it."""
    placed = dashboards.charts_placed(scope, dashboard)
    return {**_dashboard_out(scope, dashboard), "charts": placed}


@blp.route("/charts")
class Charts(MethodView):
    @blp.arguments(ChartQuery, location="query")
    @blp.response(200, list_of(ChartOut, "ChartList"))
    def get(self, args):
        """The tenant's charts (of an app or a form)."""
        return {"items": charts.list_charts(_viewer(), args["app_id"], args["form_id"])}

    @blp.arguments(ChartIn)
    @blp.response(201, ChartOut)
    def post(self, payload):
        """Create a chart; its definition is checked against the form."""
        return charts.create_chart(_designer(), payload)


@blp.route("/charts/preview")
class ChartPreview(MethodView):
    @blp.arguments(ChartPreviewIn)
    @blp.response(200, ChartFiguresOut)
    def post(self, payload):
        """The figures of a definition not saved yet."""
        return data.preview(
            _designer(),
            payload["form_id"],
            payload["definition"],
            _filters(payload["filters"]),
            _locale(),
            _store(),
        )


@blp.route("/charts/<int:chart_id>")
class ChartItem(MethodView):
    @blp.response(200, ChartOut)
    def get(self, chart_id):
        """One chart with its definition."""
        return charts.get_chart(_viewer(), chart_id)

    @blp.arguments(ChartPatch)
    @blp.response(200, ChartOut)
    def patch(self, payload, chart_id):
        """Change the label, the definition (checked again) or the form."""
        return charts.update_chart(_designer(), chart_id, payload)

    @blp.response(204)
    def delete(self, chart_id):
        """Delete a chart that no dashboard shows (409 naming those that do)."""
        charts.delete_chart(_designer(), chart_id)


@blp.route("/charts/<int:chart_id>/data")
class ChartData(MethodView):
    @blp.arguments(ChartDataIn)
    @blp.response(200, ChartFiguresOut)
    def post(self, payload, chart_id):
        """The chart's figures under the global filters, in the caller's data scope. With a
        point or a depth, a drill step: the records at the point, grouped by the dimensions
        of the view at that depth (a chart that draws one dimension at a time steps through
        them in order; a stacked bar or heatmap keeps its last one as the stacks)."""
        scope, filters = _viewer(), _filters(payload["filters"])
        if payload["point"] is None and payload["depth"] is None:
            return data.chart_data(scope, chart_id, filters, _locale(), _store())
        point, depth = payload["point"] or {}, payload["depth"] or 0
        return data.step_data(scope, chart_id, filters, point, depth, _locale(), _store())


@blp.route("/charts/<int:chart_id>/drill")
class ChartDrill(MethodView):
    @blp.arguments(ChartDrillIn)
    @blp.response(200, ChartDrillOut)
    def post(self, payload, chart_id):
        """The filter that lists the records behind one value (for GET /forms/{id}/records)."""
        return data.drill(_viewer(), chart_id, _filters(payload["filters"]), payload["point"])


@blp.route("/charts/<int:chart_id>/data.xlsx")
class ChartFile(MethodView):
    @blp.arguments(ChartFileQuery, location="query")
    @blp.response(200)
    def get(self, args, chart_id):
        """The chart's figures as an Excel workbook."""
        loaded = GlobalFilters().load(json.loads(args["filters"])) if args["filters"] else {}
        chart, content = data.chart_file(_viewer(), chart_id, _filters(loaded), _locale(), _store())
        return send_file(
            io.BytesIO(content),
            mimetype=XLSX,
            as_attachment=True,
            download_name=f"{chart.key}.xlsx",
        )


@blp.route("/dashboards")
class Dashboards(MethodView):
    @blp.arguments(DashboardQuery, location="query")
    @blp.response(200, list_of(DashboardOut, "DashboardList"))
    def get(self, args):
        """The dashboards the caller may view."""
        scope = _viewer()
        found = dashboards.list_dashboards(scope, args["app_id"])
        return {"items": [_dashboard_out(scope, d) for d in found]}

    @blp.arguments(DashboardIn)
    @blp.response(201, DashboardDetailOut)
    def post(self, payload):
        """Create a dashboard."""
        scope = _designer()
        return _dashboard_detail(scope, dashboards.create_dashboard(scope, _stored(payload)))


@blp.route("/dashboards/<int:dashboard_id>")
class DashboardItem(MethodView):
    @blp.response(200, DashboardDetailOut)
    def get(self, dashboard_id):
        """One dashboard with the charts it places (404 for a caller who may not view it)."""
        scope = _viewer()
        return _dashboard_detail(scope, dashboards.get_dashboard(scope, dashboard_id))

    @blp.arguments(DashboardPatch)
    @blp.response(200, DashboardDetailOut)
    def patch(self, payload, dashboard_id):
        """Change the layout, filters, refresh or sharing (its editors only)."""
        scope = _designer()
        updated = dashboards.update_dashboard(scope, dashboard_id, _stored(payload))
        return _dashboard_detail(scope, updated)

    @blp.response(204)
    def delete(self, dashboard_id):
        """Delete a dashboard (its editors only); its charts stay."""
        dashboards.delete_dashboard(_designer(), dashboard_id)
