"""Layered synthetic plans for benchmarks: ``generate_plan(n, seed=0) -> Plan``.

Shape of an N-node plan (deterministic for a seed):

- goals (~1%) <- strategies (~4%, 1-2 goals each) <- indicators (~30%: top-level KPIs on
  strategies, the rest sub-indicators of earlier indicators, a KPI tree) <- initiatives (~65%,
  1-3 indicators each, some straight to a strategy, some also to another initiative);
- about 1.9 links per node, with local fan-in (an initiative mostly serves indicators of one
  area) and a long tail of popular indicators;
- a few flaws on purpose: vanity metrics (indicators supporting nothing), orphan initiatives
  (supporting nothing, or only a vanity metric), unmeasured initiatives, indicators without a
  target, dropped initiatives;
- owners, effort, units, baselines/targets/current values, due dates, check-in histories and
  link effects/confidences on a share of the nodes.

As a script it writes a plan file::

    python benchmarks/generate.py 10000 -o /tmp/plan-10k.yaml
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from alignment.core.model import CheckIn, Direction, Kind, Link, Node, Status
from alignment.core.plan import Plan

__all__ = ["generate_plan", "main"]

_TEAMS = (
    "Exec", "Product", "Marketing", "Finance", "Growth", "Platform", "Data", "Sales",
    "Support", "Engineering", "Design", "Security", "Mobile", "Payments", "Search",
)  # fmt: skip
_VERBS = (
    "Reduce", "Increase", "Improve", "Cut", "Grow", "Raise", "Lower", "Speed up", "Simplify",
    "Automate", "Expand", "Stabilise",
)  # fmt: skip
_THINGS = (
    "churn", "activation", "conversion", "retention", "onboarding", "checkout", "signup",
    "page speed", "search relevance", "support tickets", "refunds", "trial starts",
    "weekly active users", "NPS", "ARPU", "CAC", "LTV", "payment failures", "bounce rate",
    "time to first value", "referrals", "upsell", "renewals", "latency", "crash rate",
)  # fmt: skip
_WORK = (
    "Rework", "Launch", "Rebuild", "Experiment with", "Migrate", "Instrument", "Redesign",
    "Prototype", "Add", "Remove", "Localise", "A/B test",
)  # fmt: skip
_OBJECTS = (
    "the entry pages", "the pricing page", "email nurture", "the mobile app", "in-app tips",
    "the billing service", "search ranking", "the help centre", "referral rewards",
    "the onboarding checklist", "annual plans", "the recommendation engine", "dark mode",
    "the data pipeline", "SSO for teams", "the status page", "push notifications",
)  # fmt: skip
_UNITS = ("%", "USD", "ms", "users", "tickets/week", "points", "hours")
_STATUSES = (Status.CANDIDATE, Status.PLANNED, Status.ACTIVE, Status.DONE)
_START = date(2026, 1, 5)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def _sizes(n: int) -> tuple[int, int, int, int]:
    goals = max(1, round(n * 0.01))
    strategies = max(1, round(n * 0.04))
    indicators = max(1, round(n * 0.30))
    initiatives = max(0, n - goals - strategies - indicators)
    return goals, strategies, indicators, initiatives


def _window(rng: random.Random, pool: list[str], centre: float, width: int) -> str:
    """A pool member near ``centre`` (a 0..1 fraction): links cluster by area, as in real plans."""
    size = len(pool)
    index = int(centre * size) + rng.randint(-width, width)
    return pool[min(size - 1, max(0, index))]


def generate_plan(n: int, seed: int = 0) -> Plan:
    """A valid layered plan of exactly ``n`` nodes (n >= 4), the same for the same seed."""
    if n < 4:
        raise ValueError("a generated plan needs at least 4 nodes (one of each kind)")
    rng = random.Random(seed)
    n_goals, n_strategies, n_indicators, n_initiatives = _sizes(n)
    if n_initiatives == 0:
        n_indicators -= 1
        n_initiatives = 1
    nodes: list[Node] = []
    links: list[Link] = []

    def owner() -> str | None:
        return None if rng.random() < 0.1 else rng.choice(_TEAMS)

    def pick_parents(count: int, pool: list[str], centre: float, width: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(count * 3):
            if len(chosen) == count:
                break
            candidate = (
                rng.choice(pool) if rng.random() < 0.15 else _window(rng, pool, centre, width)
            )
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    # Goals: the top. A few goals support another goal (a goal tree).
    goal_ids: list[str] = []
    for i in range(n_goals):
        title = f"{rng.choice(_VERBS)} {rng.choice(_THINGS)} company-wide ({i + 1})"
        node_id = f"goal-{i + 1}"
        nodes.append(
            Node(id=node_id, kind=Kind.GOAL, title=title, owner="Exec" if i % 2 else owner())
        )
        if goal_ids and rng.random() < 0.1:
            links.append(Link(node_id, rng.choice(goal_ids)))
        goal_ids.append(node_id)

    # Strategies: one or two goals each; the last few serve nothing measured (gaps).
    strategy_ids: list[str] = []
    for i in range(n_strategies):
        thing = rng.choice(_THINGS)
        title = f"{rng.choice(_VERBS)} {thing} by {rng.choice((10, 15, 20, 25, 30))}%"
        node_id = f"s-{_slug(thing)}-{i + 1}"
        nodes.append(Node(id=node_id, kind=Kind.STRATEGY, title=title, owner=owner()))
        centre = i / n_strategies
        count = 1 if rng.random() < 0.6 else 2
        links.extend(Link(node_id, p) for p in pick_parents(count, goal_ids, centre, 2))
        strategy_ids.append(node_id)

    # Indicators: the first ~20% serve strategies; the rest are sub-indicators (KPI tree) of an
    # earlier indicator, sometimes also of a strategy. About 1.5% are vanity metrics.
    indicator_ids: list[str] = []
    live_indicator_ids: list[str] = []  # those with a path up (vanity ones excluded)
    vanity_ids: list[str] = []
    top_level = max(1, n_indicators // 5)
    for i in range(n_indicators):
        thing = rng.choice(_THINGS)
        node_id = f"m-{_slug(thing)}-{i + 1}"
        unit = rng.choice(_UNITS)
        direction = rng.choice((Direction.UP, Direction.DOWN))
        baseline = round(rng.uniform(5, 500), rng.choice((0, 1, 2)))
        has_target = rng.random() > 0.08  # some miss a target (missing-target)
        change = rng.uniform(0.05, 0.3) * (1 if direction is Direction.UP else -1)
        target = round(baseline * (1 + change), 2) if has_target else None
        history: tuple[CheckIn, ...] = ()
        current = None
        if rng.random() < 0.25:
            day = _START + timedelta(weeks=rng.randint(0, 10))
            values = []
            value = baseline
            for _ in range(rng.randint(2, 6)):
                value = round(value * (1 + rng.uniform(-0.03, 0.05)), 2)
                values.append(CheckIn(day, value))
                day += timedelta(weeks=rng.choice((1, 2, 4)))
            history = tuple(values)
            current = values[-1].value
        due = _START + timedelta(days=rng.randint(90, 720)) if rng.random() < 0.6 else None
        title = f"{thing[0].upper()}{thing[1:]} in {unit} ({i + 1})"
        nodes.append(
            Node(
                id=node_id,
                kind=Kind.INDICATOR,
                title=title,
                description=f"Measured weekly from the {thing} dashboard." if i % 7 == 0 else None,
                owner=owner(),
                unit=unit,
                direction=direction,
                baseline=baseline,
                target=target,
                current=current,
                due=due,
                history=history,
            )
        )
        indicator_ids.append(node_id)
        if i >= top_level and rng.random() < 0.015:
            vanity_ids.append(node_id)  # supports nothing: a vanity metric
            continue
        centre = i / top_level if i < top_level else i / n_indicators
        if i < top_level or not live_indicator_ids:
            count = 1 if rng.random() < 0.5 else 2
            parents = pick_parents(count, strategy_ids, centre, 3)
        else:
            count = 1 if rng.random() < 0.3 else 2
            parents = pick_parents(count, live_indicator_ids, centre, 40)
            if rng.random() < 0.1:
                parents.append(rng.choice(strategy_ids))
        links.extend(Link(node_id, p) for p in parents)
        live_indicator_ids.append(node_id)

    # Initiatives: mostly 1-3 indicators; some straight to a strategy (unmeasured), a few on
    # nothing or only on a vanity metric (orphans), some also on another initiative.
    initiative_ids: list[str] = []
    for i in range(n_initiatives):
        obj = rng.choice(_OBJECTS)
        node_id = f"i-{_slug(obj.removeprefix('the '))}-{i + 1}"
        status = Status.DROPPED if rng.random() < 0.03 else rng.choice(_STATUSES)
        effort = rng.choice((None, 0.5, 1, 2, 3, 5, 8, 13, 2.5))
        nodes.append(
            Node(
                id=node_id,
                kind=Kind.INITIATIVE,
                title=f"{rng.choice(_WORK)} {obj} (#{i + 1})",
                owner=owner(),
                status=status,
                effort=effort,
            )
        )
        roll = rng.random()
        centre = i / n_initiatives
        if roll < 0.01:
            parents: list[str | Link] = []  # supports nothing
        elif roll < 0.02 and vanity_ids:
            parents = [rng.choice(vanity_ids)]  # only moves a vanity metric
        elif roll < 0.06:
            parents = [_window(rng, strategy_ids, centre, 3)]  # unmeasured
        else:
            count = rng.choices((1, 2, 3), weights=(25, 40, 35))[0]
            parents = list(pick_parents(count, live_indicator_ids, centre, 60))
            if rng.random() < 0.2 and len(parents) > 1:
                effect = round(rng.uniform(-5, 5), 1) or 1.0
                confidence = rng.choice((0.3, 0.5, 0.7, 0.9))
                parents[0] = Link(node_id, parents[0], effect, confidence)
        if initiative_ids and rng.random() < 0.05:
            parents.append(rng.choice(initiative_ids[-50:]))  # enables an earlier initiative
        for parent in parents:
            links.append(parent if isinstance(parent, Link) else Link(node_id, parent))
        initiative_ids.append(node_id)

    name = f"Synthetic plan ({n} nodes, seed {seed})"
    description = "Generated by benchmarks/generate.py: layered goals, strategies, KPIs, work."
    return Plan.build(name, description, nodes, links)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic plan file of N nodes.")
    parser.add_argument("n", type=int, help="number of nodes (at least 4)")
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from alignment.formats.plan_file import write_plan

    text = write_plan(generate_plan(args.n, args.seed))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
