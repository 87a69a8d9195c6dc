"""Use cases on dashboards: charts laid out on a grid, global filters, refresh, and sharing.

Who may view: holders of ``dashboards.view`` in one of the viewer roles (no viewer roles:
every holder), and whoever may edit. Who may edit: holders of ``dashboards.design`` in one
of the editor roles (no editor roles: every designer), and the dashboard's creator while
they hold ``dashboards.design``. A dashboard the caller may not view does not exist for
them (404); one they may view but not edit answers a change with 403.
"""

from __future__ import annotations

from app.auth.scope import Scope
from app.dashboards.keys import claim_key, new_key, rekey
from app.errors import Forbidden, NotFound, ValidationError
from app.models import App, Chart, Dashboard, Role, User

#: the largest id the platform's tables hold (32-bit keys)
MAX_ROW_ID = 2**31 - 1
EDITABLE = (
    "label",
    "app_id",
    "layout",
    "filters",
    "refresh_seconds",
    "viewer_role_ids",
    "editor_role_ids",
)


def _role_ids(user: User) -> set[int]:
    return {role.id for role in user.roles}


def may_edit(user: User | None, dashboard: Dashboard) -> bool:
    if user is None or not user.can("dashboards.design"):
        return False
    if user.is_admin or dashboard.created_by == user.id or not dashboard.editor_role_ids:
        return True
    return bool(_role_ids(user) & set(dashboard.editor_role_ids))


def may_view(user: User | None, dashboard: Dashboard) -> bool:
    if user is None:
        return False
    if may_edit(user, dashboard):
        return True
    if not user.can("dashboards.view"):
        return False
    return not dashboard.viewer_role_ids or bool(_role_ids(user) & set(dashboard.viewer_role_ids))


def list_dashboards(scope: Scope, app_id: int | None = None) -> list[Dashboard]:
    """The dashboards the caller may view."""
    stmt = scope.select(Dashboard).order_by(Dashboard.id)
    if app_id is not None:
        stmt = stmt.where(Dashboard.app_id == app_id)
    return [d for d in scope.session.scalars(stmt) if may_view(scope.user, d)]


def get_dashboard(scope: Scope, dashboard_id: int) -> Dashboard:
    dashboard = scope.get(Dashboard, dashboard_id, "dashboard")
    if not may_view(scope.user, dashboard):
        raise NotFound(f"No dashboard with id {dashboard_id}.")
    return dashboard


def charts_placed(scope: Scope, dashboard: Dashboard) -> list[Chart]:
    """The charts the dashboard's layout places, in reading order (top to bottom, then
    left to right)."""
    items = sorted(dashboard.layout, key=lambda item: (item["y"], item["x"]))
    ids = [item["chart_id"] for item in items]
    if not ids:
        return []
    stmt = scope.select(Chart).where(Chart.id.in_(set(ids)))
    charts = {chart.id: chart for chart in scope.session.scalars(stmt)}
    return [charts[i] for i in ids if i in charts]


def _editable(scope: Scope, dashboard_id: int) -> Dashboard:
    dashboard = get_dashboard(scope, dashboard_id)
    if not may_edit(scope.user, dashboard):
        raise Forbidden("Only this dashboard's editors can change it.")
    return dashboard


def create_dashboard(scope: Scope, data: dict) -> Dashboard:
    key = claim_key(scope, Dashboard, data.get("key") or new_key("dashboard"), "dashboard")
    _check_references(scope, data)
    dashboard = scope.add(
        Dashboard(
            key=key,
            created_by=scope.user.id if scope.user else None,
            **{name: data[name] for name in EDITABLE if name in data},
        )
    )
    scope.session.commit()
    return dashboard


def update_dashboard(scope: Scope, dashboard_id: int, data: dict) -> Dashboard:
    dashboard = _editable(scope, dashboard_id)
    rekey(scope, dashboard, data, "dashboard")
    _check_references(scope, data)
    for name in EDITABLE:
        if name in data:
            setattr(dashboard, name, data[name])
    scope.session.commit()
    return dashboard


def delete_dashboard(scope: Scope, dashboard_id: int) -> None:
    scope.session.delete(_editable(scope, dashboard_id))
    scope.session.commit()


def _check_references(scope: Scope, data: dict) -> None:
    """The app, the charts of the layout and the roles exist in the tenant."""
    errors: dict[str, list[str]] = {}
    if data.get("app_id") is not None and not _existing(scope, App, [data["app_id"]]):
        errors["app_id"] = [f"No app with id {data['app_id']}."]
    layout = data.get("layout") or []
    charts = _existing(scope, Chart, [item["chart_id"] for item in layout])
    for index, item in enumerate(layout):
        if item["chart_id"] not in charts:
            errors[f"layout.{index}.chart_id"] = [f"No chart with id {item['chart_id']}."]
    for name in ("viewer_role_ids", "editor_role_ids"):
        ids = data.get(name) or []
        roles = _existing(scope, Role, ids)
        for index, role_id in enumerate(ids):
            if role_id not in roles:
                errors[f"{name}.{index}"] = [f"No role with id {role_id}."]
    if errors:
        first = next(iter(errors))
        raise ValidationError(f"Some fields are not valid: {first}: {errors[first][0]}", errors)


def _existing(scope: Scope, model, ids: list[int]) -> set[int]:
    """Which of ``ids`` are rows of ``model`` in the tenant (the tables' ids are 32-bit)."""
    wanted = {i for i in ids if 0 < i <= MAX_ROW_ID}
    if not wanted:
        return set()
    return set(scope.session.scalars(scope.select(model, model.id).where(model.id.in_(wanted))))
