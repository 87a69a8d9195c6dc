"""A red alert reaches a DingTalk group through the robot connector, signed, exactly once."""

from __future__ import annotations

import base64
import hashlib
import hmac

from app.connectors import deliveries
from app.connectors.environment import environment
from app.extensions import db
from tests.rules_fixtures import add_batch, setup_rule

SECRET = "SECrobot-0123456789"


def test_red_alert_goes_to_the_dingtalk_group(tenant, app, peer, allow_loopback):
    def robot(request):
        timestamp = request["query"]["timestamp"]
        expected = base64.b64encode(
            hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
        if request["query"].get("sign") != expected:
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    peer.route("POST /robot/send", robot)
    created = tenant.admin.post(
        "/api/v1/connectors",
        json={
            "key": "ops_robot",
            "type": "dingtalk_robot",
            "label": {"zh": "运营群"},
            "config": {"webhook_url": f"{peer.url}/robot/send?access_token=T", "secret": SECRET},
        },
    )
    assert created.status_code == 201, created.json
    actions = {
        "red": [
            {
                "type": "notify",
                "connector": "ops_robot",
                "title": "红牌 {{title}}",
                "template": "仓库 {{warehouse}} 剩 {{days_left}} 天",
            }
        ]
    }
    form, rule = setup_rule(tenant, {"actions": actions})
    add_batch(tenant, form, "MILK-1", 5)
    tenant.admin.post(f"/api/v1/rules/{rule['id']}/run")  # a rescan queues nothing more

    queued = tenant.admin.get("/api/v1/deliveries").json["items"]
    assert len(queued) == 1 and queued[0]["status"] == "pending"
    with app.app_context():
        status = deliveries.attempt(db.session, environment(app), queued[0]["id"])
        db.session.remove()
    assert status == ("succeeded", None)
    sent = peer.json(peer.requests[0])
    assert sent["msgtype"] == "text"
    assert "红牌 MILK-1" in sent["text"]["content"] and "剩 5 天" in sent["text"]["content"]
