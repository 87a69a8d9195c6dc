"""What changes between two versions of a form's metadata, for people to read."""

from __future__ import annotations


def _by_key(meta: dict | None) -> dict[str, dict]:
    return {f["key"]: f for f in (meta or {}).get("fields", []) if not f.get("removed")}


def diff_meta(old: dict | None, new: dict) -> dict:
    """Fields added, removed (data kept), relabelled and otherwise changed."""
    before, after = _by_key(old), _by_key(new)
    changed, relabelled = [], []
    for key in before.keys() & after.keys():
        a, b = before[key], after[key]
        if a.get("label") != b.get("label"):
            relabelled.append({"key": key, "before": a.get("label"), "after": b.get("label")})
        props = sorted(p for p in (a.keys() | b.keys()) - {"label"} if a.get(p) != b.get(p))
        if props:
            changed.append({"key": key, "label": b.get("label"), "properties": props})
    return {
        "added": [after[k] for k in after if k not in before],
        "removed": [before[k] for k in before if k not in after],
        "relabelled": sorted(relabelled, key=lambda c: c["key"]),
        "changed": sorted(changed, key=lambda c: c["key"]),
    }
