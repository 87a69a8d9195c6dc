"""Use cases on apps: the folders that group forms, flows, rules and dashboards."""

from __future__ import annotations

from app.auth.scope import Scope
from app.errors import Conflict
from app.keys import free_key
from app.models import App, Form

EDITABLE = ("label", "description", "icon")


def list_apps(scope: Scope) -> list[App]:
    return list(scope.session.scalars(scope.select(App).order_by(App.id)))


def create_app_record(scope: Scope, data: dict, language: str = "zh") -> App:
    key = data.get("key") or free_key(scope, App, data["label"], language, "app")
    if scope.session.scalar(scope.select(App).where(App.key == key)) is not None:
        raise Conflict("This app key is taken.", {"key": ["Already in use."]})
    app = scope.add(App(key=key, **{k: data[k] for k in EDITABLE if k in data}))
    scope.session.commit()
    return app


def update_app(scope: Scope, app_id: int, data: dict) -> App:
    app = scope.get(App, app_id, "app")
    for key in EDITABLE:
        if key in data:
            setattr(app, key, data[key])
    scope.session.commit()
    return app


def delete_app(scope: Scope, app_id: int) -> None:
    app = scope.get(App, app_id, "app")
    if scope.session.scalar(scope.select(Form).where(Form.app_id == app.id).limit(1)):
        raise Conflict("This app still has forms: delete or move them first.")
    scope.session.delete(app)
    scope.session.commit()
