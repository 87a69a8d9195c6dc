"""A broken or incompatible package is refused whole: 422 (409 when a key is only taken)
naming each problem by its path in the package, the preview naming the same, and nothing
left behind: no app, form table, flow, role or connector."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import inspect

from tests.packages_fixtures import build_app, export


def _break(package: dict, change) -> dict:
    broken = copy.deepcopy(package)
    change(broken)
    return broken


def _set(path: str, value):
    """A change setting the value at a dotted path of the package."""

    def change(package):
        *parents, last = path.split(".")
        node = package
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value

    return change


def _lot_field(package, key):
    fields = package["forms"][1]["meta"]["fields"]
    return next(i for i, f in enumerate(fields) if f["key"] == key)


CASES = {
    "not a package": (lambda p: p.clear() or p.update({"hello": "world"}), "format"),
    "another version": (_set("format", "greenshelf.app/2"), "format"),
    "unknown field type": (
        lambda p: _set(f"forms.1.meta.fields.{_lot_field(p, 'qty')}.type", "hologram")(p),
        "forms.1.meta.fields.4.type",
    ),
    "a flow naming a missing form": (_set("flows.0.form", "nowhere"), "flows.0.form"),
    "a chart naming an unknown field": (
        _set("charts.1.definition.dimensions.0.field", "colour"),
        "charts.1.definition.dimensions.0.field",
    ),
    "an approver nobody can be": (
        _set("flows.0.tree.child.assignee", "boss:maybe"),
        "flows.0.tree.child",
    ),
    "a rule naming a missing field": (
        _set("rules.0.definition.quantity_field", "stock"),
        "rules.0.definition.quantity_field",
    ),
    "a dashboard naming a missing chart": (
        _set("dashboards.0.layout.0.chart", "gone"),
        "dashboards.0.layout.0.chart",
    ),
    "a connector of an unknown type": (_set("connectors.0.type", "pigeon"), "connectors.0.type"),
    "a key that is not a key": (_set("forms.0.key", "Product Form"), "forms.0.key"),
}


@pytest.fixture
def exported(make_tenant):
    source = make_tenant()
    return export(source, build_app(source).app_id)


def _left_behind(tenant, app_db) -> dict:
    admin = tenant.admin
    with app_db() as session:
        tables = [
            t
            for t in inspect(session.connection()).get_table_names()
            if t.startswith(f"f{tenant.id}_")
        ]
    return {
        "apps": admin.get("/api/v1/apps").json["items"],
        "forms": admin.get("/api/v1/forms").json["items"],
        "flows": admin.get("/api/v1/flows").json["items"],
        "rules": admin.get("/api/v1/rules").json["items"],
        "roles": [r for r in admin.get("/api/v1/roles").json["items"] if r["code"] == "checker"],
        "connectors": admin.get("/api/v1/connectors").json["items"],
        "tables": tables,
    }


NOTHING = {
    "apps": [],
    "forms": [],
    "flows": [],
    "rules": [],
    "roles": [],
    "connectors": [],
    "tables": [],
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_package_is_refused_whole_with_its_path(case, exported, make_tenant, app_db):
    change, path = CASES[case]
    package = _break(exported, change)
    target = make_tenant()
    target.add_user("boss")
    preview = target.admin.post("/api/v1/apps/import/preview", json=package)
    assert preview.status_code == 200 and not preview.json["importable"]
    assert path in preview.json["problems"], preview.json["problems"]
    refused = target.admin.post("/api/v1/apps/import", json=package)
    assert refused.status_code == 422, refused.json
    assert path in refused.json["errors"], refused.json["errors"]
    assert refused.json["errors"] == preview.json["problems"]
    assert _left_behind(target, app_db) == NOTHING


def test_an_app_that_is_there_already_is_a_conflict(exported, make_tenant):
    target = make_tenant()
    target.add_user("boss")
    assert target.admin.post("/api/v1/apps/import", json=exported).status_code == 201
    again = target.admin.post("/api/v1/apps/import", json=exported)
    assert again.status_code == 409 and again.json["code"] == "package_conflict"
    assert list(again.json["errors"]) == ["app.key"]
    preview = target.admin.post("/api/v1/apps/import/preview", json=exported).json
    assert preview["keep"]["app"][0]["key"] == "lots"


def test_the_same_table_imported_after_a_refusal_gets_the_new_fields(exported, make_tenant):
    """A refused import's forms are forgotten, tables and all: importing the package again
    with a changed form writes records with the changed fields."""
    target = make_tenant()
    target.add_user("boss")
    broken = _break(exported, _set("charts.1.definition.dimensions.0.field", "colour"))
    assert target.admin.post("/api/v1/apps/import", json=broken).status_code == 422
    fixed = copy.deepcopy(exported)
    fixed["forms"][1]["meta"]["fields"].append({"key": "colour", "type": "text", "label": "颜色"})
    fixed["charts"][1]["definition"]["dimensions"][0]["field"] = "colour"
    assert target.admin.post("/api/v1/apps/import", json=fixed).status_code == 201
    lot = next(f for f in target.admin.get("/api/v1/forms").json["items"] if f["key"] == "lot")
    added = target.admin.post(
        f"/api/v1/forms/{lot['id']}/records", json={"batch_no": "L-9", "colour": "红"}
    )
    assert added.status_code == 201, added.json
    assert added.json["colour"] == "红"


def test_problems_speak_the_callers_language(exported, make_tenant):
    target = make_tenant()
    zh = {"Accept-Language": "zh-CN"}
    refused = target.admin.post("/api/v1/apps/import", json={"format": "x"}, headers=zh)
    assert refused.status_code == 422
    assert refused.json["message"].startswith("无法导入此应用包")
    assert refused.json["errors"]["format"][0].startswith("此应用包的格式")
    preview = target.admin.post("/api/v1/apps/import/preview", json=exported, headers=zh).json
    assert preview["problems"]["users"] == ["应用包中指定的用户在本租户不存在：boss。"]
