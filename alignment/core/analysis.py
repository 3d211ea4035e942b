"""What we conclude from a plan: findings, traces to goals, coverage and progress.

Functions take the plan first and return plain values. Links count as they mean
(PLAN_FORMAT.md): those a formula or a measure implies count like listed ones, and a path
through a dropped initiative is no path.

>>> from alignment.core.model import Node, Kind
>>> plan = Plan("Demo")
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = plan.add(Node(id="hunch", kind=Kind.INITIATIVE, title="A hunch"))
>>> [(f.rule, f.node) for f in findings(plan) if f.severity == "error"]
[('orphan-initiative', 'hunch')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from alignment.core.metric_rules import metric_findings
from alignment.core.model import Kind, Node, Status
from alignment.core.plan import Plan
from alignment.core.references import implied_links
from alignment.core.values import Metrics, metric_values, progress_between

__all__ = [
    "Alignment",
    "Coverage",
    "EffectiveLinks",
    "Finding",
    "METRIC_STATUSES",
    "RULES",
    "Severity",
    "alignment_of",
    "coverage",
    "effective_links",
    "findings",
    "indicator_statuses",
    "is_mandatory",
    "progress",
    "traces",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @property
    def heading(self) -> str:
        """Heading of a group of findings: Errors, Warnings, Info."""
        return "Info" if self is Severity.INFO else f"{self.value.capitalize()}s"


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

# Rule names and severities are a contract (issues 2 and 9); the order here is the report order.
RULES: dict[str, Severity] = {
    "orphan-initiative": Severity.ERROR,
    "target-contradicts-direction": Severity.ERROR,
    "unmeasured-initiative": Severity.WARNING,
    "orphan-indicator": Severity.WARNING,
    "strategy-without-indicator": Severity.WARNING,
    "goal-without-strategy": Severity.WARNING,
    "missing-target": Severity.WARNING,
    "overdue": Severity.WARNING,
    "behind-schedule": Severity.WARNING,
    "wrong-way": Severity.WARNING,
    "stale-metric": Severity.WARNING,
    "lagging-without-leading": Severity.WARNING,
    "several-north-stars": Severity.WARNING,
    "counter-effect": Severity.WARNING,
    "aim-mismatch": Severity.WARNING,
    "goal-not-forecast": Severity.WARNING,
    "strategy-short": Severity.WARNING,
    "unmoved-indicator": Severity.INFO,
    "mandatory-work": Severity.INFO,
}
_RULE_RANK = {rule: index for index, rule in enumerate(RULES)}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    node: str
    title: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "node": self.node,
            "title": self.title,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Alignment:
    """Which nodes reach a goal, and which initiatives do so through an indicator."""

    aligned: frozenset[str]  # nodes with a path to a goal (goals included)
    measured: frozenset[str]  # nodes with a path to a goal through an indicator
    moved: frozenset[str]  # nodes some live initiative supports, directly or not
    # The links it was computed over, for findings to reuse (not part of its value).
    links: EffectiveLinks | None = field(default=None, compare=False, repr=False)


Adjacency = Mapping[str, Iterable[str]]


@dataclass(frozen=True, slots=True)
class EffectiveLinks:
    """The links as they count: listed ones, plus those formulas and measures imply.

    A dropped initiative may be reached but passes nothing on (a path through it is no path).
    """

    succ: Adjacency  # node -> what it supports (listed)
    pred: Adjacency  # node -> what supports it (listed)
    implied_succ: Mapping[str, list[str]]
    implied_pred: Mapping[str, list[str]]
    dropped: frozenset[str]

    def parents(self, node_id: str) -> list[str]:
        """What ``node_id`` supports: listed in supports order, then implied."""
        return [*self.succ[node_id], *self.implied_succ.get(node_id, ())]

    def children(self, node_id: str) -> list[str]:
        """What supports ``node_id``, listed or implied."""
        return [*self.pred[node_id], *self.implied_pred.get(node_id, ())]

    def is_implied(self, child: str, parent: str) -> bool:
        return parent in self.implied_succ.get(child, ())

    def reach(self, sources: Iterable[str], upward: bool) -> set[str]:
        """Every node reachable from ``sources`` (included), up to parents or down to children."""
        adjacency, extra = (
            (self.succ, self.implied_succ) if upward else (self.pred, self.implied_pred)
        )
        blocked = self.dropped
        seen = set(sources)
        stack = list(seen)
        pop, push, add = stack.pop, stack.append, seen.add
        if not extra and not blocked:  # the common case, as fast as a plain walk
            while stack:
                for nxt in adjacency[pop()]:
                    if nxt not in seen:
                        add(nxt)
                        push(nxt)
            return seen
        while stack:
            node_id = pop()
            if node_id in blocked:
                continue
            for nxt in adjacency[node_id]:
                if nxt not in seen:
                    add(nxt)
                    push(nxt)
            more = extra.get(node_id)
            if more:
                for nxt in more:
                    if nxt not in seen:
                        add(nxt)
                        push(nxt)
        return seen


def effective_links(plan: Plan) -> EffectiveLinks:
    """The plan's links as alignment, traces and findings count them."""
    implied_succ: dict[str, list[str]] = {}
    implied_pred: dict[str, list[str]] = {}
    for link in implied_links(plan):
        implied_succ.setdefault(link.child, []).append(link.parent)
        implied_pred.setdefault(link.parent, []).append(link.child)
    dropped = frozenset(
        node.id for node in plan.nodes(Kind.INITIATIVE) if node.status is Status.DROPPED
    )
    return EffectiveLinks(plan.up, plan.down, implied_succ, implied_pred, dropped)


