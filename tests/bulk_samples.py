"""Sample fields, cell values and a directory for the bulk validation tests.

Every field type, with rules of each kind, and for each type values a user might send:
good ones, wrong ones, edge cases (bounds, places, offsets) and values of the wrong type.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

TODAY = date(2026, 1, 15)
OPTIONS = [{"value": "a", "label": {"zh": "甲", "en": "A"}}, {"value": 7}, {"value": "b c"}]
FIELDS = [
    {
        "key": "code",
        "type": "text",
        "label": "Code",
        "required": True,
        "unique": True,
        "validations": {"max_length": 6, "min_length": 2, "pattern": "^[A-Z]"},
    },
    {"key": "note", "type": "textarea", "label": "Note", "validations": {"max_length": 8}},
    {"key": "html", "type": "richtext", "label": "Html"},
    {
        "key": "qty",
        "type": "integer",
        "label": "Qty",
        "default": 5,
        "validations": {"min": -3.5, "max": 1e3},
    },
    {"key": "big", "type": "integer", "label": "Big"},
    {"key": "price", "type": "decimal", "label": "Price", "validations": {"scale": 2, "min": 0}},
    {"key": "tiny", "type": "decimal", "label": "Tiny", "validations": {"scale": 8}},
    {"key": "cost", "type": "money", "label": "Cost"},
    {"key": "rate", "type": "percent", "label": "Rate", "validations": {"max": 100}},
    {"key": "expiry", "type": "date", "label": "Expiry"},
    {"key": "seen", "type": "datetime", "label": "Seen"},
    {"key": "at", "type": "time", "label": "At"},
    {"key": "kind", "type": "select", "label": "Kind", "options": OPTIONS, "default": "zz"},
    {"key": "tags", "type": "multiselect", "label": "Tags", "options": OPTIONS},
    {"key": "way", "type": "radio", "label": "Way", "options": OPTIONS},
    {"key": "boxes", "type": "checkbox", "label": "Boxes", "options": OPTIONS},
    {"key": "urgent", "type": "switch", "label": "Urgent", "default": "是"},
    {"key": "owner", "type": "user", "label": "Owner"},
    {"key": "dept", "type": "department", "label": "Dept"},
    {
        "key": "sku",
        "type": "relation",
        "label": "SKU",
        "relation": {"form": "skus", "display": "n"},
    },
    {"key": "files", "type": "attachment", "label": "Files", "max_files": 2},
    {"key": "photo", "type": "image", "label": "Photo"},
    {"key": "lot", "type": "autonumber", "label": "Lot", "pattern": "L{seq:3}"},
    {"key": "phone", "type": "phone", "label": "Phone"},
    {"key": "mail", "type": "email", "label": "Mail"},
    {"key": "place", "type": "location", "label": "Place"},
    {"key": "stars", "type": "rating", "label": "Stars", "max": 3},
    {
        "key": "lines",
        "type": "subtable",
        "label": "Lines",
        "fields": [{"key": "q", "type": "integer", "label": "Q", "required": True}],
    },
]
LINKED = [
    *FIELDS,
    {
        "key": "total",
        "type": "formula",
        "label": "Total",
        "result_type": "integer",
        "formula": {"+": [{"var": "qty"}, 1]},
    },
    {"key": "why", "type": "text", "label": "Why", "required_if": {">": [{"var": "qty"}, 50]}},
    {
        "key": "extra",
        "type": "integer",
        "label": "Extra",
        "visible_if": {"==": [{"var": "kind"}, "a"]},
        "required": True,
    },
]
POOLS = {
    "text": [
        None,
        "",
        "  ",
        "AB",
        "A",
        "Abcdefg",
        "ab",
        "ÄB",
        "XY\n",
        "A\x00",
        12,
        1.5,
        True,
        ["A"],
    ],
    "textarea": [None, "", " x ", "123456789", "x\x00y", 3, {"a": 1}],
    "richtext": [None, "<b>hi</b>", "<script>x</script>", "<b>\x00</b>", 5],
    "integer": [
        None,
        "",
        0,
        -3,
        -4,
        1000,
        1001,
        "12",
        "1,000",
        2.0,
        2.5,
        "x",
        True,
        2**53,
        -(2**53) + 1,
        "9007199254740991",
        "1e2",
        "nan",
        Decimal("3"),
    ],
    "decimal": [
        None,
        "",
        0,
        "0.5",
        "1.005",
        "-1",
        0.1,
        "12,345.6",
        "1e-7",
        "0.00000001",
        "-0",
        1e16,
        "inf",
        "abc",
        False,
        "99999999999",
        "0.000000001",
    ],
    "date": [
        None,
        "",
        "2026-02-28",
        "2026-02-30",
        "2026/3/1",
        "20260301",
        "2026年3月1日",
        date(1, 1, 1),
        datetime(2026, 1, 2, 3, 4),
        "2026-03-01T10:00:00",
        20260301,
    ],
    "datetime": [
        None,
        "2026-01-01T10:00:00Z",
        "2026-01-01",
        date(2026, 1, 1),
        "later",
        datetime(2026, 1, 1, 8, tzinfo=UTC),
    ],
    "time": [
        None,
        "9:30",
        "09:30:15",
        "25:00",
        "12:30+08:00",
        time(8, 0),
        datetime(2026, 1, 1, 7, 5),
        930,
    ],
    "select": [None, "", "a", "甲", "A", 7, "7", "b c", "zz", " a "],
    "multiselect": [None, "", [], ["a", "a"], "a,7", "甲，b c", ["zz"], "a, zz", 5, [7]],
    "switch": [None, "", True, False, "yes", "否", 1, 0, "maybe", 2],
    "user": [None, "", 1, 2, 3, "alice", "Bob B", "carol", "2", "0", 0, -1, True, {"id": 1}, 1.5],
    "attachment": [None, [], [500], [500, 501], [999], [{"id": 500}], ["x"], [1, 2, 3], "500"],
    "autonumber": [None, "L001"],
    "phone": [None, "+86 138-0000-0000", "123", "abc", 13800000000],
    "email": [None, "a@b.co", "a@b", "x" * 250 + "@b.co", " a@b.co "],
    "location": [None, "31.2,121.4,上海", "31.2", "91,0", {"lat": 1, "lng": 2}, {"lat": "x"}],
    "rating": [None, "", 0, 3, 4, "★★", "★★★★", "2", -1],
    "subtable": [None, [], [{"q": 1}], [{"q": "x"}], [{}], "rows", [{"q": 2}, 5]],
    "formula": [None, 3],
}
POOLS["money"] = POOLS["percent"] = POOLS["decimal"]
POOLS["radio"] = POOLS["select"]
POOLS["checkbox"] = POOLS["multiselect"]
POOLS["department"] = [None, 10, 11, "仓储部", "nowhere"]
POOLS["relation"] = [None, 100, 101, "X-1", "nothing"]
POOLS["image"] = POOLS["attachment"]
GOOD = {
    "text": "AB",
    "textarea": " x ",
    "richtext": "<b>hi</b>",
    "integer": "12",
    "decimal": "0.5",
    "date": "2026-02-28",
    "datetime": "2026-01-01T10:00:00Z",
    "time": "9:30",
    "select": "甲",
    "multiselect": "a,7",
    "switch": "yes",
    "user": "alice",
    "department": 10,
    "relation": "X-1",
    "attachment": [500],
    "autonumber": None,
    "phone": "+86 138-0000-0000",
    "email": "a@b.co",
    "location": "31.2,121.4,上海",
    "rating": 2,
    "subtable": [{"q": 1}],
    "formula": None,
}
GOOD["money"] = GOOD["percent"] = GOOD["decimal"]
GOOD["radio"], GOOD["checkbox"], GOOD["image"] = "a", ["b c"], [501]


class Directory:
    users = {1: ["alice", "Alice A"], 2: ["bob", "Bob B"]}
    departments = {10: ["仓储部"]}
    records = {100: ["X-1"]}
    files = {500: {"id": 500, "name": "a.png"}, 501: {"id": 501, "name": "b.png"}}

    def _known(self, target: str) -> dict:
        return {"users": self.users, "departments": self.departments}.get(target, self.records)

    def existing(self, target: str, ids: set[int]) -> set[int]:
        return {i for i in ids if i in self._known(target)}

    def lookup(self, target: str, texts: set[str]) -> dict[str, int]:
        names = {name: i for i, all_names in self._known(target).items() for name in all_names}
        return {t: names[t] for t in texts if t in names}

    def attachments(self, ids: set[int]) -> dict[int, dict]:
        return {i: dict(self.files[i]) for i in ids if i in self.files}
