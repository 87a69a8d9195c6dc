"""Whatever a user types gets a clear 4xx with the field path, never a 500."""

from __future__ import annotations

import io

import pytest


@pytest.mark.parametrize(
    "body, field",
    [
        ({"username": 42, "display_name": "x", "password": "long-enough-1"}, "username"),
        ({"username": "ok-name", "display_name": "", "password": "long-enough-1"}, "display_name"),
        ({"username": "ok-name", "display_name": "x", "password": "short"}, "password"),
        (
            {
                "username": "ok-name",
                "display_name": "x",
                "password": "long-enough-1",
                "email": "not-an-email",
            },
            "email",
        ),
        (
            {
                "username": "ok-name",
                "display_name": "x",
                "password": "long-enough-1",
                "role_ids": ["x"],
            },
            "role_ids.0",
        ),
        (
            {
                "username": "ok-name",
                "display_name": "x",
                "password": "long-enough-1",
                "department_id": 999999,
            },
            "department_id",
        ),
        (
            {
                "username": "ok-name",
                "display_name": "x",
                "password": "long-enough-1",
                "is_admin": True,
            },
            "is_admin",
        ),
        ({"display_name": "x", "password": "long-enough-1"}, "username"),
        ({"username": "空 格", "display_name": "x", "password": "long-enough-1"}, "username"),
        (
            {"username": "ok-name", "display_name": "x" * 201, "password": "long-enough-1"},
            "display_name",
        ),
    ],
)
def test_bad_user_fields_name_the_field(tenant, body, field):
    response = tenant.admin.post("/api/v1/users", json=body)
    assert response.status_code == 422, response.json
    assert response.json["code"] == "validation_error"
    assert field in response.json["errors"], response.json
    assert response.json["message"]
    assert tenant.admin.get("/api/v1/users?q=ok-name").json["total"] == 0


