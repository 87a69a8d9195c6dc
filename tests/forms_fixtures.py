"""Building apps and published forms through the API, as the designer does."""

from __future__ import annotations

import itertools

_keys = itertools.count()

#: the smallest valid PNG (one transparent pixel), for upload tests
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

BATCH_FIELDS = [
    {
        "key": "batch_no",
        "type": "text",
        "label": {"zh": "批次号", "en": "Batch no."},
        "required": True,
        "unique": True,
    },
    {"key": "lot", "type": "autonumber", "label": "Lot", "pattern": "LOT-{YYYYMMDD}-{seq:4}"},
    {"key": "qty", "type": "integer", "label": "数量", "validations": {"min": 0}},
    {"key": "cost", "type": "money", "label": "成本"},
    {"key": "expiry", "type": "date", "label": "到期日", "indexed": True},
    {
        "key": "warehouse",
        "type": "select",
        "label": "仓库",
        "options": [{"value": "east", "label": {"zh": "华东仓"}}, {"value": "south"}],
    },
    {"key": "owner", "type": "user", "label": "负责人"},
    {
        "key": "lines",
        "type": "subtable",
        "label": "明细",
        "fields": [
            {"key": "sku", "type": "text", "label": "SKU", "required": True},
            {"key": "q", "type": "integer", "label": "Q"},
        ],
    },
    {"key": "photos", "type": "image", "label": "照片", "max_size_mb": 1},
]


def make_form(tenant, fields=None, key: str | None = None, publish: bool = True) -> dict:
    admin = tenant.admin
    apps = admin.get("/api/v1/apps").json["items"]
    app = (
        apps[0]
        if apps
        else admin.post("/api/v1/apps", json={"key": "expiry", "label": {"zh": "临期品"}}).json
    )
    key = key or f"batch{next(_keys)}"
    form = admin.post(
        f"/api/v1/apps/{app['id']}/forms",
        json={"key": key, "label": {"zh": "批次"}, "draft": {"fields": fields or BATCH_FIELDS}},
    )
    assert form.status_code == 201, form.json
    if publish:
        published = admin.post(f"/api/v1/forms/{form.json['id']}/publish")
        assert published.status_code == 201, published.json
    return form.json


def form_with(tenant, key: str, meta: dict, publish: bool = True) -> tuple[dict, object]:
    """A form with this whole metadata (its settings besides its fields), and the answer
    to publishing it (None when not published)."""
    admin = tenant.admin
    apps = admin.get("/api/v1/apps").json["items"]
    app = (
        apps[0]
        if apps
        else admin.post("/api/v1/apps", json={"key": "expiry", "label": {"zh": "临期品"}}).json
    )
    form = admin.post(
        f"/api/v1/apps/{app['id']}/forms", json={"key": key, "label": {"zh": key}, "draft": meta}
    )
    assert form.status_code == 201, form.json
    published = admin.post(f"/api/v1/forms/{form.json['id']}/publish") if publish else None
    return form.json, published


def published_form(tenant, key: str, meta: dict) -> dict:
    form, published = form_with(tenant, key, meta)
    assert published.status_code == 201, published.json
    return form


def records_url(form: dict) -> str:
    return f"/api/v1/forms/{form['id']}/records"
