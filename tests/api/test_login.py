"""Browser login: sessions, wrong passwords, lockout, logout, CSRF."""

from __future__ import annotations

from tests.conftest import ADMIN_PASSWORD


def test_login_returns_the_user_and_sets_a_session(tenant):
    client = tenant.client()
    response = client.login("admin", ADMIN_PASSWORD, tenant.slug)
    assert response.status_code == 200
    assert response.json["username"] == "admin"
    assert response.json["is_admin"] is True
    assert response.json["tenant"]["slug"] == tenant.slug
    assert client.raw.get_cookie("gs_csrf").value == response.json["csrf_token"]
    assert client.get("/api/v1/me").json["id"] == response.json["id"]


def test_session_cookie_is_http_only(tenant):
    response = tenant.client().login("admin", ADMIN_PASSWORD, tenant.slug)
    session_cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert session_cookie and "HttpOnly" in session_cookie[0]
    assert "SameSite=Lax" in session_cookie[0]


def test_without_login_the_api_answers_401(tenant):
    response = tenant.client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["code"] == "unauthorized"


def test_wrong_password_is_401_without_saying_which_part_was_wrong(tenant):
    client = tenant.client()
    wrong = client.login("admin", "not-the-password", tenant.slug)
    unknown = client.login("nobody", "not-the-password", tenant.slug)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["message"] == unknown.json["message"]
    assert client.get("/api/v1/me").status_code == 401


def test_five_failures_lock_the_account_even_for_the_right_password(tenant):
    tenant.add_user("clerk")
    client = tenant.client()
    for _ in range(5):
        assert client.login("clerk", "wrong-password", tenant.slug).status_code == 401
    locked = client.login("clerk", "user-pass-123", tenant.slug)
    assert locked.status_code == 423
    assert locked.json["code"] == "account_locked"
    assert "locked_until" in locked.json


def test_an_administrator_unlocks_by_setting_a_new_password(tenant):
    user = tenant.add_user("clerk")
    client = tenant.client()
    for _ in range(5):
        client.login("clerk", "wrong-password", tenant.slug)
    reset = tenant.admin.patch(f"/api/v1/users/{user['id']}", json={"password": "new-pass-456"})
    assert reset.status_code == 200
    assert client.login("clerk", "new-pass-456", tenant.slug).status_code == 200


def test_deactivated_user_cannot_log_in(tenant):
    user = tenant.add_user("leaver")
    tenant.admin.patch(f"/api/v1/users/{user['id']}", json={"is_active": False})
    assert tenant.client().login("leaver", "user-pass-123", tenant.slug).status_code == 401


def test_logout_ends_the_session(tenant):
    client = tenant.client()
    client.login("admin", ADMIN_PASSWORD, tenant.slug)
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_password_change_ends_other_sessions(tenant):
    tenant.add_user("clerk")
    phone, laptop = tenant.client(), tenant.client()
    phone.login("clerk", "user-pass-123", tenant.slug)
    laptop.login("clerk", "user-pass-123", tenant.slug)
    me = laptop.get("/api/v1/me").json
    assert (
        tenant.admin.patch(
            f"/api/v1/users/{me['id']}", json={"password": "another-pass-789"}
        ).status_code
        == 200
    )
    assert phone.get("/api/v1/me").status_code == 401


def test_same_username_in_two_tenants_asks_for_the_tenant(make_tenant):
    first, second = make_tenant(), make_tenant()
    client = first.client()
    response = client.login("admin", ADMIN_PASSWORD)
    assert response.status_code == 400
    assert response.json["code"] == "tenant_required"
    assert "tenant" in response.json["errors"]
    assert client.login("admin", ADMIN_PASSWORD, second.slug).json["tenant"]["slug"] == second.slug


def test_cookie_write_without_csrf_token_is_refused(tenant):
    client = tenant.client()
    client.login("admin", ADMIN_PASSWORD, tenant.slug)
    missing = client.post("/api/v1/departments", json={"name": "X"}, headers={"X-CSRF-Token": ""})
    wrong = client.post("/api/v1/departments", json={"name": "X"}, headers={"X-CSRF-Token": "nope"})
    assert missing.status_code == wrong.status_code == 403
    assert missing.json["code"] == "csrf_failed"
    assert client.get("/api/v1/departments").json["items"] == []
    ok = client.post("/api/v1/departments", json={"name": "X"})
    assert ok.status_code == 201


def test_me_can_change_language(tenant):
    response = tenant.admin.patch("/api/v1/me", json={"locale": "en"})
    assert response.status_code == 200
    assert tenant.admin.get("/api/v1/me").json["locale"] == "en"
    assert tenant.admin.patch("/api/v1/me", json={"locale": "fr"}).status_code == 422