def test_malformed_json_is_400(tenant):
    response = tenant.admin.post(
        "/api/v1/departments", data='{"name": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json["code"] == "bad_request"
    assert "JSON" in response.json["message"]


def test_json_that_is_not_an_object_is_422(tenant):
    response = tenant.admin.post("/api/v1/departments", json=["a", "b"])
    assert response.status_code == 422


def test_oversize_body_is_413(tenant, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = tenant.admin.post(
        "/api/v1/departments",
        data='{"name": "' + "x" * (limit + 10) + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/users?page=0",
        "/api/v1/users?page=abc",
        "/api/v1/users?page_size=100000",
        "/api/v1/audit?action=explode",
        "/api/v1/audit?actor_id=me",
    ],
)
def test_bad_query_parameters_are_422_with_the_name(tenant, url):
    response = tenant.admin.get(url)
    assert response.status_code == 422
    name = url.split("?")[1].split("=")[0]
    assert any(name in key for key in response.json["errors"]), response.json


@pytest.mark.parametrize(
    "method, url, body",
    [
        ("PATCH", "/api/v1/departments/{dept}", {"parent_id": "{dept}"}),
        ("PATCH", "/api/v1/departments/{dept}", {"sort_order": "first"}),
        ("POST", "/api/v1/roles", {"name": "R", "code": "Bad Code"}),
        ("POST", "/api/v1/roles", {"name": "R", "code": "ok_code", "permissions": ["fly"]}),
        ("POST", "/api/v1/roles", {"name": "R", "code": "ok_code", "data_scope": "custom"}),
        ("POST", "/api/v1/roles", {"name": "R", "code": "ok_code", "data_scope": "galaxy"}),
        ("POST", "/api/v1/tokens", {"name": ""}),
        ("POST", "/api/v1/auth/login", {"username": "admin"}),
        ("POST", "/api/v1/auth/login", {"username": "admin", "password": None}),
    ],
)
def test_other_bad_bodies_are_4xx(tenant, method, url, body):
    dept = tenant.admin.post("/api/v1/departments", json={"name": "D"}).json["id"]
    url = url.replace("{dept}", str(dept))
    body = {k: (dept if v == "{dept}" else v) for k, v in body.items()}
    response = tenant.admin.request(method, url, json=body)
    assert 400 <= response.status_code < 500, response.json
    assert response.json["errors"], response.json
    assert tenant.admin.get(f"/api/v1/departments/{dept}").json["parent_id"] is None


def test_unknown_api_route_and_wrong_method_are_json_4xx(tenant):
    missing = tenant.admin.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json["code"] == "not_found"
    wrong = tenant.admin.request("PUT", "/api/v1/users")
    assert wrong.status_code == 405 and wrong.json["code"] == "method_not_allowed"


def test_huge_ids_are_404_not_500(tenant):
    response = tenant.admin.get("/api/v1/users/99999999999999999999")
    assert response.status_code == 404


def test_form_encoded_body_gets_field_errors(tenant):
    response = tenant.admin.post("/api/v1/departments", data={"name": "x"})
    assert response.status_code == 422
    assert "name" in response.json["errors"]


def test_text_holding_nul_is_refused_with_its_path_and_nothing_is_stored(tenant):
    """No database stores NUL in text: it is refused up front, wherever it hides."""
    before = tenant.admin.get("/api/v1/departments").json
    flat = tenant.admin.post("/api/v1/departments", json={"name": "华东\x00仓"})
    assert flat.status_code == 422 and flat.json["errors"] == {
        "name": ["Contains the NUL character (\\0)."]
    }
    assert tenant.admin.get("/api/v1/departments").json == before
    nested = tenant.admin.post(
        "/api/v1/apps", json={"key": "nul_app", "label": {"zh": "临期\x00", "en\x00": "x"}}
    )
    assert nested.status_code == 422
    assert set(nested.json["errors"]) == {"label.zh", "label.en\x00"}
    assert tenant.admin.get("/api/v1/users?q=a%00b").json["errors"] == {
        "q": ["Contains the NUL character (\\0)."]
    }
    zh = tenant.admin.post(
        "/api/v1/departments", json={"name": "\x00"}, headers={"Accept-Language": "zh-CN"}
    )
    assert zh.json["message"] == "文本不能包含空字符（\\0）。"


def test_a_login_with_nul_is_refused_not_failed(tenant):
    response = tenant.client().login("ad\x00min", "admin-pass-123", tenant.slug)
    assert response.status_code == 422 and "username" in response.json["errors"]


def test_a_record_or_a_csv_import_holding_nul_is_refused(tenant):
    from tests.forms_fixtures import make_form, records_url

    form = make_form(tenant)
    record = tenant.admin.post(records_url(form), json={"batch_no": "B\x001", "qty": 1})
    assert record.status_code == 422 and "batch_no" in record.json["errors"]
    utf16 = "batch_no,qty\nB1,3\n".encode("utf-16-le")  # NUL after every ASCII letter
    job = tenant.admin.post(
        f"/api/v1/forms/{form['id']}/imports",
        data={"file": (io.BytesIO(utf16), "b.csv")},
        content_type="multipart/form-data",
    )
    assert job.status_code == 202 and job.json["status"] == "failed"
    assert "UTF-8" in job.json["message"] and job.json["errors"][0]["field"] == "file"
    assert tenant.admin.get(records_url(form)).json["total"] == 0


def test_a_lone_surrogate_is_refused_with_its_path_and_nothing_is_stored(tenant):
    """ "\\ud800" without its pair is no character: UTF-8 (and so the database) cannot hold
    it; it is refused up front like NUL, in the caller's language."""
    before = tenant.admin.get("/api/v1/roles").json
    role = tenant.admin.post("/api/v1/roles", json={"name": "\ud800", "code": "rx"})
    assert role.status_code == 422
    assert role.json["errors"] == {
        "name": ["Contains a broken character (a lone UTF-16 surrogate)."]
    }
    assert tenant.admin.get("/api/v1/roles").json == before
    department = tenant.admin.post(
        "/api/v1/departments", json={"name": "仓\udfff"}, headers={"Accept-Language": "zh-CN"}
    )
    assert department.status_code == 422
    assert department.json["message"] == "文本不能包含无效字符（不成对的 UTF-16 代理项）。"
    flow = tenant.admin.post(
        "/api/v1/apps", json={"key": "s_app", "label": {"zh": "ok", "en": "a\ud83d"}}
    )
    assert flow.status_code == 422 and set(flow.json["errors"]) == {"label.en"}
    paired = tenant.admin.post("/api/v1/departments", json={"name": "仓 \U0001f600"})
    assert paired.status_code == 201, paired.json  # a whole emoji is a character like any


def test_pages_and_day_counts_past_any_sensible_bound_are_refused(tenant):
    for url in (
        "/api/v1/users?page=99999999999999999999",
        "/api/v1/users?page=4611686018427387904&page_size=100",
        "/api/v1/todos?max_days_left=99999999999999999999",
    ):
        response = tenant.admin.get(url)
        assert response.status_code == 422, (url, response.json)
    assert "query.page" in tenant.admin.get("/api/v1/users?page=1000001").json["errors"]
    assert tenant.admin.get("/api/v1/users?page=1000000").status_code == 200  # empty, not refused
    assert tenant.admin.get("/api/v1/todos?max_days_left=-3").status_code == 200


def test_a_draft_that_is_not_a_form_outline_is_refused_and_the_app_still_exports(tenant):
    admin = tenant.admin
    app = admin.post("/api/v1/apps", json={"key": "outline", "label": {"zh": "轮廓"}}).json
    form = admin.post(
        f"/api/v1/apps/{app['id']}/forms",
        json={"key": "f1", "label": {"zh": "表"}, "draft": {"fields": []}},
    ).json
    for draft, path in (
        ({"foo": 1}, "draft.foo"),
        ({"fields": "x"}, "draft.fields"),
        ({"fields": [1]}, "draft.fields.0"),
        ([], "draft"),
    ):
        refused = admin.patch(f"/api/v1/forms/{form['id']}", json={"draft": draft})
        assert refused.status_code == 422 and path in refused.json["errors"], refused.json
    created = admin.post(
        f"/api/v1/apps/{app['id']}/forms",
        json={"key": "f2", "label": {"zh": "表二"}, "draft": {"fields": [], "x": 1}},
    )
    assert created.status_code == 422 and "draft.x" in created.json["errors"]
    half_done = {"fields": [{"type": "text", "label": {"zh": "名称"}}], "title_field": "nope"}
    saved = admin.patch(f"/api/v1/forms/{form['id']}", json={"draft": half_done})
    assert saved.status_code == 200  # work in progress is checked when it is published
    assert admin.get(f"/api/v1/apps/{app['id']}/export").status_code == 200
