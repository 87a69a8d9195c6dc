"""Requests approved at the same moment compete for the same stock: rows are locked, so
what is taken adds up, nothing goes below zero, and the late ones wait for more stock."""

from __future__ import annotations

import threading

from tests.flows_fixtures import Org, todo
from tests.flows_services_fixtures import (
    action,
    add,
    approver,
    flow_with,
    history,
    record,
    request_form,
    stock_form,
)


def test_concurrent_allocations_never_take_more_than_there_is(tenant):
    org = Org(tenant)
    form, stock = request_form(tenant), stock_form(tenant)
    clerk, head = org.client("clerk"), org.client("head")
    rows = [
        add(clerk, stock, sku="M", qty=q, expiry=f"2027-0{i + 1}-01")
        for i, q in enumerate((5, 4, 3))
    ]
    allocate = action(
        "stock.allocate",
        {
            "form": stock["key"],
            "field": "qty",
            "quantity": {"var": "qty"},
            "where": {"==": [{"var": "sku"}, {"$record": "sku"}]},
            "order_by": "expiry",
        },
    )
    flow = flow_with(tenant, form, approver(allocate))
    started = []
    for _ in range(6):
        request = add(clerk, form, sku="M", qty=4)
        response = clerk.post(
            f"/api/v1/flows/{flow['id']}/instances", json={"record_id": request["id"]}
        )
        started.append(response.json["id"])
    tasks = todo(head)
    assert len(tasks) == 6

    barrier = threading.Barrier(len(tasks))
    answers = [None] * len(tasks)

    def approve(i, task):
        client = org.tenant.client()
        assert client.login("head", "user-pass-123", org.tenant.slug).status_code == 200
        barrier.wait()
        answers[i] = client.post(f"/api/v1/flow-tasks/{task['id']}/approve", json={})

    threads = [threading.Thread(target=approve, args=(i, t)) for i, t in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(a.status_code == 200 for a in answers), [a.json for a in answers]
    left = [record(clerk, stock, r["id"])["qty"] for r in rows]
    assert all(q >= 0 for q in left)
    taken = 0
    for instance_id in started:
        for event in history(clerk, instance_id):
            if event["action"] == "stock.allocate":
                taken += event["details"]["total"]
    assert taken == 12 - sum(left) == 12  # three requests of 4 emptied the 12
    statuses = [clerk.get(f"/api/v1/flow-instances/{i}").json["status"] for i in started]
    assert statuses.count("approved") == 3 and statuses.count("running") == 3
