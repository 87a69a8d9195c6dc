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

from app.api.common import list_of
from app.api.context import current_scope
from app.api.dashboard_schemas import (
    ChartDataIn,
    ChartDrillIn,
    ChartDrillOut,
    ChartFiguresOut,
    ChartFileQuery,
    ChartIn,
    ChartOut,
    ChartPatch,
    ChartPreviewIn,
    ChartQuery,
    ChartSourceOut,
    ChartSourcesQuery,
    DashboardDetailOut,
    DashboardIn,
    DashboardOut,
    DashboardPatch,
    DashboardQuery,
    GlobalFilters,
    loaded_filters,
)
from app.api.errors import wants_chinese
from app.auth.permissions import require
from app.dashboards import charts, dashboards, data, sources
from app.dashboards.cache import store_for

blp = Blueprint("dashboards", __name__, url_prefix="/api/v1", description="Charts and dashboards")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


@blp.route("/charts/sources")
class ChartSources(MethodView):
    @blp.arguments(ChartSourcesQuery, location="query")
    @blp.response(200, list_of(ChartSourceOut, "ChartSourceList"))
    def get(self, args):
        """What a chart over the form can read besides its records, with the fields each adds."""
        return {"items": sources.chart_sources(_designer(), args["form_id"])}


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
            loaded_filters(payload["filters"]),
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
        scope, filters = _viewer(), loaded_filters(payload["filters"])
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
        return data.drill(_viewer(), chart_id, loaded_filters(payload["filters"]), payload["point"])


@blp.route("/charts/<int:chart_id>/data.xlsx")
class ChartFile(MethodView):
    @blp.arguments(ChartFileQuery, location="query")
    @blp.response(200)
    def get(self, args, chart_id):
        """The chart's figures as an Excel workbook."""
        loaded = GlobalFilters().load(json.loads(args["filters"])) if args["filters"] else {}
        chart, content = data.chart_file(
            _viewer(), chart_id, loaded_filters(loaded), _locale(), _store()
        )
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