def alignment_of(plan: Plan, links: EffectiveLinks | None = None) -> Alignment:
    """One multi-source search per question, over the graph as it is (no copies)."""
    links = links or effective_links(plan)
    nodes = list(plan.node_map().values())
    goals = [node.id for node in nodes if node.kind is Kind.GOAL]
    aligned = links.reach(goals, upward=False)
    indicators = {node.id for node in nodes if node.kind is Kind.INDICATOR}
    measured = links.reach(indicators.intersection(aligned), upward=False)
    live_initiatives = [node.id for node in nodes if node.kind is Kind.INITIATIVE and node.is_live]
    moved = links.reach(live_initiatives, upward=True)
    moved.difference_update(live_initiatives)
    moved.difference_update(links.dropped)
    return Alignment(frozenset(aligned), frozenset(measured), frozenset(moved), links)


def is_mandatory(node: Node) -> bool:
    """Work done whatever the strategy (legal, security, upkeep): never a cancel candidate."""
    return bool(node.mandatory)


def _names(ids: list[str]) -> str:
    return ", ".join(ids)


def _dead_end(links: EffectiveLinks, node_id: str, verb: str) -> str:
    parents = links.parents(node_id)
    if not parents:
        return f"{verb} nothing"
    if len(parents) == 1:
        if parents[0] in links.dropped:
            return f"{verb} only {parents[0]}, which is dropped"
        return f"{verb} {parents[0]}, which reaches no goal"
    dropped = any(parent in links.dropped for parent in parents)
    tail = " (dropped work passes nothing on)" if dropped else ""
    return f"{verb} {_names(parents)}, none of which reaches a goal{tail}"


