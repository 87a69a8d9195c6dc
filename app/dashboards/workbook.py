"""A chart's figures as an Excel workbook: one row per group, dimensions by their labels,
measures as numbers, and the totals (and the previous period's) underneath."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

TOTAL = {"zh": "合计", "en": "Total"}
PREVIOUS = {"zh": "上期合计", "en": "Previous period"}


def chart_workbook(figures: dict, locale: str) -> bytes:
    dimensions, measures = figures["dimensions"], figures["measures"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("chart")
    sheet.append([d["label"] for d in dimensions] + [m["label"] for m in measures])
    for row in figures["rows"]:
        sheet.append(
            [row[d["key"]]["label"] for d in dimensions] + [row[m["key"]] for m in measures]
        )
    blanks = [""] * max(len(dimensions) - 1, 0)
    lead = (lambda name: [name, *blanks]) if dimensions else (lambda name: [])
    sheet.append(lead(TOTAL[locale]) + [figures["totals"].get(m["key"]) for m in measures])
    previous = figures.get("previous")
    if previous:
        totals = previous["totals"]
        sheet.append(lead(PREVIOUS[locale]) + [totals.get(m["key"]) for m in measures])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
