"""Every route of the API, read from its own OpenAPI document, answers odd input with a 4xx
and never a 500: ids that do not exist or overflow, query values of the wrong kind, bodies
of the wrong shape, and, in an otherwise plausible body, one field at a time set to a value
of the wrong type or an extreme one of the right type (empty, huge, NUL, ids past 64 bits).
"""

from __future__ import annotations

import json
import re

from tests.flows_fixtures import Org, add_record, disposal_form, make_flow, start
from tests.flows_toolset_fixtures import chain

#: values of the wrong type for a property of each JSON type
WRONG = {
    "string": [123, {}, [], True],
    "integer": ["abc", 1.5, {}, [], True],
    "number": ["abc", {}, []],
    "boolean": ["yes", 2, {}],
    "array": ["x", {}, 5],
    "object": ["x", [], 5],
}
#: extreme values of the right type
EXTREME = {
    "string": ["", " ", "x" * 5000, "a\x00b", "~1~key", "{{x}}", "../../etc/passwd", "2026-13-45"],
    "integer": [0, -1, 2**31, 2**63, -(2**63) - 1, 2**70],
    "number": [-1e308, 1e308, 0.1],
    "boolean": [False],
    "array": [[None], [{}], [[]], ["x"], [2**70], [{"id": 2**63}], [{"key": "", "type": ""}]],
    "object": [{"": None}, {"x": {"y": [1, {}]}}, {"zh": 5}, {"type": "nope"}],
}
PLAUSIBLE = {"string": "x1", "integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}
QUERY_VALUES = ["abc", "-1", "99999999999999999999", "", "1e9", "[]", "a%00b"]
IDS = ["999999999999", "99999999999999999999999"]  # unknown, and past 64 bits


def _resolve(spec: dict, schema: dict) -> dict:
    if "$ref" in schema:
        return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kind(schema: dict) -> str | None:
    kind = schema.get("type")
    return kind[0] if isinstance(kind, list) else kind


def _bodies(spec: dict, operation: dict) -> list:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return [None]
    properties = {
        key: _resolve(spec, prop)
        for key, prop in _resolve(spec, content["schema"]).get("properties", {}).items()
    }
    base = {
        key: (prop["enum"][0] if prop.get("enum") else PLAUSIBLE.get(_kind(prop), "x1"))
        for key, prop in properties.items()
    }
    bodies: list = [[], "text", 5, {}, base]
    for key, prop in properties.items():
        kind = _kind(prop)
        for value in WRONG.get(kind, [None]) + EXTREME.get(kind, []):
            bodies.append({**base, key: value})
    return bodies


def _urls(path: str, ids: list[str]) -> list[str]:
    names = re.findall(r"\{(\w+)\}", path)
    urls = []
    for ident in ids:
        url = path
        for name in names:
            url = url.replace("{" + name + "}", ident if "id" in name else "x")
        urls.append(url)
    return urls if names else [path]


def test_no_route_answers_odd_input_with_a_500(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, tree=chain({"id": "check", "assignee": "dept_head"}))
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="A", level="red"))
    spec = tenant.admin.get("/api/openapi.json").json
    failures, sent = [], 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            ids = IDS + ([] if method == "delete" else [str(started["id"]), "1"])
            queries = [""]
            if method == "get":
                queries += [
                    f"?{p['name']}={value}"
                    for p in operation.get("parameters", [])
                    if p.get("in") == "query"
                    for value in QUERY_VALUES
                ]
            for url in _urls(path, ids):
                for body in _bodies(spec, operation):
                    for query in queries if body is None else [""]:
                        sent += 1
                        kwargs = {} if body is None else {"json": body}
                        answer = tenant.admin.request(method.upper(), url + query, **kwargs)
                        if answer.status_code >= 500:
                            failures.append(f"{method.upper()} {url}{query} {json.dumps(body)}")
    assert sent > 5000  # the document lists the routes: a broken read would test nothing
    assert not failures, failures[:20]
