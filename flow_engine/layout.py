"""Diagram layout for compiled simple-designer flows: left to right, branches stacked.

Shapes are placed on a centre line; a branch block stacks its branches around it. Edges
leave a gateway from its top or bottom when they go to another lane and enter the join
the same way, so the diagram reads like the tree. The result is BPMN DI, which bpmn-js
opens as drawn. Only geometry lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

BPMN_DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
TASK = (100, 80)
EVENT = (36, 36)
GATEWAY = (50, 50)
MARGIN_X, MARGIN_Y = 150, 80


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w


OTHERWISE = {"name": "其他情况", "condition": None, "child": None}


def laid_out_branches(node: dict) -> list:
    """A branch node's branches as drawn: a condition branch without an "otherwise"
    branch gets one (records matching no condition go straight on)."""
    branches = list(node.get("branches") or [])
    if node.get("type") == "branch" and not any(
        isinstance(b, dict) and b.get("condition") is None for b in branches
    ):
        branches.append(OTHERWISE)
    return branches


def route(src: Box, dst: Box, lane: float | None = None) -> list[tuple[float, float]]:
    """Waypoints from ``src`` to ``dst`` running along the horizontal line ``lane``."""
    lane = src.cy if lane is None else lane
    if abs(src.cy - dst.cy) < 1 and abs(lane - src.cy) < 1:
        return [(src.right, src.cy), (dst.x, dst.cy)]
    if abs(lane - src.cy) < 1:
        out = (src.right, src.cy)
    else:
        out = (src.cx, src.y if lane < src.cy else src.y + src.h)
    if abs(lane - dst.cy) < 1:
        into = (dst.x, dst.cy)
    else:
        into = (dst.cx, dst.y if lane < dst.cy else dst.y + dst.h)
    points = [out]
    if abs(out[1] - lane) >= 1:
        points.append((out[0], lane))
    if abs(into[1] - lane) >= 1:
        points.append((into[0], lane))
    points.append(into)
    return points


@dataclass
class Layout:
    gap: float = 50
    vgap: float = 40
    shapes: dict[str, Box] = field(default_factory=dict)
    edges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    def task(self, x: float, cy: float) -> Box:
        return Box(x, cy - TASK[1] / 2, *TASK)

    def event(self, x: float, cy: float) -> Box:
        return Box(x, cy - EVENT[1] / 2, *EVENT)

    def gateway(self, x: float, cy: float) -> Box:
        return Box(x, cy - GATEWAY[1] / 2, *GATEWAY)

    def right(self, element_id: str) -> float:
        """Where the next shape after this one starts."""
        return self.shapes[element_id].right + self.gap

    def chain_size(self, node: Any) -> tuple[float, float]:
        """(width, height) of a chain of tree nodes as ``simple_designer`` lays it out."""
        widths, height = [], float(TASK[1])
        while isinstance(node, dict):
            if node.get("type") in {"branch", "parallel"} and isinstance(
                node.get("branches"), list
            ):
                sizes = [
                    self.chain_size(b.get("child") if isinstance(b, dict) else None)
                    for b in laid_out_branches(node)
                ]
                inner = max((w for w, _ in sizes), default=0)
                widths.append(2 * GATEWAY[0] + 2 * self.gap + inner)
                height = max(height, self.stack_height(sizes))
            elif node.get("type") == "end":
                widths.append(EVENT[0])
            else:
                widths.append(TASK[0])
            node = node.get("child")
        return sum(widths) + self.gap * max(len(widths) - 1, 0), height

    def stack_height(self, sizes: list[tuple[float, float]]) -> float:
        return sum(h for _, h in sizes) + self.vgap * max(len(sizes) - 1, 0)

    def write_diagram(self, root, process_id: str) -> None:
        """Append a BPMNDiagram with every shape and edge, shifted into positive space."""
        tops = [b.y for b in self.shapes.values()] + [
            y for points in self.edges.values() for _, y in points
        ]
        dy = MARGIN_Y - min(tops, default=0)
        diagram = etree.SubElement(root, f"{{{BPMN_DI}}}BPMNDiagram", id="BPMNDiagram_1")
        plane = etree.SubElement(
            diagram, f"{{{BPMN_DI}}}BPMNPlane", id="BPMNPlane_1", bpmnElement=process_id
        )
        for element_id, box in self.shapes.items():
            shape = etree.SubElement(
                plane, f"{{{BPMN_DI}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id
            )
            etree.SubElement(
                shape,
                f"{{{DC}}}Bounds",
                x=_n(box.x + MARGIN_X),
                y=_n(box.y + dy),
                width=_n(box.w),
                height=_n(box.h),
            )
        for flow_id, points in self.edges.items():
            edge = etree.SubElement(
                plane, f"{{{BPMN_DI}}}BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id
            )
            for x, y in points:
                etree.SubElement(edge, f"{{{DI}}}waypoint", x=_n(x + MARGIN_X), y=_n(y + dy))


def _n(value: float) -> str:
    return str(round(value))
