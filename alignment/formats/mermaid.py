"""The alignment map as a Mermaid flowchart: goals at the top, initiatives at the bottom.

Diagram ids are generated (n1, n2... in plan order) and every label is quoted and escaped, so
no title can break the diagram. ``plan_to_mermaid`` is the standalone ``--format mermaid``;
the Markdown map reuses ``flowchart`` for one diagram per goal on large plans.

>>> from alignment.core.model import Kind, Node
>>> plan = Plan("Demo")
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title='Grow "fast" <b>'))
>>> _ = plan.add(Node(id="ship", kind=Kind.INITIATIVE, title="Ship it"), supports=["grow"])
>>> print("\\n".join(line for line in plan_to_mermaid(plan).splitlines() if "class" not in line))
flowchart BT
  n1{{"Grow #quot;fast#quot; #lt;b#gt;"}}
  n2("Ship it<br/>candidate")
  n2 --> n1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from alignment.core.model import Kind, Node, Status
from alignment.core.plan import Plan
from alignment.core.values import Metric, format_value
from alignment.formats.escape import mermaid_label
from alignment.formats.map_facts import MapFacts, facts_of, link_label, with_unit

__all__ = ["KIND_SHAPES", "MARKERS", "flowchart", "indicator_figures", "plan_to_mermaid"]

# One shape per kind (classic Mermaid syntax, so GitHub's and GitLab's renderers draw it too).
KIND_SHAPES: dict[Kind, tuple[str, str, str]] = {
    Kind.GOAL: ('{{"', '"}}', "hexagon"),
    Kind.STRATEGY: ('(["', '"])', "stadium"),
    Kind.INDICATOR: ('[/"', '"/]', "parallelogram"),
    Kind.INITIATIVE: ('("', '")', "rounded box"),
}

_KIND_STYLES = {
    Kind.GOAL: "fill:#dbeafe,stroke:#1e40af,stroke-width:2px,color:#0b1f4d",
    Kind.STRATEGY: "fill:#e0e7ff,stroke:#4338ca,color:#1e1b4b",
    Kind.INDICATOR: "fill:#dcfce7,stroke:#15803d,color:#052e16",
    Kind.INITIATIVE: "fill:#fef9c3,stroke:#a16207,color:#422006",
}

# Markers drawn over the kind's style, in this order (later wins): name, style, legend text.
MARKERS: list[tuple[str, str, str]] = [
    (
        "shared",
        "stroke-width:4px",
        "thick border: drawn in several diagrams (it serves several goals, or also supports "
        "something that serves none)",
    ),
    (
        "unmeasured",
        "stroke:#c2410c,stroke-width:3px,stroke-dasharray:4 3",
        "orange dashed border: unmeasured initiative (reaches a goal through no indicator)",
    ),
    (
        "vanity",
        "fill:#fce7f3,stroke:#be185d,stroke-width:3px,stroke-dasharray:6 3,color:#500724",
        "pink dashed border: vanity metric (an indicator that serves no goal)",
    ),
    (
        "orphan",
        "fill:#fee2e2,stroke:#b91c1c,stroke-width:3px,stroke-dasharray:6 3,color:#450a0a",
        "red dashed border: orphaned initiative (serves no goal)",
    ),
    (
        "dropped",
        "fill:#f3f4f6,stroke:#9ca3af,color:#6b7280,stroke-dasharray:2 2",
        "grey: dropped initiative (its links are dotted)",
    ),
]


def plan_to_mermaid(plan: Plan) -> str:
    """The whole plan as one Mermaid flowchart (the ``.mmd`` file), ending with a newline."""
    return "\n".join(flowchart(facts_of(plan))) + "\n"


def indicator_figures(node: Node, metric: Metric | None = None) -> str:
    """'now 48.5% / target 40%' style figures of an indicator ('' when it has none).

    ``metric``: its values as meant (a formula's computed value, a target lent by an aim).
    """
    current = node.current if metric is None else metric.current
    target = node.target if metric is None else metric.target
    parts = []
    if current is not None:
        # A computed value has float noise (0.731155...): shown as people read it.
        shown = float(format_value(current)) if metric is not None and metric.computed else current
        parts.append(f"now {with_unit(shown, node.unit)}")
    if target is not None:
        parts.append(f"target {with_unit(target, node.unit)}")
    return " / ".join(parts)


def _label(node: Node, hidden: int, metric: Metric | None = None) -> str:
    lines = [node.title]
    if node.kind is Kind.INDICATOR and (figures := indicator_figures(node, metric)):
        lines.append(figures)
    elif node.kind is Kind.INITIATIVE:
        lines.append(str(node.status))
    if hidden:
        lines.append(f"+{hidden} not drawn")
    return "<br/>".join(mermaid_label(line) for line in lines)


def _markers(facts: MapFacts, node: Node, shared: frozenset[str]) -> list[str]:
    marks = []
    if node.id in shared:
        marks.append("shared")
    if facts.is_unmeasured(node):
        marks.append("unmeasured")
    if facts.is_vanity(node):
        marks.append("vanity")
    if facts.is_orphan(node):
        marks.append("orphan")
    if node.status is Status.DROPPED:
        marks.append("dropped")
    return marks


def flowchart(
    facts: MapFacts,
    node_ids: Iterable[str] | None = None,
    shared: frozenset[str] = frozenset(),
    hidden: Mapping[str, int] | None = None,
) -> list[str]:
    """The lines of one flowchart over ``node_ids`` (default: the whole plan), in plan order.

    Only links between drawn nodes are drawn; ``shared`` nodes get the "shared" marker and
    ``hidden`` says how many supporters of a drawn node are left out of this drawing.
    """
    hidden = hidden or {}
    plan = facts.plan
    if node_ids is None:
        nodes = plan.nodes()
    else:
        nodes = [plan.node(node_id) for node_id in facts.in_plan_order(node_ids)]
    drawn = {node.id for node in nodes}
    ids = facts.ids
    lines = ["flowchart BT"]
    classes: dict[str, list[str]] = {}
    for node in nodes:
        start, end, _shape = KIND_SHAPES[node.kind]
        lines.append(
            f"  {ids[node.id]}{start}{_label(node, hidden.get(node.id, 0), facts.metrics.get(node.id))}{end}"
        )
        classes.setdefault(str(node.kind), []).append(ids[node.id])
        for mark in _markers(facts, node, shared):
            classes.setdefault(mark, []).append(ids[node.id])
    for node in nodes:
        arrow = "-.->" if node.status is Status.DROPPED else "-->"
        for link in plan.parents(node.id):
            if link.parent not in drawn:
                continue
            label = link_label(link.effect, link.confidence, plan.node(link.parent).unit)
            middle = f'{arrow}|"{mermaid_label(label)}"|' if label else arrow
            lines.append(f"  {ids[node.id]} {middle} {ids[link.parent]}")
    styles = [(str(kind), style) for kind, style in _KIND_STYLES.items()]
    styles += [(name, style) for name, style, _legend in MARKERS]
    for name, style in styles:
        if name in classes:
            lines.append(f"  classDef {name} {style}")
    for name, _style in styles:
        if name in classes:
            lines.append(f"  class {','.join(classes[name])} {name}")
    return lines