def findings(
    plan: Plan,
    alignment: Alignment | None = None,
    as_of: date | None = None,
    metrics: Metrics | None = None,
) -> list[Finding]:
    """All findings as of ``as_of`` (default today), ordered by severity, rule, plan order."""
    links = alignment.links if alignment and alignment.links else effective_links(plan)
    alignment = alignment or alignment_of(plan, links)
    as_of = as_of or date.today()
    metrics = metrics or metric_values(plan, as_of)
    result: list[Finding] = []

    def add(rule: str, node: Node, message: str) -> None:
        result.append(Finding(rule, RULES[rule], node.id, node.title, message))

    # Strategies and goals with an indicator (resp. a strategy) below them, directly or not.
    below_indicator = links.reach([n.id for n in plan.nodes(Kind.INDICATOR)], upward=True)
    below_strategy = links.reach([n.id for n in plan.nodes(Kind.STRATEGY)], upward=True)
    goal_order = {n.id: index for index, n in enumerate(plan.nodes(Kind.GOAL))}
    goals_memo: dict[str, frozenset[str]] = {}
    for node in plan.nodes():
        node_id = node.id
        if node.kind is Kind.INITIATIVE and node.is_live:
            if is_mandatory(node):
                if node_id not in alignment.aligned:
                    add(
                        "mandatory-work",
                        node,
                        f"serves no goal; done anyway: {node.mandatory}",
                    )
            elif node_id not in alignment.aligned:
                add("orphan-initiative", node, _dead_end(links, node_id, "supports"))
            elif node_id not in alignment.measured:
                goals = _reached_goals(links, node_id, goal_order, goals_memo)
                parents = links.parents(node_id)
                route = (
                    f"supports {_names(goals)} directly"
                    if parents == goals
                    else f"supports {_names(parents)}, reaching {_names(goals)}"
                )
                add(
                    "unmeasured-initiative",
                    node,
                    f"{route} through no indicator: how will we know it worked?",
                )
        elif node.kind is Kind.INDICATOR:
            if node_id not in alignment.aligned:
                add(
                    "orphan-indicator",
                    node,
                    "vanity metric: " + _dead_end(links, node_id, "supports"),
                )
            if metrics[node_id].target is None:
                add("missing-target", node, "no target: say what to aim for")
            if node_id not in alignment.moved:
                add("unmoved-indicator", node, "no live initiative moves it")
        elif node.kind is Kind.STRATEGY:
            if node_id not in below_indicator:
                add("strategy-without-indicator", node, "no indicator tells whether it is working")
        elif node.kind is Kind.GOAL and node_id not in below_strategy:
            add("goal-without-strategy", node, "no strategy serves it")
    for rule, node, message in metric_findings(plan, metrics, links, as_of):
        add(rule, node, message)
    order = {node.id: index for index, node in enumerate(plan.nodes())}
    result.sort(key=lambda f: (f.severity.rank, _RULE_RANK[f.rule], order[f.node]))
    return result


# A word per indicator for the Metrics view and the Markdown table, worst first.
METRIC_STATUSES: dict[str, str] = {
    "overdue": "overdue",
    "behind-schedule": "behind",
    "wrong-way": "wrong way",
    "stale-metric": "stale",
}


def indicator_statuses(found: Iterable[Finding], metrics: Metrics) -> dict[str, str]:
    """``{indicator id: overdue | behind | wrong way | stale | on track}``, from the findings
    of the time rules (the worst one wins); "on track" when its progress is known and none
    fired; an indicator with nothing to judge is left out.

    Use the same ``as_of`` for the findings and the metrics.
    """
    rank = {rule: index for index, rule in enumerate(METRIC_STATUSES)}
    worst: dict[str, str] = {}
    for finding in found:
        if finding.rule in rank and (
            finding.node not in worst or rank[finding.rule] < rank[worst[finding.node]]
        ):
            worst[finding.node] = finding.rule
    statuses = {node_id: METRIC_STATUSES[rule] for node_id, rule in worst.items()}
    for node_id, metric in metrics.by_id.items():
        if node_id not in statuses and metric.progress is not None:
            statuses[node_id] = "on track"
    return statuses


