"""The alignment map as a Graphviz DOT digraph (``--format dot``): ``dot -Tsvg map.dot``.

Same picture as the Mermaid map: goals at the top (rankdir=BT, links point at what they
support), one shape per kind, orphans and vanity metrics in red and pink dashed outlines.
Node ids are generated (n1, n2... in plan order); every label is a quoted, escaped string.

>>> from alignment.core.model import Kind, Node
>>> plan = Plan('Demo "plan"')
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = plan.add(Node(id="ship", kind=Kind.INITIATIVE, title="Ship it"), supports=["grow"])
>>> print(plan_to_dot(plan))  # doctest: +ELLIPSIS
digraph alignment {
  graph [label="Demo \\"plan\\"", labelloc=t, rankdir=BT, fontname="Helvetica", ...];
  ...
  n1 [label="Grow", shape="hexagon", ...];
  n2 [label="Ship it\\ncandidate", shape="box", ...];
  n2 -> n1;
}
<BLANKLINE>
"""

from __future__ import annotations

from alignment.core.model import Kind, Node, Status
from alignment.core.plan import Plan
from alignment.formats.escape import dot_string
from alignment.formats.map_facts import MapFacts, facts_of, link_label
from alignment.formats.mermaid import indicator_figures

__all__ = ["plan_to_dot"]

_KIND_ATTRS: dict[Kind, dict[str, str]] = {
    Kind.GOAL: {
        "shape": "hexagon",
        "style": "filled,bold",
        "fillcolor": "#dbeafe",
        "color": "#1e40af",
    },
    Kind.STRATEGY: {
        "shape": "box",
        "style": "filled,rounded",
        "fillcolor": "#e0e7ff",
        "color": "#4338ca",
    },
    Kind.INDICATOR: {
        "shape": "parallelogram",
        "style": "filled",
        "fillcolor": "#dcfce7",
        "color": "#15803d",
    },
    Kind.INITIATIVE: {
        "shape": "box",
        "style": "filled",
        "fillcolor": "#fef9c3",
        "color": "#a16207",
    },
}

# Overrides for marked nodes (the same markers as the Mermaid map).
_DROPPED = {
    "style": "filled,dotted",
    "fillcolor": "#f3f4f6",
    "color": "#9ca3af",
    "fontcolor": "#6b7280",
}
_ORPHAN = {"style": "filled,dashed", "fillcolor": "#fee2e2", "color": "#b91c1c", "penwidth": "3"}
_VANITY = {"style": "filled,dashed", "fillcolor": "#fce7f3", "color": "#be185d", "penwidth": "3"}
_UNMEASURED = {"style": "filled,dashed", "color": "#c2410c", "penwidth": "2"}


def _attrs(facts: MapFacts, node: Node) -> str:
    attrs = {"label": _label(node, facts), **_KIND_ATTRS[node.kind]}
    if node.status is Status.DROPPED:
        attrs.update(_DROPPED)
    elif facts.is_orphan(node):
        attrs.update(_ORPHAN)
    elif facts.is_vanity(node):
        attrs.update(_VANITY)
    elif facts.is_unmeasured(node):
        attrs.update(_UNMEASURED)
    attrs["tooltip"] = node.id
    return ", ".join(f"{name}={_value(value)}" for name, value in attrs.items())


def _value(value: str) -> str:
    # Numbers go bare; every other value is quoted, since a bare word may be a DOT keyword.
    return value if value.isascii() and value.isdigit() else dot_string(value)


def _label(node: Node, facts: MapFacts) -> str:
    lines = [node.title]
    if node.kind is Kind.INDICATOR and (
        figures := indicator_figures(node, facts.metrics.get(node.id))
    ):
        lines.append(figures)
    elif node.kind is Kind.INITIATIVE:
        lines.append(str(node.status))
    return "\n".join(lines)


def plan_to_dot(plan: Plan) -> str:
    """The whole plan as one DOT digraph, ending with a newline. Same plan, same bytes."""
    facts = facts_of(plan)
    ids = facts.ids
    lines = [
        "digraph alignment {",
        f"  graph [label={dot_string(plan.name)}, labelloc=t, rankdir=BT, "
        'fontname="Helvetica", nodesep=0.3, ranksep=0.6];',
        '  node [fontname="Helvetica", fontsize=11, margin="0.15,0.06"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#6b7280"];',
    ]
    for node in plan.nodes():
        lines.append(f"  {ids[node.id]} [{_attrs(facts, node)}];")
    for node in plan.nodes():
        for link in plan.parents(node.id):
            parent = plan.node(link.parent)
            label = link_label(link.effect, link.confidence, parent.unit)
            attrs = [f"label={dot_string(label)}"] if label else []
            if node.status is Status.DROPPED:
                attrs.append("style=dashed")
            suffix = f" [{', '.join(attrs)}]" if attrs else ""
            lines.append(f"  {ids[node.id]} -> {ids[link.parent]}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
