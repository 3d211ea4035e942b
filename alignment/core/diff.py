"""Two versions of a plan: what changed, and what that does to alignment.

Pure: two ``Plan`` values in, one ``PlanDiff`` out. Nodes are compared field by field over
the dataclass fields of ``Node`` (and links over those of ``Link``), so a field added to the
model is compared without a change here.

>>> from alignment.core.model import Kind, Node
>>> old = Plan("Demo")
>>> _ = old.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = old.add(Node(id="ship", kind=Kind.INITIATIVE, title="Ship it"), supports=["grow"])
>>> new = Plan("Demo")
>>> _ = new.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = new.add(Node(id="ship", kind=Kind.INITIATIVE, title="Ship it"))
>>> change = diff_plans(old, new)
>>> [link.key for link in change.links_removed], change.alignment_lost
([('ship', 'grow')], ('ship',))
>>> [(f.rule, f.node) for f in change.findings_new]
[('orphan-initiative', 'ship')]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from alignment.core.analysis import (
    Coverage,
    Finding,
    Severity,
    alignment_of,
    coverage,
    findings,
)
from alignment.core.forecast import Forecast, StrategyForecast, forecast
from alignment.core.model import Link, Node
from alignment.core.plan import Plan
from alignment.core.values import metric_values

__all__ = [
    "LinkChange",
    "NodeChange",
    "PlanDiff",
    "StrategyChange",
    "diff_plans",
    "link_fields",
    "node_fields",
]

# What identifies a node or a link is not one of its changes.
_NODE_KEY = frozenset({"id"})
_LINK_KEY = frozenset({"child", "parent"})


def node_fields() -> tuple[str, ...]:
    """The names of the Node fields a diff compares (every field that takes part in equality)."""
    return tuple(f.name for f in dataclasses.fields(Node) if f.compare and f.name not in _NODE_KEY)


def link_fields() -> tuple[str, ...]:
    """The names of the Link fields a diff compares (effect, confidence, ...; not its place)."""
    return tuple(f.name for f in dataclasses.fields(Link) if f.compare and f.name not in _LINK_KEY)


@dataclass(frozen=True, slots=True)
class NodeChange:
    """A node in both versions whose ``fields`` differ."""

    before: Node
    after: Node
    fields: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.after.id


@dataclass(frozen=True, slots=True)
class LinkChange:
    """A link in both versions whose ``fields`` (effect, confidence, ...) differ."""

    before: Link
    after: Link
    fields: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.after.key


@dataclass(frozen=True, slots=True)
class StrategyChange:
    """A strategy whose forecast (its measure's expected value against its aim) moved.

    ``before``/``after`` is None where the strategy has no measure (or does not exist)."""

    id: str
    before: StrategyForecast | None
    after: StrategyForecast | None


def _figures(forecast: StrategyForecast | None) -> tuple[float | None, ...]:
    if forecast is None:
        return (None, None, None)
    return (forecast.aim, forecast.expected, forecast.short_by)


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """What changed from ``old`` to ``new``; every sequence is in plan order.

    Removed nodes and links, resolved findings and ``coverage_before`` come from ``old``;
    the rest from ``new``. ``alignment_lost``/``alignment_gained`` only name nodes present in
    both versions and live in the new one (a dropped initiative is not "lost", it was dropped).
    """

    old: Plan
    new: Plan
    plan_fields: tuple[str, ...]  # "name", "description"
    nodes_added: tuple[str, ...]
    nodes_removed: tuple[str, ...]
    nodes_changed: tuple[NodeChange, ...]
    links_added: tuple[Link, ...]
    links_removed: tuple[Link, ...]
    links_changed: tuple[LinkChange, ...]
    findings_new: tuple[Finding, ...]
    findings_resolved: tuple[Finding, ...]
    alignment_lost: tuple[str, ...]
    alignment_gained: tuple[str, ...]
    coverage_before: Coverage
    coverage_after: Coverage
    # Committed work's forecast of each strategy, where it moved (strategies in plan order).
    strategies: tuple[StrategyChange, ...] = ()

    @property
    def new_errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings_new if f.severity is Severity.ERROR)

    @property
    def is_empty(self) -> bool:
        """No change to the plan at all (findings follow from the plan, so they cannot differ)."""
        return not (
            self.plan_fields
            or self.nodes_added
            or self.nodes_removed
            or self.nodes_changed
            or self.links_added
            or self.links_removed
            or self.links_changed
        )

    def node(self, node_id: str) -> Node:
        """The node as it is in the new version, else as it was in the old one."""
        return self.new.node(node_id) if node_id in self.new else self.old.node(node_id)


def diff_plans(old: Plan, new: Plan, as_of: date | None = None) -> PlanDiff:
    """Compare two versions of a plan; both are judged as of the same date (default today)."""
    plan_fields = tuple(
        name
        for name, before, after in (
            ("name", old.name, new.name),
            ("description", old.description, new.description),
        )
        if before != after
    )
    names = node_fields()
    changed: list[NodeChange] = []
    for node in new.nodes():
        if node.id in old:
            before = old.node(node.id)
            if before != node:
                fields = tuple(n for n in names if getattr(before, n) != getattr(node, n))
                changed.append(NodeChange(before, node, fields))
    old_links, new_links = _links(old), _links(new)
    link_names = link_fields()
    links_changed = []
    for key, link in new_links.items():
        before_link = old_links.get(key)
        if before_link is not None and before_link != link:
            fields = tuple(n for n in link_names if getattr(before_link, n) != getattr(link, n))
            links_changed.append(LinkChange(before_link, link, fields))

    old_alignment, new_alignment = alignment_of(old), alignment_of(new)
    # The metric values feed both the findings and the forecast: computed once per version.
    old_metrics, new_metrics = metric_values(old, as_of), metric_values(new, as_of)
    old_findings = findings(old, old_alignment, as_of, old_metrics)
    new_findings = findings(new, new_alignment, as_of, new_metrics)
    old_keys = {(f.rule, f.node) for f in old_findings}
    new_keys = {(f.rule, f.node) for f in new_findings}
    in_both = [n for n in new.nodes() if n.id in old and n.is_live]
    return PlanDiff(
        old=old,
        new=new,
        plan_fields=plan_fields,
        nodes_added=tuple(n.id for n in new.nodes() if n.id not in old),
        nodes_removed=tuple(n.id for n in old.nodes() if n.id not in new),
        nodes_changed=tuple(changed),
        links_added=tuple(link for key, link in new_links.items() if key not in old_links),
        links_removed=tuple(link for key, link in old_links.items() if key not in new_links),
        links_changed=tuple(links_changed),
        findings_new=tuple(f for f in new_findings if (f.rule, f.node) not in old_keys),
        findings_resolved=tuple(f for f in old_findings if (f.rule, f.node) not in new_keys),
        alignment_lost=tuple(
            n.id
            for n in in_both
            if n.id in old_alignment.aligned and n.id not in new_alignment.aligned
        ),
        alignment_gained=tuple(
            n.id
            for n in in_both
            if n.id not in old_alignment.aligned and n.id in new_alignment.aligned
        ),
        coverage_before=coverage(old, old_alignment),
        coverage_after=coverage(new, new_alignment),
        strategies=_strategy_changes(
            forecast(old, metrics=old_metrics, as_of=as_of),
            forecast(new, metrics=new_metrics, as_of=as_of),
            old,
            new,
        ),
    )


def _strategy_changes(
    old_forecast: Forecast, new_forecast: Forecast, old: Plan, new: Plan
) -> tuple[StrategyChange, ...]:
    before = {s.id: s for s in old_forecast.strategies}
    after = {s.id: s for s in new_forecast.strategies}
    ids = [n.id for n in new.nodes() if n.id in after or n.id in before]
    ids += [n.id for n in old.nodes() if n.id in before and n.id not in new]
    return tuple(
        StrategyChange(i, before.get(i), after.get(i))
        for i in ids
        if _figures(before.get(i)) != _figures(after.get(i))
    )


def _links(plan: Plan) -> dict[tuple[str, str], Link]:
    """The plan's links in plan order: by child, then in the order of its ``supports`` list."""
    # What ``Plan.parents`` reads, without a check, a view and a list per node (as analysis does).
    succ = plan.graph._succ
    return {
        (node.id, parent): data["link"]
        for node in plan.nodes()
        for parent, data in succ[node.id].items()
    }
