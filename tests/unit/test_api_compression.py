"""API answers: a large JSON body is gzipped for a browser that accepts gzip, and left plain
for one that does not; small answers stay plain; every JSON answer says Vary."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.conftest import ADMIN_PASSWORD


@pytest.fixture
def admin_client(make_tenant):
    tenant = make_tenant()
    for n in range(30):  # enough users for a list well over a kilobyte
        tenant.add_user(f"person{n:02d}", display_name=f"某某人 {n}")
    return tenant


def test_a_large_json_answer_is_gzipped_when_the_browser_accepts_it(admin_client):
    client = admin_client.admin
    plain = client.get("/api/v1/users?page_size=100")
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    assert len(plain.get_data()) > 1024

    packed = client.get("/api/v1/users?page_size=100", headers={"Accept-Encoding": "br, gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = packed.get_data()
    assert int(packed.headers["Content-Length"]) == len(body) < len(plain.get_data())
    assert json.loads(gzip.decompress(body)) == plain.json


def test_small_answers_and_refusals_stay_plain(admin_client):
    client = admin_client.admin
    small = client.get("/api/v1/me", headers={"Accept-Encoding": "gzip"})
    assert len(small.get_data()) <= 1024 and "Content-Encoding" not in small.headers
    anonymous = admin_client.client()
    refused = anonymous.post(
        "/api/v1/auth/login",
        json={"username": "admin", "password": ADMIN_PASSWORD + "x", "tenant": admin_client.slug},
        headers={"Accept-Encoding": "gzip"},
    )
    assert refused.status_code == 401 and refused.json["code"]
