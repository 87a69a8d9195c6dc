"""Publishing forms: real tables, additive changes, refused type changes, versions."""

from __future__ import annotations

from sqlalchemy import inspect, text

from tests.forms_fixtures import BATCH_FIELDS, make_form, records_url


def _publish(tenant, form, fields):
    admin = tenant.admin
    saved = admin.patch(f"/api/v1/forms/{form['id']}", json={"draft": {"fields": fields}})
    assert saved.status_code == 200, saved.json
    return admin.post(f"/api/v1/forms/{form['id']}/publish")


def test_publishing_creates_a_real_table_with_typed_columns(tenant, app_db):
    form = make_form(tenant)
    with app_db() as session:
        inspector = inspect(session.connection())
        columns = {c["name"]: c for c in inspector.get_columns(form["table_name"])}
        child = {c["name"] for c in inspector.get_columns(f"{form['table_name']}__lines")}
        indexes = {i["name"]: i for i in inspector.get_indexes(form["table_name"])}
    assert {"batch_no", "qty", "cost", "expiry", "row_version", "tenant_id"} <= set(columns)
    assert "NUMERIC" in str(columns["cost"]["type"]).upper()
    assert "DATE" in str(columns["expiry"]["type"]).upper()
    assert {"sku", "q", "parent_id", "position"} <= child
    assert any(i["unique"] and "batch_no" in i["column_names"] for i in indexes.values())


def test_adding_a_field_keeps_existing_rows(tenant):
    form = make_form(tenant)
    url = records_url(form)
    for i in range(3):
        assert tenant.admin.post(url, json={"batch_no": f"B{i}", "qty": i}).status_code == 201
    note = {"key": "note", "type": "textarea", "label": "备注"}
    response = _publish(tenant, form, [*BATCH_FIELDS, note])
    assert response.status_code == 201
    assert any("added column" in c and "note" in c for c in response.json["changes"])
    rows = tenant.admin.get(f"{url}?sort=batch_no").json["items"]
    assert [(r["batch_no"], r["qty"], r["note"]) for r in rows] == [
        ("B0", 0, None),
        ("B1", 1, None),
        ("B2", 2, None),
    ]


def test_removing_a_field_hides_it_and_keeps_its_data(tenant, app_db):
    form = make_form(tenant)
    url = records_url(form)
    tenant.admin.post(url, json={"batch_no": "B1", "qty": 7, "cost": "2.5"})
    without_cost = [f for f in BATCH_FIELDS if f["key"] != "cost"]
    assert _publish(tenant, form, without_cost).status_code == 201
    record = tenant.admin.get(url).json["items"][0]
    assert "cost" not in record and record["qty"] == 7
    with app_db() as session:
        kept = session.execute(text(f"SELECT cost FROM {form['table_name']}")).scalar_one()
    assert float(kept) == 2.5
    draft = tenant.admin.get(f"/api/v1/forms/{form['id']}").json["draft"]
    assert any(f["key"] == "cost" and f.get("removed") for f in draft["fields"])
    # Bringing the field back shows the kept value again.
    assert _publish(tenant, form, BATCH_FIELDS).status_code == 201
    assert tenant.admin.get(url).json["items"][0]["cost"] == "2.5000"


def test_incompatible_type_change_is_refused_and_changes_nothing(tenant):
    form = make_form(tenant)
    tenant.admin.post(records_url(form), json={"batch_no": "B1", "qty": 3})
    changed = [dict(f, type="text") if f["key"] == "qty" else f for f in BATCH_FIELDS]
    response = _publish(tenant, form, changed)
    assert response.status_code == 422
    message = response.json["errors"]["fields.2.type"][0]
    assert "integer" in message and "Add a new field" in message
    assert tenant.admin.get(f"/api/v1/forms/{form['id']}").json["published_version"] == 1
    assert tenant.admin.get(records_url(form)).json["items"][0]["qty"] == 3


def test_renaming_a_label_changes_only_the_label(tenant):
    form = make_form(tenant)
    relabelled = [
        dict(f, label={"zh": "库存数量"}) if f["key"] == "qty" else f for f in BATCH_FIELDS
    ]
    tenant.admin.patch(f"/api/v1/forms/{form['id']}", json={"draft": {"fields": relabelled}})
    preview = tenant.admin.get(f"/api/v1/forms/{form['id']}/publish").json
    assert preview["version"] == 2
    assert [c["key"] for c in preview["diff"]["relabelled"]] == ["qty"]
    assert preview["diff"]["added"] == [] and preview["diff"]["removed"] == []
    published = tenant.admin.post(f"/api/v1/forms/{form['id']}/publish").json
    assert published["changes"] == []


def test_versions_are_kept_and_diffable(tenant):
    form = make_form(tenant)
    _publish(tenant, form, [*BATCH_FIELDS, {"key": "note", "type": "text", "label": "N"}])
    versions = tenant.admin.get(f"/api/v1/forms/{form['id']}/versions").json["items"]
    assert [v["version"] for v in versions] == [1, 2]
    diff = tenant.admin.get(f"/api/v1/forms/{form['id']}/versions/1/diff/2").json
    assert [f["key"] for f in diff["added"]] == ["note"]
    assert tenant.admin.get(f"/api/v1/forms/{form['id']}/versions/1/diff/9").status_code == 422


def test_bad_metadata_is_reported_by_path(tenant):
    bad = [
        {"key": "qty", "type": "integer", "label": "Q"},
        {"key": "qty", "type": "text", "label": "again"},
        {"key": "kind", "type": "select", "label": "K", "options": []},
        {"key": "Bad Key", "type": "text", "label": "x"},
        {"key": "id", "type": "text", "label": "reserved"},
        {"key": "x", "type": "no_such_type", "label": "x"},
    ]
    form = make_form(tenant, fields=bad, publish=False)
    response = tenant.admin.post(f"/api/v1/forms/{form['id']}/publish")
    assert response.status_code == 422
    errors = response.json["errors"]
    assert "fields.3.key" in errors and "fields.5.type" in errors
    fixed = bad[:3] + [{"key": "id2", "type": "text", "label": "ok"}]
    response = _publish(tenant, form, fixed)
    assert response.status_code == 422
    assert "fields.1.key" in response.json["errors"]
    assert "fields.2" in response.json["errors"]


def test_records_need_a_published_form(tenant):
    form = make_form(tenant, publish=False)
    response = tenant.admin.post(records_url(form), json={"batch_no": "x"})
    assert response.status_code == 409 and response.json["code"] == "form_not_published"


def test_relation_must_point_at_a_published_form(tenant):
    fields = [
        {
            "key": "sku",
            "type": "relation",
            "label": "SKU",
            "relation": {"form": "nowhere", "display": "name"},
        }
    ]
    form = make_form(tenant, fields=fields, publish=False)
    response = tenant.admin.post(f"/api/v1/forms/{form['id']}/publish")
    assert response.status_code == 422 and "fields.0.relation.form" in response.json["errors"]
