"""`flask gs init`, `flask gs demo` and `flask gs seed` as an operator uses them."""

from __future__ import annotations

import re
import uuid

from tests.conftest import ApiClient


def _slug() -> str:
    return f"cli-{uuid.uuid4().hex[:8]}"


def test_init_needs_a_password_when_there_is_no_terminal(app):
    result = app.test_cli_runner().invoke(args=["gs", "init", "--tenant-slug", _slug()])
    assert result.exit_code != 0
    assert "--admin-password" in result.output


def test_init_refuses_a_weak_password(app):
    slug = _slug()
    result = app.test_cli_runner().invoke(
        args=["gs", "init", "--tenant-slug", slug, "--admin-password", "short"]
    )
    assert result.exit_code != 0
    assert "too short" in result.output


def test_init_creates_a_tenant_once_and_its_admin_can_log_in(app):
    slug = _slug()
    runner = app.test_cli_runner()
    args = ["gs", "init", "--tenant-slug", slug, "--admin-username", "boss"]
    first = runner.invoke(args=args, env={"GS_ADMIN_PASSWORD": "boss-pass-123"})
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=args, env={"GS_ADMIN_PASSWORD": "other-pass-123"})
    assert again.exit_code == 0 and "nothing to do" in again.output
    client = ApiClient(app)
    assert client.login("boss", "boss-pass-123", slug).status_code == 200


def test_demo_loads_an_organisation_once(app):
    slug = _slug()
    runner = app.test_cli_runner()
    runner.invoke(args=["gs", "init", "--tenant-slug", slug, "--admin-password", "admin-pass-123"])
    first = runner.invoke(args=["gs", "demo", "--tenant-slug", slug, "--password", "demo-pass-1"])
    assert first.exit_code == 0 and "9 users" in first.output
    second = runner.invoke(args=["gs", "demo", "--tenant-slug", slug, "--password", "demo-pass-1"])
    assert "exists already" in second.output
    client = ApiClient(app)
    me = client.login("wang.clerk", "demo-pass-1", slug).json
    assert me["display_name"] == "王仓管" and me["department_id"] is not None


def test_demo_refuses_an_unknown_tenant(app):
    result = app.test_cli_runner().invoke(
        args=["gs", "demo", "--tenant-slug", "nope", "--password", "x-12345678"]
    )
    assert result.exit_code != 0 and "No tenant" in result.output


def test_demo_is_refused_in_production(app):
    app.config["GS_PRODUCTION"] = True
    try:
        result = app.test_cli_runner().invoke(args=["gs", "demo", "--password", "x-12345678"])
    finally:
        app.config["GS_PRODUCTION"] = False
    assert result.exit_code != 0 and "production" in result.output


def test_seeding_demo_records_before_the_demo_users_fails_at_once_and_writes_nothing(tenant, app):
    runner = app.test_cli_runner()
    seed = ["gs", "seed", "--tenant-slug", tenant.slug, "--template", "expiry_disposal"]
    refused = runner.invoke(args=seed)
    assert refused.exit_code != 0
    assert "demo users are missing" in refused.output and "flask gs demo" in refused.output
    assert refused.output.count("wang.clerk") == 1 and "No match" not in refused.output
    assert tenant.admin.get("/api/v1/apps").json["items"] == []
    assert tenant.admin.get("/api/v1/forms").json["items"] == []

    runner.invoke(args=["gs", "demo", "--tenant-slug", tenant.slug, "--password", "demo-pass-1"])
    seeded = runner.invoke(args=seed)
    assert seeded.exit_code == 0, seeded.output
    # 300 batches (GS_DEMO_BATCHES in conftest) and those moved to near-expiry warehouses
    assert re.search(r"\nbatch: 3\d\d demo records\.\n", seeded.output), seeded.output
    assert re.search(r"\nSeeded 'expiry_disposal' in \d+ s\.\n", seeded.output), seeded.output
