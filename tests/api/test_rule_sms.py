"""A rule texts its recipients through an SMS connector: one digest per phone, queued in the
delivery log and sent by the worker; a wrong SMS setting is refused at publish."""

from __future__ import annotations

from app.connectors import deliveries
from app.connectors.environment import environment
from app.extensions import db
from tests.rules_fixtures import add_batch, setup_rule


def _gateway(tenant, peer, key="texts"):
    created = tenant.admin.post(
        "/api/v1/connectors",
        json={
            "key": key,
            "type": "sms_gateway",
            "label": {"zh": "短信"},
            "config": {
                "url": f"{peer.url}/sms/send",
                "body": {"mobiles": "{{ phones | join(',') }}", "content": "{{ message }}"},
            },
        },
    )
    assert created.status_code == 201, created.json
    return created.json


def _role_with(tenant, *users):
    role = tenant.admin.post(
        "/api/v1/roles",
        json={
            "name": "仓管",
            "code": "clerk",
            "permissions": ["records.read"],
            "data_scope": "all",
        },
    ).json
    for name, phone in users:
        tenant.add_user(name, role_ids=[role["id"]], **({"phone": phone} if phone else {}))
    return role


def test_a_yellow_digest_is_texted_once_to_each_recipient_with_a_phone(
    tenant, app, peer, allow_loopback
):
    peer.route("POST /sms/send", lambda request: (200, {"ok": True}))
    _gateway(tenant, peer)
    _role_with(tenant, ("li", "138 0000 0001"), ("wang", None))
    notify = {
        "type": "notify",
        "recipients": {"role": "clerk"},
        "channels": ["in_app", "sms"],
        "sms_connector": "texts",
    }
    form, rule = setup_rule(
        tenant, {"actions": {"yellow": [notify]}, "digest": True}, publish=False
    )
    for name, days in (("Y1", 45), ("Y2", 40), ("Y3", 50)):
        add_batch(tenant, form, name, days)
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish").status_code == 201
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/run").json["fired"] == 3
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/run").json["fired"] == 0

    queued = tenant.admin.get("/api/v1/deliveries").json["items"]
    assert [(d["action"], d["status"]) for d in queued] == [("send_sms", "pending")]
    with app.app_context():
        status = deliveries.attempt(db.session, environment(app), queued[0]["id"])
        db.session.remove()
    assert status == ("succeeded", None)
    sent = peer.json(peer.requests[0])
    assert sent["mobiles"] == "13800000001"
    assert sent["content"].startswith("临期品预警汇总 3 项") and "Y2" in sent["content"]


def test_sms_settings_are_checked_when_the_rule_is_published(tenant, peer):
    _gateway(tenant, peer)
    tenant.admin.post(
        "/api/v1/connectors",
        json={
            "key": "aliyun",
            "type": "aliyun_sms",
            "label": {"zh": "阿里云"},
            "config": {"access_key_id": "id", "access_key_secret": "s", "sign_name": "绿色货架"},
        },
    )
    _role_with(tenant)
    base = {"type": "notify", "recipients": {"role": "clerk"}, "channels": ["sms"]}
    cases = {
        "actions.yellow.0.sms_connector": {},
        "actions.red.0.sms_connector": {"sms_connector": "nope"},
        "actions.expired.0.sms_template": {"sms_connector": "aliyun"},
    }
    actions = {path.split(".")[1]: [{**base, **extra}] for path, extra in cases.items()}
    _, rule = setup_rule(tenant, {"actions": actions}, publish=False)
    refused = tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish")
    assert refused.status_code == 422
    assert set(cases) <= set(refused.json["errors"]), refused.json["errors"]
