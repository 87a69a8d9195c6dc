"""Errors come back in the caller's language, field paths unchanged."""

from __future__ import annotations

from tests.forms_fixtures import make_form, records_url


def test_accept_language_chinese(tenant):
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    wrong = tenant.client().post(
        "/api/v1/auth/login",
        headers=zh,
        json={"username": "admin", "password": "nope", "tenant": tenant.slug},
    )
    assert wrong.json["message"] == "用户名或密码错误。"
    form = make_form(tenant)
    bad = tenant.admin.post(records_url(form), headers=zh, json={"qty": "many", "nope": 1})
    assert bad.json["errors"] == {
        "batch_no": ["此项为必填。"],
        "qty": ["必须是数字。"],
        "nope": ["未知字段。"],
    }
    missing = tenant.admin.get("/api/v1/users/999999", headers=zh)
    assert missing.json["message"] == "找不到编号为 999999 的用户。"


def test_english_by_header_and_the_users_setting_otherwise(tenant):
    en = tenant.admin.get("/api/v1/users/999999", headers={"Accept-Language": "en-US"})
    assert en.json["message"] == "No user with id 999999."
    tenant.admin.patch("/api/v1/me", json={"locale": "zh-CN"})
    no_header = {"Accept-Language": ""}
    assert (
        tenant.admin.get("/api/v1/users/999999", headers=no_header)
        .json["message"]
        .startswith("找不到")
    )
    tenant.admin.patch("/api/v1/me", json={"locale": "en"})
    assert (
        tenant.admin.get("/api/v1/users/999999", headers=no_header)
        .json["message"]
        .startswith("No user")
    )