def _reached_goals(
    links: EffectiveLinks,
    node_id: str,
    goal_order: dict[str, int],
    memo: dict[str, frozenset[str]],
) -> list[str]:
    """The goals ``node_id`` reaches, in plan order (``goal_order``: goal id -> its rank).

    ``memo`` keeps each visited node's goals across calls: one walk of the plan in all, not
    one search per unmeasured initiative (2,500 of them in a 100k plan took 7 s).
    """
    stack: list[tuple[str, bool]] = [(node_id, False)]
    while stack:
        current, expanded = stack.pop()
        if current in memo:
            continue
        if current in links.dropped and current != node_id:
            memo[current] = frozenset()  # dropped work passes nothing on
        elif not expanded:
            stack.append((current, True))
            stack.extend((parent, False) for parent in links.parents(current))
        else:
            reached = {current} if current in goal_order else set()
            for parent in links.parents(current):
                reached |= memo[parent]
            memo[current] = frozenset(reached)
    return sorted(memo[node_id], key=goal_order.__getitem__)


def traces(
    plan: Plan, node_id: str, limit: int = 50, alignment: Alignment | None = None
) -> list[list[str]]:
    """Every path from ``node_id`` up to a goal (at most ``limit``), shortest first.

    A goal's trace is itself. An empty list means the node reaches no goal. Implied links
    (formula inputs, measures) are paths too; a dropped initiative can start a path but
    nothing passes through one. ``alignment``, when the caller has it, saves a search.
    """
    node = plan.node(node_id)
    links = effective_links(plan)
    aligned = (
        alignment.aligned
        if alignment is not None
        else links.reach([n.id for n in plan.nodes(Kind.GOAL)], upward=False)
    )
    if node_id not in aligned:
        return []
    paths: list[list[str]] = []
    queue: deque[list[str]] = deque([[node_id]])  # breadth first: shortest paths come first
    while queue and len(paths) < limit:
        path = queue.popleft()
        last = path[-1]
        if plan.node(last).kind is Kind.GOAL and (last != node_id or node.kind is Kind.GOAL):
            paths.append(path)
        if last in links.dropped and last != node_id:
            continue
        queue.extend(
            [*path, parent]
            for parent in links.parents(last)
            if parent in aligned and parent not in path
        )
    return paths


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the live, optional work reaches a goal; mandatory work is counted apart."""

    live_initiatives: int  # live initiatives that are not mandatory
    aligned: int
    measured: int
    mandatory: int = 0  # live mandatory initiatives
    mandatory_effort: float = 0  # their summed effort (where given)

    @property
    def aligned_pct(self) -> float | None:
        """Share of live initiatives that reach a goal; None when there are none to judge."""
        return _pct(self.aligned, self.live_initiatives)

    @property
    def measured_pct(self) -> float | None:
        return _pct(self.measured, self.live_initiatives)


def _pct(part: int, whole: int) -> float | None:
    # No live initiative: coverage cannot be computed, and 100% of nothing would mislead.
    return None if whole == 0 else round(100.0 * part / whole, 1)


def coverage(plan: Plan, alignment: Alignment | None = None) -> Coverage:
    alignment = alignment or alignment_of(plan)
    live = [n for n in plan.nodes(Kind.INITIATIVE) if n.status is not Status.DROPPED]
    optional = [n.id for n in live if not is_mandatory(n)]
    mandatory = [n for n in live if is_mandatory(n)]
    return Coverage(
        live_initiatives=len(optional),
        aligned=sum(1 for n in optional if n in alignment.aligned),
        measured=sum(1 for n in optional if n in alignment.measured),
        mandatory=len(mandatory),
        mandatory_effort=sum(n.effort or 0 for n in mandatory),
    )


def progress(node: Node) -> float | None:
    """How far ``current`` has come from ``baseline`` toward ``target``, from the node's own
    fields: negative when it went the wrong way, above 1 beyond the target; a held target
    (target = baseline) is 1 while current is not worse, else 0.

    For the values as meant (computed formulas, targets lent by a strategy's aim), use
    ``metric_values(plan)[node_id].progress``.

    >>> from alignment.core.model import Direction
    >>> progress(Node(id="b", kind=Kind.INDICATOR, title="Bounce", direction=Direction.DOWN,
    ...               baseline=52, target=40, current=49))
    0.25
    """
    return progress_between(
        baseline=node.baseline, target=node.target, current=node.current, direction=node.direction
    )
