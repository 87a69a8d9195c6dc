"""The bench's table: each figure beside its baseline, printed as it comes and at the end."""

from __future__ import annotations

import statistics


class Report:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str, str]] = []

    def add(self, what: str, ours: str, baseline: str, note: str = "") -> None:
        self.lines.append((what, ours, baseline, note))
        print(f"  {what}: {ours}  |  baseline {baseline}  {note}", flush=True)

    def print(self, title: str) -> None:
        widths = [
            max(len(r[i]) for r in [*self.lines, ("what", "GreenShelf", "baseline", "")])
            for i in range(4)
        ]
        print(f"\n{title}")
        for row in [("what", "GreenShelf", "baseline", "note"), *self.lines]:
            print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f} rows/s"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
