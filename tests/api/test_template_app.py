"""The expiry template installs as an app package, with demo data that raises alerts."""

from __future__ import annotations

from app.auth.demo_org import load_demo_org
from app.auth.scope import Scope
from app.extensions import db
from app.models import User
from app.packages.packages import export_app, import_app
from app.packages.seeding import install_template


def _scope(tenant):
    admin = db.session.get(User, tenant.admin_id)
    return Scope(db.session, tenant.id, admin)


def test_template_with_demo_data_raises_alerts_and_todos(tenant, app):
    with app.app_context():
        load_demo_org(_scope(tenant), "demo-pass-123")
        lines = list(
            install_template(_scope(tenant), "expiry_disposal", demo=True, progress=lambda _: None)
        )
        db.session.remove()
    assert lines[0].startswith("Installed the 'expiry_disposal' app: 4 forms, 2 rules")
    forms = {f["key"]: f for f in tenant.admin.get("/api/v1/forms").json["items"]}
    assert set(forms) == {"sku", "batch", "outbound", "disposal"}
    batches = tenant.admin.get(f"/api/v1/forms/{forms['batch']['id']}/records?page_size=1").json
    assert batches["total"] == 120
    record = batches["items"][0]
    assert record["expiry"] and record["stock_value"] is not None  # formulas computed
    summary = tenant.admin.get("/api/v1/alerts/summary").json["levels"]
    assert all(summary[level]["count"] > 0 for level in ("yellow", "red", "expired"))
    disposal = forms["disposal"]["id"]
    scrap = tenant.admin.post(
        f"/api/v1/forms/{disposal}/records",
        json={"batch": record["id"], "method": "scrap", "qty": 1},
    )
    assert scrap.status_code == 422 and "reason" in scrap.json["errors"]  # required_if
    donation = tenant.admin.post(
        f"/api/v1/forms/{disposal}/records",
        json={
            "batch": record["batch_no"],
            "method": "donation",
            "qty": 1,
            "recipient": "市慈善总会",
            "reason": "ignored when hidden",
        },
    )
    assert donation.status_code == 201, donation.json
    assert donation.json["reason"] is None and donation.json["disposal_no"].startswith("DSP-")


def test_export_then_import_into_another_tenant(make_tenant, app):
    source, target = make_tenant(), make_tenant()
    with app.app_context():
        list(install_template(_scope(source), "expiry_disposal", demo=False))
        app_id = source.admin.get("/api/v1/apps").json["items"][0]["id"]
        package = export_app(_scope(source), app_id)
        db.session.remove()
    assert [f["key"] for f in package["forms"]] == ["sku", "batch", "outbound", "disposal"]
    package["forms"].reverse()  # relations are resolved whatever the order
    with app.app_context():
        import_app(_scope(target), package)
        db.session.remove()
    keys = {f["key"] for f in target.admin.get("/api/v1/forms").json["items"]}
    assert keys == {"sku", "batch", "outbound", "disposal"}
    rules = target.admin.get("/api/v1/rules").json["items"]
    assert {r["key"] for r in rules} == {"expiry_levels", "predicted_unsold"}
    assert all(r["published_version"] == 1 for r in rules)
