"""What every alignment-map export needs to know about a plan, computed once per export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from alignment.core.analysis import (
    Alignment,
    Finding,
    alignment_of,
    findings,
    indicator_statuses,
)
from alignment.core.model import Node, Number
from alignment.core.plan import Plan
from alignment.core.rollup import goals_served
from alignment.core.values import Metrics, metric_values

__all__ = ["MapFacts", "facts_of", "format_number", "link_label", "with_unit"]


@dataclass(frozen=True, slots=True)
class MapFacts:
    plan: Plan
    alignment: Alignment
    findings: list[Finding]
    rules: dict[str, frozenset[str]]  # node id -> the rules that fired on it
    ids: dict[str, str]  # node id -> diagram id (n1, n2... in plan order), never a title
    served: dict[str, tuple[str, ...]]  # node id -> the goals it serves, in plan order
    order: dict[str, int]  # node id -> index in plan order
    outline_key: dict[str, tuple[int, int]]  # node id -> (kind rank, plan order)
    metrics: Metrics  # values as meant: computed formulas, targets lent by aims
    statuses: dict[str, str]  # indicator id -> on track | behind | overdue | stale | wrong way

    def fired(self, node_id: str, rule: str) -> bool:
        return rule in self.rules.get(node_id, ())

    def is_orphan(self, node: Node) -> bool:
        return self.fired(node.id, "orphan-initiative")

    def is_vanity(self, node: Node) -> bool:
        return self.fired(node.id, "orphan-indicator")

    def is_unmeasured(self, node: Node) -> bool:
        return self.fired(node.id, "unmeasured-initiative")

    def in_plan_order(self, node_ids: Iterable[str]) -> list[str]:
        return sorted(node_ids, key=self.order.__getitem__)

    def children_in_order(self, node_id: str) -> list[str]:
        """What supports ``node_id``: nearer kinds first (strategies before initiatives), then
        plan order, so an outline reads from the top of the plan down."""
        return sorted(self.plan.down[node_id], key=self.outline_key.__getitem__)


def facts_of(plan: Plan, as_of: date | None = None) -> MapFacts:
    """What the map shows; ``as_of`` dates the time rules (overdue, behind schedule...)."""
    alignment = alignment_of(plan)
    metrics = metric_values(plan, as_of)
    found = findings(plan, alignment, as_of, metrics)
    rules: dict[str, set[str]] = {}
    for finding in found:
        rules.setdefault(finding.node, set()).add(finding.rule)
    nodes = plan.nodes()
    return MapFacts(
        plan=plan,
        alignment=alignment,
        findings=found,
        rules={node_id: frozenset(names) for node_id, names in rules.items()},
        ids={node.id: f"n{index}" for index, node in enumerate(nodes, start=1)},
        served=goals_served(plan),
        order={node.id: index for index, node in enumerate(nodes)},
        outline_key={node.id: (node.kind.rank, index) for index, node in enumerate(nodes)},
        metrics=metrics,
        statuses=indicator_statuses(found, metrics),
    )


def format_number(value: Number) -> str:
    """A number as people write it: 40, 49.5, 0.3 (no float noise, no exponent below 1e15).

    >>> format_number(0.1 + 0.2), format_number(40), format_number(1234567890.5)
    ('0.3', '40', '1234567890.5')
    """
    if isinstance(value, int):
        return str(value)
    text = f"{value:.15g}"  # 15 digits: all a double holds exactly, none of its noise
    if "e" in text and abs(value) < 1e15:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text


def with_unit(value: Number, unit: str | None) -> str:
    """A number with its unit: '48.5%', '31 hours', '12' (no unit)."""
    if not unit:
        return format_number(value)
    return f"{format_number(value)}{'' if unit == '%' else ' '}{unit}"


def link_label(effect: Number | None, confidence: Number | None, unit: str | None) -> str:
    """The expected effect of a link as a short edge label, '' when the link carries none.

    >>> link_label(-6, 0.6, "%"), link_label(0.5, None, "sessions/week"), link_label(None, 0.4, None)
    ('-6% (conf. 0.6)', '+0.5 sessions/week', 'conf. 0.4')
    """
    parts = []
    if effect is not None:
        sign = "+" if effect > 0 else ""
        parts.append(sign + with_unit(effect, unit))
    if confidence is not None:
        conf = f"conf. {format_number(confidence)}"
        parts.append(f"({conf})" if parts else conf)
    return " ".join(parts)
