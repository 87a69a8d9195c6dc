"""Helpers the approval-toolset tests share: a chain of approvers as a simple-designer tree,
a started flow, what its history and status read, and a file sent for a decision."""

from __future__ import annotations

import io

from tests.flows_fixtures import (
    DISPOSAL_FIELDS,
    Org,
    add_record,
    disposal_form,
    instance,
    make_flow,
    start,
    todo,
)
from tests.forms_fixtures import make_form


def chain(*approvers: dict, **initiator) -> dict:
    """A simple-designer tree running the approvers one after the other."""
    child = None
    for node in reversed(approvers):
        child = {"type": "approver", **node, **({"child": child} if child else {})}
    return {"type": "initiator", **initiator, "child": child}


def run_flow(tenant, org, tree: dict, **values) -> dict:
    """Deploy ``tree`` on a disposal form and start it for a new record as the clerk."""
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, tree=tree)
    clerk = org.client("clerk")
    return start(clerk, flow, add_record(clerk, form, **values))


def history(org, started) -> list[tuple[str, str | None]]:
    events = instance(org.client("clerk"), started["id"])["events"]
    return [(e["action"], e["actor_name"]) for e in events]


def status(org, started) -> str:
    return instance(org.client("clerk"), started["id"])["status"]


def send_file(client, content: bytes, name: str, kind: str, **target):
    """Upload a file (for a task with ``task_id=``, or a form field); the raw response."""
    return client.post(
        "/api/v1/attachments",
        data={"file": (io.BytesIO(content), name, kind), **target},
        content_type="multipart/form-data",
    )


def waiting_at_head(tenant):
    """A flow on a form without file fields, waiting at the clerk's department head:
    the org, the head's client, the head's task and the started instance."""
    org = Org(tenant)
    form = make_form(tenant, fields=DISPOSAL_FIELDS, key="no_file_field")
    flow = make_flow(tenant, form, tree=chain({"id": "check", "assignee": "dept_head"}))
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="A", level="red"))
    head = org.client("head")
    return org, head, todo(head)[0], started
