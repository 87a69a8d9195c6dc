"""Write the spreadsheet the browser tests import: 1,000 batches, three of them wrong.

Run with `python tests/e2e/make_fixtures.py`; the result is committed beside the specs so
the browser tests need no Python at run time.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parents[2] / "frontend" / "e2e" / "fixtures" / "batches-1000.xlsx"
BAD = {101: ("qty", "many"), 501: ("production_date", "2026-02-30"), 901: ("warehouse", "北极仓")}


def main() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("batches")
    columns = ["batch_no", "warehouse", "production_date", "qty", "unit_price"]
    sheet.append(columns)
    for i in range(1, 1001):
        row = {
            "batch_no": f"IMP-{i:04d}",
            "warehouse": "wh1" if i % 2 else "wh2",
            "production_date": "2026-10-01",
            "qty": i,
            "unit_price": "9.90",
        }
        if i in BAD:
            key, value = BAD[i]
            row[key] = value
        sheet.append([row[c] for c in columns])
    book.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
