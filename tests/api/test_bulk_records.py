"""Bulk create and import write many records at once, with one-record answers."""

from __future__ import annotations

import io

from form_engine import bulk_write
from tests.forms_fixtures import make_form, records_url


def _bulk(client, form, records):
    return client.post(f"{records_url(form)}/bulk", json={"records": records})


def test_bulk_create_names_a_taken_key_and_writes_nothing(tenant):
    form = make_form(tenant)
    tenant.admin.post(records_url(form), json={"batch_no": "B1"})
    stored = _bulk(tenant.admin, form, [{"batch_no": "B2"}, {"batch_no": "B1"}])
    assert stored.status_code == 409
    assert stored.json["errors"] == {"batch_no": ["'B1' is already used."]}
    twice = _bulk(tenant.admin, form, [{"batch_no": "B3"}, {"batch_no": "B3"}])
    assert twice.status_code == 409 and "batch_no" in twice.json["errors"]
    bad = _bulk(tenant.admin, form, [{"batch_no": "B4"}, {"batch_no": "B5", "qty": "x"}])
    assert bad.status_code == 422 and bad.json["errors"] == {"1.qty": ["Must be a number."]}
    assert tenant.admin.get(records_url(form)).json["total"] == 1


def test_bulk_create_numbers_records_in_order_and_keeps_their_lines(tenant):
    form = make_form(tenant)
    first = tenant.admin.post(records_url(form), json={"batch_no": "B1"}).json
    created = _bulk(
        tenant.admin,
        form,
        [{"batch_no": "B2", "lines": [{"sku": "S1", "q": 1}, {"sku": "S2"}]}, {"batch_no": "B3"}],
    )
    assert created.status_code == 201, created.json
    ids = created.json["ids"]
    assert ids == sorted(ids) and ids[0] > first["id"]
    second = tenant.admin.get(f"{records_url(form)}/{ids[0]}").json
    third = tenant.admin.get(f"{records_url(form)}/{ids[1]}").json
    assert [line["sku"] for line in second["lines"]] == ["S1", "S2"] and third["lines"] == []
    lots = [r["lot"] for r in (first, second, third)]
    assert [int(lot[-4:]) for lot in lots] == [1, 2, 3] and second["_row_version"] == 1


def test_a_clash_written_meanwhile_is_reported_on_its_own_row(tenant, monkeypatch):
    """Another writer may take a key between the batch's check and its write."""
    form = make_form(tenant)
    tenant.admin.post(records_url(form), json={"batch_no": "B1"})
    monkeypatch.setattr(bulk_write, "_clashes", lambda conn, form, rows, access: [None] * len(rows))
    content = "批次号,数量\nB0,1\nB1,2\nB2,3\n".encode()
    job = tenant.admin.post(
        f"/api/v1/forms/{form['id']}/imports",
        data={"file": (io.BytesIO(content), "b.csv")},
        content_type="multipart/form-data",
    ).json
    assert (job["inserted"], job["error_count"]) == (2, 1), job
    assert job["errors"] == [{"row": 3, "field": "batch_no", "message": "'B1' is already used."}]
    listed = tenant.admin.get(f"{records_url(form)}?sort=batch_no").json["items"]
    assert [(r["batch_no"], r["qty"]) for r in listed] == [("B0", 1), ("B1", None), ("B2", 3)]
