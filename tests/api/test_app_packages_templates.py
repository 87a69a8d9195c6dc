"""The template gallery: the templates of ``seeds/`` with what they hold, a preview of an
install, and installs through the API, small ones in the request and those with demo
records as a worker's job whose progress shows while it runs."""

from __future__ import annotations

import json

import pytest

from app.auth.demo_org import load_demo_org
from app.auth.scope import Scope
from app.extensions import db
from app.models import User
from app.packages import seeding, templates
from app.rules import rules
from app.tasks.templates import install_template


def _scope(tenant):
    return Scope(db.session, tenant.id, db.session.get(User, tenant.admin_id))


def _demo_org(app, tenant) -> None:
    with app.app_context():
        load_demo_org(_scope(tenant), "demo-pass-123")
        db.session.remove()


class Queue:
    """Stands in for the broker: remembers what was handed to a worker."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def delay(self, job_id: int) -> None:
        self.ids.append(job_id)


@pytest.fixture
def small_demo(monkeypatch) -> None:
    """The template's demo records up to its first large form: the forms kept point only at
    each other, and a test writes hundreds of records rather than a hundred thousand (the
    whole demo is written by test_template_app.py and test_cli.py)."""
    generate = seeding._demo_data

    def leading(scope, name):
        data = {}
        for key, rows in generate(scope, name).items():
            if len(rows) > 1000:
                break
            data[key] = rows
        return data

    monkeypatch.setattr(seeding, "_demo_data", leading)


@pytest.fixture
def queue(monkeypatch) -> Queue:
    queued = Queue()
    monkeypatch.setattr("app.api.templates.install_template", queued)
    return queued


def test_the_gallery_lists_the_expiry_template_with_what_it_holds(tenant):
    items = tenant.admin.get("/api/v1/templates").json["items"]
    expiry = next(t for t in items if t["name"] == "expiry_disposal")
    assert expiry["label"]["zh"] == "临期品绿色处置" and expiry["description"]
    assert expiry["demo"] is True and expiry["app_id"] is None
    package = templates.load_template("expiry_disposal")
    assert expiry["contents"]["forms"] == [f["label"] for f in package["forms"]]
    preview = tenant.admin.get("/api/v1/templates/expiry_disposal/preview").json
    assert preview["importable"], preview["problems"]
    assert [f["key"] for f in preview["create"]["forms"]] != []
    assert {f["key"] for f in preview["create"]["forms"]} == {f["key"] for f in package["forms"]}
    assert tenant.admin.get("/api/v1/apps").json["items"] == []
    assert tenant.admin.get("/api/v1/templates/nothing_here/preview").status_code == 404
    clerk = tenant.user_client("clerk")
    assert clerk.get("/api/v1/templates").status_code == 403


def test_installing_without_demo_records_finishes_in_the_request(tenant, make_tenant, queue):
    response = tenant.admin.post("/api/v1/templates/expiry_disposal/install", json={})
    assert response.status_code == 202, response.json
    job = response.json
    assert job["status"] == "done" and job["app_id"] and not queue.ids
    forms = len(templates.load_template("expiry_disposal")["forms"])
    assert job["lines"][0].startswith(f"Installed the 'expiry_disposal' app: {forms} forms")
    [installed] = tenant.admin.get("/api/v1/apps").json["items"]
    assert installed["id"] == job["app_id"]
    expiry = next(
        t
        for t in tenant.admin.get("/api/v1/templates").json["items"]
        if t["name"] == "expiry_disposal"
    )
    assert expiry["app_id"] == job["app_id"]
    assert tenant.admin.get(f"/api/v1/templates/jobs/{job['id']}").json == job
    other = make_tenant().admin.get(f"/api/v1/templates/jobs/{job['id']}")
    assert other.status_code == 404


def test_installing_with_demo_records_is_a_job_that_reports_progress(
    tenant, app, queue, small_demo
):
    refused = tenant.admin.post("/api/v1/templates/expiry_disposal/install", json={"demo": True})
    assert refused.status_code == 409 and refused.json["code"] == "demo_users_missing"
    assert "wang.clerk" in refused.json["usernames"]
    _demo_org(app, tenant)

    started = tenant.admin.post("/api/v1/templates/expiry_disposal/install", json={"demo": True})
    assert started.status_code == 202, started.json
    job = started.json
    assert job["status"] == "queued" and queue.ids == [job["id"]]
    with app.app_context():
        install_template.run(job["id"])  # what the worker does with the queued id
        db.session.remove()
    done = tenant.admin.get(f"/api/v1/templates/jobs/{job['id']}").json
    assert done["status"] == "done" and done["step"] == "data", done
    assert done["processed"] == done["total"] > 0
    with app.app_context():
        demo = seeding._demo_data(_scope(tenant), "expiry_disposal")
        db.session.remove()
    key, rows = max(demo.items(), key=lambda item: len(item[1]))
    assert f"{key}: {len(rows)} demo records." in done["lines"]
    assert "The warning rules have scanned the demo records." in done["lines"]
    alerts = tenant.admin.get("/api/v1/alerts?page_size=1").json
    assert alerts["total"] > 0  # the demo stock was scanned once, after its last chunk
    forms = {f["key"]: f["id"] for f in tenant.admin.get("/api/v1/forms").json["items"]}
    written = tenant.admin.get(f"/api/v1/forms/{forms[key]}/records?page_size=1").json
    assert written["total"] == len(rows)


def test_progress_is_visible_to_others_while_the_records_are_written(
    tenant, app, monkeypatch, small_demo
):
    _demo_org(app, tenant)
    monkeypatch.setattr(seeding, "CHUNK", 20)
    seen = []
    scans = []  # each scan after a change: of the whole form, or of the ids written
    scan = rules.scan_after_change

    def counted(scope, rule, ids):
        scans.append("whole form" if ids is None else "by id")
        return scan(scope, rule, ids)

    monkeypatch.setattr(rules, "scan_after_change", counted)

    def watch(_line: str) -> None:  # another request reading the job meanwhile
        with app.app_context():
            seen.append(tenant.admin.get(f"/api/v1/templates/jobs/{job_id}").json["processed"])

    with app.app_context():
        job_id = seeding.start_install(_scope(tenant), "expiry_disposal", True, Queue().delay).id
        total = seeding.run_install(_scope(tenant), job_id, watch).total
        db.session.remove()
    assert seen == sorted(seen) and len(set(seen)) > 5
    assert 0 < seen[1] < total == seen[-1]
    assert scans == ["whole form", "whole form"]  # once per rule, not once per chunk


def test_a_template_may_keep_its_parts_in_files_of_their_own(tmp_path, monkeypatch):
    folder = tmp_path / "returns"
    (folder / "forms").mkdir(parents=True)
    (folder / "flows").mkdir()
    package = {
        "format": "greenshelf.app/1",
        "app": {"key": "returns", "label": {"zh": "退货"}},
        "forms": [{"key": "a", "label": {"zh": "A"}, "meta": {"fields": []}}],
    }
    (folder / "package.json").write_text(json.dumps(package))
    (folder / "forms" / "2_c.json").write_text(
        json.dumps({"key": "c", "label": {"zh": "C"}, "meta": {"fields": []}})
    )
    (folder / "forms" / "1_b.json").write_text(
        json.dumps([{"key": "b", "label": {"zh": "B"}, "meta": {"fields": []}}])
    )
    (folder / "flows" / "approve.json").write_text(
        json.dumps({"key": "f", "name": "F", "form": "a"})
    )
    monkeypatch.setattr(templates, "SEEDS", tmp_path)
    assembled = templates.load_template("returns")
    assert [f["key"] for f in assembled["forms"]] == ["a", "b", "c"]
    assert assembled["flows"] == [{"key": "f", "name": "F", "form": "a"}]
    [listed] = templates.list_templates()
    assert listed["name"] == "returns" and listed["demo"] is False
    assert listed["contents"]["forms"] == [{"zh": "A"}, {"zh": "B"}, {"zh": "C"}]
