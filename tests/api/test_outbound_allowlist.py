"""The outbound allow-list screen: a tenant's administrator lets connectors reach private
hosts without touching the installation's GS_OUTBOUND_ALLOWLIST, and bad entries are
refused with the row they are in."""

from __future__ import annotations

import pytest

from tests.connectors_fixtures import make_connector

URL = "/api/v1/outbound-allowlist"


def _put(client, *entries, **kw):
    rows = [e if isinstance(e, dict) else {"entry": e} for e in entries]
    return client.request("PUT", URL, json={"entries": rows}, **kw)


def test_an_allowed_host_lets_a_connector_reach_it_in_that_tenant_only(tenant, make_tenant, peer):
    peer.route("POST /in", lambda r: (200, {"ok": True}))
    connector = make_connector(tenant, url=f"{peer.url}/in")
    test_url = f"/api/v1/connectors/{connector['id']}/test"
    refused = tenant.admin.post(test_url)
    assert refused.status_code == 422 and refused.json["code"] == "address_blocked"

    saved = _put(tenant.admin, {"entry": " 127.0.0.1 ", "note": "本机测试服务"}, "10.8.0.0/16")
    assert saved.status_code == 200, saved.json
    assert [(e["entry"], e["note"]) for e in saved.json["entries"]] == [
        ("127.0.0.1", "本机测试服务"),
        ("10.8.0.0/16", ""),
    ]
    assert saved.json["environment"] == []
    assert tenant.admin.post(test_url).json["ok"] is True

    other = make_tenant()
    elsewhere = make_connector(other, url=f"{peer.url}/in")
    assert other.admin.get(URL).json["entries"] == []
    assert other.admin.post(f"/api/v1/connectors/{elsewhere['id']}/test").status_code == 422

    # taking the host off the list closes the door again
    assert _put(tenant.admin, "10.8.0.0/16").status_code == 200
    assert tenant.admin.post(test_url).status_code == 422


def test_the_installations_own_list_is_shown_beside_the_tenants(tenant, allow_loopback):
    listed = tenant.admin.get(URL).json
    assert listed == {"entries": [], "environment": ["127.0.0.1/32"]}


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("http://10.0.0.8/api", "without http://"),
        ("erp.internal:8080", "without http://"),
        ("10.0.0.1/24", "did you mean 10.0.0.0/24?"),
        ("0.0.0.0/0", "every address"),
        ("::/0", "every address"),
        ("not a host", "without http://"),
        ("erp_server!", "host name, an IP address or a network"),
        ("10.0.0.0/33", "host name, an IP address or a network"),
    ],
)
def test_an_entry_that_cannot_be_allowed_is_refused_by_row(tenant, entry, says):
    refused = _put(tenant.admin, "erp.internal", entry)
    assert refused.status_code == 422
    [message] = refused.json["errors"]["entries.1.entry"]
    assert says in message
    assert tenant.admin.get(URL).json["entries"] == []  # nothing of a refused list is kept


def test_a_refusal_speaks_the_callers_language_and_duplicates_are_named(tenant):
    refused = _put(tenant.admin, "ERP.internal", "erp.internal", headers={"Accept-Language": "zh"})
    assert refused.status_code == 422
    assert refused.json["message"] == "部分地址无法加入白名单。"
    assert refused.json["errors"] == {"entries.1.entry": ["重复填写。"]}
    shapeless = tenant.admin.request("PUT", URL, json={"entries": [{"note": "x"}]})
    assert shapeless.status_code == 422 and "entries.0.entry" in shapeless.json["errors"]


def test_only_those_allowed_may_read_or_change_the_list(tenant):
    clerk = tenant.user_client("clerk_outbound")
    assert clerk.get(URL).status_code == 403
    assert _put(clerk, "10.0.0.8").status_code == 403
    role = tenant.admin.post(
        "/api/v1/roles",
        json={"name": "网络管理员", "code": "netadmin", "permissions": ["admin.outbound"]},
    ).json
    netadmin = tenant.user_client("netadmin", role_ids=[role["id"]])
    assert _put(netadmin, "10.0.0.8").status_code == 200
    audit = tenant.admin.get("/api/v1/audit?object_type=outbound_allow_entries").json["items"]
    assert audit, "a change of the list is in the audit log"
