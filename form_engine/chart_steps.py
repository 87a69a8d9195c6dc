"""A chart's drill-down steps: which dimensions the view at each depth groups by, and the
chart narrowed to a clicked point, as a ``ChartSpec`` the aggregate compiler runs as it is.

A chart with more dimensions than it draws at once is a ladder: a bar chart of warehouse,
category and level shows warehouses first (depth 0), then the categories of the clicked
warehouse (depth 1), then the levels of the clicked category (depth 2). Charts that draw two
dimensions at once (stacked bar, heatmap) keep their last one as the stacks or rows and step
through the others; tables and KPI cards show every dimension at once and have one view.
The console's ladder (``frontend/src/views/dashboards/drill.ts``) follows the same rule.
Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from engine_errors import ValidationError
from form_engine.chart_conditions import RelatedIds, point_condition
from form_engine.chart_definition import ChartSpec, Dimension

#: types that draw two dimensions at once: the last stays while the others are stepped through
PAIRED = ("stacked_bar", "heatmap")
#: types that show every dimension at once
WHOLE = ("table", "kpi")


def steps_of(spec: ChartSpec) -> list[tuple[Dimension, ...]]:
    """The dimensions of the view at each depth, the top first (always at least one view)."""
    dimensions = spec.dimensions
    if spec.type in WHOLE or len(dimensions) <= 1:
        return [dimensions]
    if spec.type in PAIRED:
        if len(dimensions) == 2:
            return [dimensions]
        return [(dimension, dimensions[-1]) for dimension in dimensions[:-1]]
    return [(dimension,) for dimension in dimensions]


def step_spec(
    spec: ChartSpec, point: Mapping[str, Any], depth: int, related_ids: RelatedIds
) -> ChartSpec:
    """The chart's view at ``depth`` over the records at ``point`` ({dimension key: value}),
    or ValidationError naming ``depth`` or ``point.<key>``: the chart's filter narrowed by
    the point, grouped by that step's dimensions, its sort kept where it still applies."""
    errors: dict[str, list[str]] = {}
    steps = steps_of(spec)
    if not 0 <= depth < len(steps):
        errors["depth"] = [f"This chart has drill depths 0 to {len(steps) - 1}."]
    try:
        narrowed = point_condition(spec, point, related_ids)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        path = next(iter(errors))
        raise ValidationError(f"Not a drill step of this chart: {path}: {errors[path][0]}", errors)
    dimensions = steps[depth]
    keys = {d.key for d in dimensions} | {m.key for m in spec.measures}
    parts = [part for part in (spec.filter, narrowed) if part is not None]
    return replace(
        spec,
        dimensions=dimensions,
        sort=tuple(item for item in spec.sort if item[0] in keys),
        filter=parts[0] if len(parts) == 1 else ({"and": parts} if parts else None),
    )
