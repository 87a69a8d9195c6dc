"""Excel/CSV import and export as an operator uses them, and file uploads."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook

from tests.forms_fixtures import PNG, make_form, records_url


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, form, content: bytes, name: str = "batches.xlsx", **fields):
    data = {
        "file": (io.BytesIO(content), name),
        **{k: str(v).lower() if isinstance(v, bool) else v for k, v in fields.items()},
    }
    return client.post(
        f"/api/v1/forms/{form['id']}/imports", data=data, content_type="multipart/form-data"
    )


def _thousand_rows_with_three_bad() -> bytes:
    rows = [["批次号", "数量", "成本", "到期日", "仓库"]]
    for i in range(1000):
        rows.append([f"B{i:04d}", i, "12.5", "2026-12-31", "华东仓"])
    rows[101][1] = "many"  # spreadsheet row 102
    rows[501][3] = "2026-02-30"  # row 502
    rows[901][4] = "北极仓"  # row 902
    return _xlsx(rows)


def test_dry_run_reports_every_bad_row_and_writes_nothing(tenant):
    form = make_form(tenant)
    response = _upload(tenant.admin, form, _thousand_rows_with_three_bad(), dry_run=True)
    assert response.status_code == 202, response.json
    job = response.json
    assert job["status"] == "done" and job["total"] == 1000
    assert job["error_count"] == 3 and job["inserted"] == 997
    assert sorted((e["row"], e["field"]) for e in job["errors"]) == [
        (102, "qty"),
        (502, "expiry"),
        (902, "warehouse"),
    ]
    assert tenant.admin.get(records_url(form)).json["total"] == 0


def test_import_writes_good_rows_and_offers_an_error_workbook(tenant):
    form = make_form(tenant)
    job = _upload(tenant.admin, form, _thousand_rows_with_three_bad()).json
    assert (job["inserted"], job["error_count"]) == (997, 3)
    listed = tenant.admin.get(f"{records_url(form)}?sort=batch_no&page_size=1").json
    assert listed["total"] == 997 and listed["items"][0]["warehouse"] == "east"
    errors = tenant.admin.get(f"/api/v1/forms/{form['id']}/imports/{job['id']}/errors.xlsx")
    assert errors.status_code == 200
    sheet = load_workbook(io.BytesIO(errors.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("错误 Error", "行 Row", "批次号")
    assert [r[1] for r in rows[1:]] == [102, 502, 902]
    assert "qty" in rows[1][0] and rows[1][2] == "B0100"


def test_columns_map_by_key_label_or_mapping_and_unknown_ones_are_named(tenant):
    form = make_form(tenant)
    csv_text = "batch_no,Quantity,expiry\nB1,3,2026-01-01\n"
    mapping = '{"Quantity": "qty"}'
    job = _upload(tenant.admin, form, csv_text.encode(), "b.csv", mapping=mapping).json
    assert job["inserted"] == 1, job
    record = tenant.admin.get(records_url(form)).json["items"][0]
    assert (record["batch_no"], record["qty"], record["expiry"]) == ("B1", 3, "2026-01-01")

    unknown = _upload(tenant.admin, form, b"batch_no,colour\nB2,red\n", "b.csv").json
    assert unknown["status"] == "failed"
    assert unknown["errors"][0]["field"] == "columns.colour"


def test_upsert_by_a_unique_key_updates_existing_rows(tenant):
    form = make_form(tenant)
    url = records_url(form)
    tenant.admin.post(url, json={"batch_no": "B1", "qty": 1})
    content = "批次号,数量\nB1,50\nB2,7\n".encode()
    job = _upload(tenant.admin, form, content, "b.csv", mode="upsert", key_field="batch_no").json
    assert (job["inserted"], job["updated"], job["error_count"]) == (1, 1, 0), job
    rows = {r["batch_no"]: r for r in tenant.admin.get(url).json["items"]}
    assert rows["B1"]["qty"] == 50 and rows["B1"]["_row_version"] == 2
    assert rows["B2"]["qty"] == 7

    not_unique = _upload(tenant.admin, form, content, "b.csv", mode="upsert", key_field="qty")
    assert not_unique.json["status"] == "failed"
    assert "key_field" in {e["field"] for e in not_unique.json["errors"]}


def test_duplicate_keys_inside_one_file_are_reported(tenant):
    form = make_form(tenant)
    job = _upload(tenant.admin, form, "批次号\nB1\nB1\n".encode(), "b.csv").json
    assert job["inserted"] == 1 and job["error_count"] == 1
    assert job["errors"][0]["row"] == 3


def test_bad_files_are_refused_clearly(tenant):
    form = make_form(tenant)
    not_sheet = _upload(tenant.admin, form, b"\x00\x01garbage", "b.xlsx").json
    assert not_sheet["status"] == "failed" and "spreadsheet" in not_sheet["message"]
    wrong_type = _upload(tenant.admin, form, b"hello", "notes.txt")
    assert wrong_type.status_code == 422 and "file" in wrong_type.json["errors"]
    missing = tenant.admin.post(
        f"/api/v1/forms/{form['id']}/imports", data={}, content_type="multipart/form-data"
    )
    assert missing.status_code == 422 and "file" in missing.json["errors"]


def test_template_lists_the_importable_fields(tenant):
    form = make_form(tenant)
    response = tenant.admin.get(f"/api/v1/forms/{form['id']}/excel/template")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    headers = next(book.worksheets[0].iter_rows(values_only=True))
    assert headers[:3] == ("批次号", "数量", "成本")
    assert "Lot" not in headers and "明细" not in headers  # computed and sub-table fields


def test_export_follows_the_filter_sort_and_columns(tenant):
    form = make_form(tenant)
    url = records_url(form)
    for i, warehouse in enumerate(["east", "south", "east"]):
        tenant.admin.post(url, json={"batch_no": f"B{i}", "qty": i * 10, "warehouse": warehouse})
    query = (
        f"/api/v1/forms/{form['id']}/export?format=csv&sort=-qty&fields=batch_no,qty"
        '&filter={"==":[{"var":"warehouse"},"east"]}'
    )
    response = tenant.admin.get(query)
    assert response.status_code == 200
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["ID", "批次号", "数量"]
    assert [r[1:] for r in rows[1:]] == [["B2", "20"], ["B0", "0"]]

    xlsx = tenant.admin.get(f"/api/v1/forms/{form['id']}/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 4
    bad = tenant.admin.get(f"/api/v1/forms/{form['id']}/export?format=pdf")
    assert bad.status_code == 422


def test_export_and_import_respect_the_data_scope(tenant):
    form = make_form(tenant)
    role = tenant.admin.post(
        "/api/v1/roles",
        json={
            "name": "own",
            "code": "own_only",
            "permissions": ["records.read", "records.write"],
            "data_scope": "own",
        },
    ).json["id"]
    clerk = tenant.user_client("clerk", role_ids=[role])
    tenant.admin.post(records_url(form), json={"batch_no": "ADMIN-1", "qty": 1})
    clerk.post(records_url(form), json={"batch_no": "CLERK-1", "qty": 2})
    exported = clerk.get(f"/api/v1/forms/{form['id']}/export?format=csv").data.decode()
    assert "CLERK-1" in exported and "ADMIN-1" not in exported
    job = _upload(
        clerk,
        form,
        "批次号,数量\nADMIN-1,99\n".encode(),
        "b.csv",
        mode="upsert",
        key_field="batch_no",
    ).json
    assert job["error_count"] == 1 and job["updated"] == 0
    admin_row = tenant.admin.get(f"{records_url(form)}?sort=batch_no").json["items"][0]
    assert admin_row["qty"] == 1


def test_image_upload_limits_and_use_in_a_record(tenant):
    form = make_form(tenant)

    def upload(content, name, mimetype):
        return tenant.admin.post(
            "/api/v1/attachments",
            data={
                "file": (io.BytesIO(content), name, mimetype),
                "form_id": form["id"],
                "field": "photos",
            },
            content_type="multipart/form-data",
        )

    wrong_type = upload(b"%PDF-1.4", "a.pdf", "application/pdf")
    assert wrong_type.status_code == 422 and "not accepted" in wrong_type.json["message"]
    too_big = upload(b"0" * (1024 * 1024 + 1), "big.png", "image/png")
    assert too_big.status_code == 422 and "larger" in too_big.json["message"]
    photo = upload(PNG, "批次.png", "image/png")
    assert photo.status_code == 201 and len(photo.json["sha256"]) == 64

    record = tenant.admin.post(
        records_url(form), json={"batch_no": "B1", "photos": [photo.json["id"]]}
    )
    assert record.status_code == 201, record.json
    assert record.json["photos"][0]["name"] == "批次.png"
    missing = tenant.admin.post(records_url(form), json={"batch_no": "B2", "photos": [999999]})
    assert missing.status_code == 422 and "photos" in missing.json["errors"]
    download = tenant.admin.get(f"/api/v1/attachments/{photo.json['id']}")
    assert download.status_code == 200 and download.data == PNG
