"""Personal API tokens: create, use, revoke, expire."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.models import ApiToken
from app.models.base import utcnow


def _bearer(tenant, secret):
    client = tenant.client()
    client.headers["Authorization"] = f"Bearer {secret}"
    return client


def test_token_is_shown_once_and_works_as_bearer(tenant):
    created = tenant.admin.post("/api/v1/tokens", json={"name": "ERP sync", "expires_in_days": 30})
    assert created.status_code == 201
    secret = created.json["token"]
    assert secret.startswith("gs_") and created.json["prefix"] == secret[:10]
    listed = tenant.admin.get("/api/v1/tokens").json["items"]
    assert [t["name"] for t in listed] == ["ERP sync"]
    assert "token" not in listed[0]

    client = _bearer(tenant, secret)
    assert client.get("/api/v1/me").json["username"] == "admin"
    # A bearer-token write needs no CSRF header.
    assert client.post("/api/v1/departments", json={"name": "Via token"}).status_code == 201
    assert tenant.admin.get("/api/v1/tokens").json["items"][0]["last_used_at"] is not None


def test_token_hash_is_stored_not_the_secret(tenant, app_db):
    secret = tenant.admin.post("/api/v1/tokens", json={"name": "t"}).json["token"]
    with app_db() as session:
        stored = session.scalars(select(ApiToken.token_hash)).all()
    assert secret not in stored and all(len(h) == 64 for h in stored)


def test_revoked_token_is_refused(tenant):
    created = tenant.admin.post("/api/v1/tokens", json={"name": "t"}).json
    client = _bearer(tenant, created["token"])
    assert client.get("/api/v1/me").status_code == 200
    assert tenant.admin.delete(f"/api/v1/tokens/{created['id']}").status_code == 204
    assert client.get("/api/v1/me").status_code == 401
    assert tenant.admin.get("/api/v1/tokens").json["items"][0]["revoked_at"] is not None


def test_expired_token_is_refused(tenant, app_db):
    created = tenant.admin.post("/api/v1/tokens", json={"name": "t", "expires_in_days": 1}).json
    client = _bearer(tenant, created["token"])
    assert client.get("/api/v1/me").status_code == 200
    # A day and a minute later:
    with app_db() as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == created["id"])
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_garbage_and_missing_bearer_tokens_are_401(tenant):
    assert _bearer(tenant, "gs_not-a-token").get("/api/v1/me").status_code == 401
    assert _bearer(tenant, "").get("/api/v1/me").status_code == 401


def test_a_user_cannot_revoke_somebody_elses_token(tenant):
    created = tenant.admin.post("/api/v1/tokens", json={"name": "admin's"}).json
    clerk = tenant.user_client("clerk")
    assert clerk.delete(f"/api/v1/tokens/{created['id']}").status_code == 404
    assert clerk.get("/api/v1/tokens").json["items"] == []


def test_token_expiry_is_bounded(tenant):
    response = tenant.admin.post("/api/v1/tokens", json={"name": "t", "expires_in_days": 5000})
    assert response.status_code == 422
    assert "expires_in_days" in response.json["errors"]
