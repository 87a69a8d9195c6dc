"""The template's red and expired batches reach the DingTalk and WeCom groups: the robots
come with the app switched off (nothing is sent), an administrator enters their webhook
and secret and turns them on, and the next batches to turn red or expire are told to each
group in one signed message."""

from __future__ import annotations

import base64
import hashlib
import hmac

from app.connectors import deliveries
from app.connectors.environment import environment
from app.extensions import db
from tests.expiry_fixtures import add_batch, template_shop

SECRET = "SECexpiry-0123456789"


def _dingtalk(request):
    timestamp = request["query"]["timestamp"]
    digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256)
    if request["query"].get("sign") != base64.b64encode(digest.digest()).decode():
        return 200, {"errcode": 310000, "errmsg": "sign not match"}
    return 200, {"errcode": 0, "errmsg": "ok"}


def _scan(tenant) -> list[dict]:
    rules = tenant.admin.get("/api/v1/rules").json["items"]
    rule = next(r for r in rules if r["key"] == "expiry_levels")
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/run").status_code in (200, 202)
    return tenant.admin.get("/api/v1/deliveries").json["items"]


def test_red_and_expired_batches_reach_the_groups_once_the_robots_are_set_up(
    tenant, app, peer, allow_loopback
):
    shop = template_shop(tenant, app, (("FIRST", 0, 5, 40), ("FINE", 0, 50, 9)))
    robots = {c["key"]: c for c in shop.admin.get("/api/v1/connectors").json["items"]}
    assert not robots["expiry_dingtalk"]["enabled"] and not robots["expiry_wecom"]["enabled"]
    assert _scan(shop) == []  # a red batch, but the robots are off: nothing is sent

    peer.route("POST /robot/send", _dingtalk)
    peer.route("POST /cgi-bin/webhook/send", lambda _: (200, {"errcode": 0, "errmsg": "ok"}))
    dingtalk = {"webhook_url": f"{peer.url}/robot/send?access_token=T", "secret": SECRET}
    wecom = {"webhook_url": f"{peer.url}/cgi-bin/webhook/send?key=K"}
    for key, config in (("expiry_dingtalk", dingtalk), ("expiry_wecom", wecom)):
        body = {"config": config, "enabled": True}
        changed = shop.admin.patch(f"/api/v1/connectors/{robots[key]['id']}", json=body)
        assert changed.status_code == 200, changed.json

    red = add_batch(shop, "RED", 0, 4, 25)  # each write is checked at once: one message
    old = add_batch(shop, "OLD", 0, -2, 6)
    queued = _scan(shop)
    by_robot = sorted(d["connector_id"] for d in queued)
    ding, wecom = robots["expiry_dingtalk"]["id"], robots["expiry_wecom"]["id"]
    assert by_robot == sorted([ding, ding, wecom])  # red to both groups, expired to DingTalk
    with app.app_context():
        env = environment(app)
        attempts = {deliveries.attempt(db.session, env, d["id"]) for d in queued}
        db.session.remove()
    assert attempts == {("succeeded", None)}
    assert [d["id"] for d in _scan(shop)] == [d["id"] for d in queued]  # nothing more queued

    batch_url = f"/api/v1/forms/{shop.forms['batch']}/records"
    names = {b: shop.admin.get(f"{batch_url}/{b}").json["batch_no"] for b in (red, old)}
    texts = [(r["path"], peer.json(r)["text"]["content"]) for r in peer.requests]
    to_ding = "\n".join(t for path, t in texts if path == "/robot/send")
    to_wecom = "\n".join(t for path, t in texts if path == "/cgi-bin/webhook/send")
    assert f"红牌: 酸奶 批次 {names[red]} 立即处置" in to_ding
    assert f"已过期: 酸奶 批次 {names[old]} 下架" in to_ding
    assert "FIRST" not in to_ding  # turned red before the robots were on: not told again
    assert names[red] in to_wecom and names[old] not in to_wecom
