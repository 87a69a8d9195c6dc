"""Parts (a) and (b) of the flows bench: start-to-end throughput through the service layer,
and the cost of a step as one instance loops through a review task, each beside the
baselines of ``bench.flows_baselines``."""

from __future__ import annotations

import statistics
import time

from sqlalchemy import inspect

from bench.flows_baselines import NaiveStore, parse_spec, run_in_memory
from bench.flows_setup import (
    INSTANCES,
    LOOPS,
    DatabaseClock,
    analyze,
    facts,
    finished,
    make_records,
    open_seat,
    scope_of,
    version_spec,
)
from bench.report import Report

# --- (a) throughput --------------------------------------------------------------------


def bench_throughput(report: Report, ctx: dict) -> None:
    from app.flows.inbox import act
    from app.flows.instances import start_instance

    print("(a) two-step approval, start to end", flush=True)
    flow_id = ctx["flows"]["two_step"]
    records = make_records(ctx, INSTANCES + 20)
    spec_json = version_spec(ctx, "two_step")

    def ours(record_id: int) -> None:
        instance = start_instance(scope_of(ctx, "clerk"), flow_id, record_id)
        instance_id = inspect(instance).identity[0]  # known without reading the row again
        for who in ("head", "director"):
            seat = open_seat(ctx, instance_id)
            act(scope_of(ctx, who), seat, "approve", {})

    for record_id in records[:20]:  # warm caches and connections, and leave some history
        ours(record_id)
    analyze()
    clock = DatabaseClock()
    started = time.perf_counter()
    for record_id in records[20:]:
        ours(record_id)
    ours_rate = INSTANCES / (time.perf_counter() - started)
    statements, waited = clock.stop()
    per_instance, waited_ms = statements / INSTANCES, waited / INSTANCES * 1000
    assert finished(ctx, records) == len(records), "every instance ends approved"

    spec = parse_spec(spec_json)
    record_facts = facts(qty=500)
    started = time.perf_counter()
    run_in_memory(spec, record_facts, INSTANCES)
    raw_rate = INSTANCES / (time.perf_counter() - started)

    naive = NaiveStore(ctx["url"], spec_json)
    clock = DatabaseClock(naive.engine)
    started = time.perf_counter()
    for _ in range(INSTANCES):
        instance_id = naive.start(record_facts)
        assert not naive.approve(instance_id, record_facts)
        assert naive.approve(instance_id, record_facts)
    naive_rate = INSTANCES / (time.perf_counter() - started)
    naive_statements, naive_waited = clock.stop()
    report.add(
        "(a) start + 2 approvals, saved every step",
        f"{ours_rate:,.0f} instances/s",
        f"raw in-memory SpiffWorkflow {raw_rate:,.0f}/s; naive whole-state {naive_rate:,.0f}/s",
        f"target >= 150/s; {ours_rate / naive_rate:.1f}x naive; "
        f"{per_instance:.0f} SQL statements per instance",
    )
    report.add(
        "(a) of which waiting on the database",
        f"{waited_ms:.1f} ms per instance",
        f"naive {naive_waited / INSTANCES * 1000:.1f} ms "
        f"({naive_statements / INSTANCES:.0f} statements)",
        f"a floor: at most {1000 / waited_ms:,.0f}/s even with no Python time",
    )


# --- (b) growth ------------------------------------------------------------------------


def _halves(times: list[float]) -> tuple[float, float]:
    return statistics.mean(times[:50]), statistics.mean(times[-50:])


def bench_growth(report: Report, ctx: dict) -> None:
    from app.extensions import db
    from app.flows.inbox import act
    from app.flows.instances import start_instance
    from app.models import FlowInstance

    print(f"(b) one instance looping {LOOPS} times through a review task", flush=True)
    [record_id] = make_records(ctx, 1, note="")
    instance = start_instance(scope_of(ctx, "clerk"), ctx["flows"]["review_loop"], record_id)
    naive = NaiveStore(ctx["url"], version_spec(ctx, "review_loop"))
    record_facts = facts(note="")
    naive_id = naive.start(record_facts)
    analyze()
    # The two run step by step in turn, so a change in the machine's load hits both alike.
    times, naive_times, sizes = [], [], []
    for _ in range(LOOPS):
        seat = open_seat(ctx, instance.id)
        started = time.perf_counter()
        act(scope_of(ctx, "head"), seat, "approve", {})
        times.append(time.perf_counter() - started)
        sizes.append(len(db.session.get(FlowInstance, instance.id).state))
        started = time.perf_counter()
        naive.approve(naive_id, record_facts)
        naive_times.append(time.perf_counter() - started)
    first, last = _halves(times)
    naive_first, naive_last = _halves(naive_times)
    medians = statistics.median(times[-50:]) / statistics.median(times[:50])
    report.add(
        f"(b) {LOOPS}-round loop: last 50 / first 50 steps",
        f"{last / first:.2f}x ({first * 1000:.1f} -> {last * 1000:.1f} ms; medians {medians:.2f}x)",
        f"naive whole-state {naive_last / naive_first:.2f}x "
        f"({naive_first * 1000:.1f} -> {naive_last * 1000:.1f} ms)",
        f"target <= 2x; saved state {sizes[0]:,} -> {sizes[-1]:,} bytes",
    )
