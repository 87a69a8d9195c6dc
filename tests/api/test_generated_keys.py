"""Keys made for people: a business user names things, the platform makes their keys.

A form, its fields, a rule, a flow and a connector created without a key get one made
from the label (pinyin for Chinese, snake_case for English), unique among their siblings;
a key given by hand is kept, and a bad one is still refused with its field path.
"""

from __future__ import annotations

import pytest

from tests.connectors_fixtures import CONNECTOR_CONFIGS
from tests.rules_fixtures import BATCH, rule_definition

ZH = {"Accept-Language": "zh-CN"}


def _app(tenant) -> dict:
    created = tenant.admin.post("/api/v1/apps", json={"label": {"zh": "退货管理"}})
    assert created.status_code == 201, created.json
    return created.json


def _form(tenant, app: dict, label: dict, **body) -> dict:
    created = tenant.admin.post(f"/api/v1/apps/{app['id']}/forms", json={"label": label, **body})
    assert created.status_code == 201, created.json
    return created.json


def test_a_form_and_its_fields_get_keys_from_their_labels(tenant):
    app = _app(tenant)
    assert app["key"] == "tuihuo_guanli"
    form = _form(tenant, app, {"zh": "退货登记"})
    assert form["key"] == "tuihuo_dengji"
    fields = [
        {"type": "text", "label": {"zh": "商品名称", "en": "Text"}},
        {"type": "integer", "label": {"zh": "退货数量", "en": "Integer"}},
        {"type": "integer", "label": {"zh": "退货数量", "en": "Integer"}},
        {"type": "date", "label": {"zh": "退货日期"}},
        {
            "type": "subtable",
            "label": {"zh": "明细"},
            "fields": [{"type": "text", "label": {"zh": "批次号"}}],
        },
    ]
    # The designer names a new field after its type in both languages ("en": "Text"); the
    # person retypes it in the console's language, Chinese here, whose label then wins.
    saved = tenant.admin.patch(
        f"/api/v1/forms/{form['id']}", json={"draft": {"fields": fields}}, headers=ZH
    )
    assert saved.status_code == 200, saved.json
    keys = [f["key"] for f in saved.json["draft"]["fields"]]
    assert keys == [
        "shangpin_mingcheng",
        "tuihuo_shuliang",
        "tuihuo_shuliang_2",
        "tuihuo_riqi",
        "mingxi",
    ]
    assert saved.json["draft"]["fields"][4]["fields"][0]["key"] == "pici_hao"
    published = tenant.admin.post(f"/api/v1/forms/{form['id']}/publish")
    assert published.status_code == 201, published.json
    # A field added later keeps the others' keys and gets a free one.
    more = saved.json["draft"]["fields"] + [{"type": "text", "label": {"zh": "退货数量"}}]
    again = tenant.admin.patch(
        f"/api/v1/forms/{form['id']}", json={"draft": {"fields": more}}, headers=ZH
    )
    assert [f["key"] for f in again.json["draft"]["fields"]][1:3] == keys[1:3]
    assert again.json["draft"]["fields"][-1]["key"] == "tuihuo_shuliang_3"


def test_the_key_follows_the_callers_language_and_is_unique(tenant):
    app = _app(tenant)
    english = {"zh": "退货登记", "en": "Return slip"}
    first = _form(tenant, app, english)
    second = tenant.admin.post(
        f"/api/v1/apps/{app['id']}/forms",
        json={"label": english},
        headers=ZH,
    )
    third = _form(tenant, app, english)
    assert first["key"] == "return_slip"
    assert second.json["key"] == "tuihuo_dengji"
    assert third["key"] == "return_slip_2"


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ({"zh": "2024 年度计划"}, "form_2024_niandu_jihua"),
        ({"zh": "！！！"}, "form"),
        ({"en": "Café Orders"}, "cafe_orders"),
        ({"zh": "临期品绿色处置" * 6}, None),
    ],
)
def test_labels_that_cannot_be_spelled_still_give_a_valid_key(tenant, label, key):
    form = _form(tenant, _app(tenant), label)
    assert form["key"] == key if key else len(form["key"]) <= 40
    assert form["table_name"].endswith(form["key"])


def test_a_key_given_by_hand_is_kept_and_a_bad_one_refused(tenant):
    app = _app(tenant)
    kept = _form(tenant, app, {"zh": "退货登记"}, key="returns")
    assert kept["key"] == "returns"
    bad = tenant.admin.post(
        f"/api/v1/apps/{app['id']}/forms", json={"key": "9 bad", "label": {"zh": "x"}}
    )
    assert bad.status_code == 422 and "key" in str(bad.json["errors"])
    taken = tenant.admin.post(
        f"/api/v1/apps/{app['id']}/forms", json={"key": "returns", "label": {"zh": "x"}}
    )
    assert taken.status_code == 409 and "key" in taken.json["errors"]


def test_rules_flows_and_connectors_get_keys_from_their_labels(tenant):
    app = _app(tenant)
    form = _form(tenant, app, {"zh": "批次"}, draft={"fields": BATCH})
    assert tenant.admin.post(f"/api/v1/forms/{form['id']}/publish").status_code == 201
    definition = rule_definition(form["key"])
    rules = [
        tenant.admin.post("/api/v1/rules", json={"label": {"zh": "临期预警"}, "draft": definition})
        for _ in range(2)
    ]
    assert [r.status_code for r in rules] == [201, 201], rules[0].json
    assert [r.json["key"] for r in rules] == ["linqi_yujing", "linqi_yujing_2"]
    flow = tenant.admin.post("/api/v1/flows", json={"name": "退货审批", "form_id": form["id"]})
    assert flow.status_code == 201, flow.json
    assert flow.json["key"] == "tuihuo_shenpi"
    connector = tenant.admin.post(
        "/api/v1/connectors",
        json={
            "type": "webhook",
            "label": {"zh": "金蝶回调", "en": "ERP hook"},
            "config": CONNECTOR_CONFIGS["webhook"],
        },
    )
    assert connector.status_code == 201, connector.json
    assert connector.json["key"] == "erp_hook"
