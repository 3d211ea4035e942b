"""Which work is worth doing: initiatives ranked by the share of the gaps they close per unit of
effort, and the work the alignment would cancel (docs/PLAN_FORMAT.md, "Ranking").

- **Gap** of an indicator: target - start (start = current, else baseline), counted only when
  both are known and the target is still ahead in the indicator's direction.
- **Share** of an initiative: over the indicators with an open gap, the change it causes *alone*
  (its effect x confidence, carried up the tree as in the forecast) divided by the gap, each term
  capped to [-1, 1] (a move the wrong way counts against it), summed with equal weight.
- **Score**: share / effort. Initiatives without an effort are ranked apart, by share.
- Ranked: live initiatives not yet done (candidate, planned, active).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from alignment.core.analysis import Alignment, alignment_of, is_mandatory
from alignment.core.forecast import ForecastModel
from alignment.core.model import Kind, Node, Status
from alignment.core.values import is_better

if TYPE_CHECKING:
    from alignment.core.plan import Plan

__all__ = ["CancelCandidate", "Ranked", "cancel_candidates", "gaps", "rank"]

OPEN = frozenset({Status.CANDIDATE, Status.PLANNED, Status.ACTIVE})


@dataclass(frozen=True, slots=True)
class Ranked:
    id: str
    effort: float | None
    share: float  # sum over the open gaps of the share it closes alone (1 = one whole gap)
    closes: tuple[tuple[str, float], ...]  # (indicator, share of its gap), largest first

    @property
    def score(self) -> float | None:
        """Share of the gaps per unit of effort; None without an effort."""
        return None if not self.effort else self.share / self.effort


def gaps(model: ForecastModel) -> dict[str, float]:
    """``{indicator: target - start}`` for every indicator whose target is still ahead."""
    found: dict[str, float] = {}
    for node_id in model.indicator_ids:
        start, target = model.start[node_id], model.targets[node_id]
        if start is None or target is None or target == start:
            continue
        direction = model.directions[node_id]
        if direction is not None and not is_better(target, start, direction):
            continue
        found[node_id] = target - start
    return found


def _closes(
    model: ForecastModel, initiative: str, open_gaps: dict[str, float]
) -> list[tuple[str, float]]:
    shares = []
    for node_id, change in model.change_alone(initiative).items():
        gap = open_gaps.get(node_id)
        if gap:
            shares.append((node_id, max(-1.0, min(1.0, change / gap))))
    shares.sort(key=lambda item: -abs(item[1]))
    return shares


def rank(plan: Plan, model: ForecastModel | None = None) -> list[Ranked]:
    """Live initiatives not done: with an effort by score (best first), then those without
    an effort by share; ties in plan order."""
    model = model or ForecastModel(plan)
    open_gaps = gaps(model)
    ranked = []
    for node in plan.nodes(Kind.INITIATIVE):
        if node.status not in OPEN:
            continue
        closes = _closes(model, node.id, open_gaps)
        share = sum(value for _node, value in closes)
        effort = None if node.effort is None else float(node.effort)
        ranked.append(Ranked(node.id, effort, share + 0.0, tuple(closes)))
    with_effort = [r for r in ranked if r.score is not None]
    without = [r for r in ranked if r.score is None]
    with_effort.sort(key=lambda r: -(r.score or 0.0))  # sort is stable: ties keep plan order
    without.sort(key=lambda r: -r.share)
    return with_effort + without


@dataclass(frozen=True, slots=True)
class CancelCandidate:
    node: Node
    reason: str  # unaligned | unmeasured | nil


CANCEL_REASONS = {
    "unaligned": "Unaligned work: serves no goal",
    "unmeasured": "Unmeasured work: reaches a goal through no indicator",
    "nil": "Work whose expected contribution is nil: no effect reaches an indicator with a target",
}


def cancel_candidates(
    plan: Plan, alignment: Alignment | None = None, model: ForecastModel | None = None
) -> list[CancelCandidate]:
    """Live work not done that the alignment would cancel, in plan order; mandatory work never,
    nor an enabler (an initiative other live work stands on)."""
    alignment = alignment or alignment_of(plan)
    model = model or ForecastModel(plan)
    targeted = {i for i in model.indicator_ids if model.targets[i] is not None}
    found = []
    for node in plan.nodes(Kind.INITIATIVE):
        if node.status not in OPEN or is_mandatory(node):
            continue
        if node.id not in alignment.aligned:
            reason = "unaligned"
        elif node.id not in alignment.measured:
            reason = "unmeasured"
        elif not targeted.intersection(model.change_alone(node.id)) and not _enables(plan, node):
            reason = "nil"
        else:
            continue
        found.append(CancelCandidate(node, reason))
    return found


def _enables(plan: Plan, node: Node) -> bool:
    """Whether ``node`` is an enabler: it supports live work not yet done."""
    return any(
        (parent := plan.node(link.parent)).kind is Kind.INITIATIVE and parent.status in OPEN
        for link in plan.parents(node.id)
    )
