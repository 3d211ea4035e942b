"""The forecast on hand-computed plans, the what-if toggles, ranking, cancel candidates and
calibration; and a property against a brute-force evaluation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment.core.analysis import alignment_of
from alignment.core.forecast import ForecastModel, WhatIf, calibration, forecast, scenario
from alignment.core.model import Kind, Link, Node
from alignment.core.plan import Plan
from alignment.core.ranking import cancel_candidates, rank


def node(kind: Kind, node_id: str, **fields) -> Node:
    return Node(id=node_id, kind=kind, title=node_id.upper(), **fields)


def build(*nodes: Node, links: tuple = ()) -> Plan:
    made = [link if isinstance(link, Link) else Link(*link) for link in links]
    return Plan.build("Forecast", None, nodes, made)


def expected(plan: Plan, work=None, **options) -> dict[str, float | None]:
    return {i.id: i.expected for i in forecast(plan, work, **options).indicators}


def tree() -> Plan:
    """leaf -> mid -> top (two levels of sensitivity), ratio = top / other (a formula)."""
    return build(
        node(Kind.GOAL, "g", condition="${top} >= 30"),
        node(Kind.STRATEGY, "s", measure="top", aim=40),
        node(Kind.INDICATOR, "ratio", formula="${top} / ${other}", direction="up"),
        node(Kind.INDICATOR, "top", direction="up", baseline=20, current=25, target=40),
        node(Kind.INDICATOR, "mid", direction="up", baseline=10, current=10, target=20),
        node(Kind.INDICATOR, "leaf", direction="down", baseline=50, target=30),
        node(Kind.INDICATOR, "other", direction="up", current=5),
        node(Kind.INDICATOR, "blind", direction="up", target=9),  # no value at all
        node(Kind.INITIATIVE, "a", status="planned", effort=2),
        node(Kind.INITIATIVE, "b", status="active", effort=4),
        node(Kind.INITIATIVE, "c", status="candidate"),
        node(Kind.INITIATIVE, "d", status="done"),
        node(Kind.INITIATIVE, "e", status="dropped", effort=1),
        node(Kind.INITIATIVE, "f", status="planned", effort=1),
        links=(
            ("s", "g"),
            ("ratio", "g"),
            Link("mid", "top", effect=2, confidence=0.5),  # top moves 1 per unit of mid
            Link("leaf", "mid", effect=-0.5, confidence=1),  # mid moves 0.5 per unit leaf falls
            Link("a", "leaf", effect=-10, confidence=0.8),  # leaf -8
            Link("b", "mid", effect=4),  # confidence missing: 0.5, so mid +2
            Link("c", "top", effect=6, confidence=1),
            Link("d", "top", effect=100, confidence=1, actual=50),
            Link("e", "top", effect=100, confidence=1),
            Link("f", "blind", effect=3, confidence=1),
        ),
    )


def test_the_committed_scenario_leaves_out_candidates_done_and_dropped_work():
    plan = tree()
    assert scenario(plan) == ("a", "b", "f")
    assert scenario(plan, with_candidates=True) == ("a", "b", "c", "f")
    assert scenario(plan, add=["c"], remove=["a"]) == ("b", "c", "f")


def test_direct_effects_and_two_levels_of_sensitivity():
    values = expected(tree())
    assert values["leaf"] == pytest.approx(42)  # 50 - 10 x 0.8
    # mid: 10 + b's 4 x 0.5 (missing confidence) + (-0.5 x 1) x (42 - 50)
    assert values["mid"] == pytest.approx(16)
    assert values["top"] == pytest.approx(31)  # 25 + 2 x 0.5 x (16 - 10)
    assert values["ratio"] == pytest.approx(31 / 5)  # the formula over expected inputs


def test_candidates_count_only_when_asked():
    assert expected(tree(), scenario(tree(), with_candidates=True))["top"] == pytest.approx(37)


def test_unknown_inputs_stay_unknown_and_say_so():
    result = forecast(tree())
    blind = next(i for i in result.indicators if i.id == "blind")
    assert blind.expected is None and blind.coverage_pct is None


def test_strategies_and_goals_on_the_forecast():
    result = forecast(tree())
    (s,) = result.strategies
    assert (s.aim, s.short_by) == (40, pytest.approx(9))
    (g,) = result.goals
    assert (g.met_now, g.met_expected) == (False, True)
    met = forecast(tree(), scenario(tree(), add=["c"]))
    assert met.strategies[0].short_by == pytest.approx(3)


def test_coverage_is_never_minus_zero():
    plan = build(node(Kind.INDICATOR, "m", direction="down", current=8, target=6))
    (only,) = forecast(plan).indicators
    assert only.coverage_pct == 0 and str(only.coverage_pct) == "0.0"


def test_what_if_toggles_match_a_full_evaluation():
    plan = tree()
    model = ForecastModel(plan)
    what_if = WhatIf(model, scenario(plan))
    for initiative in ["a", "c", "b", "a", "f", "c"]:
        result = what_if.toggle(initiative)
        assert result == forecast(plan, sorted(what_if.work))
    assert what_if.work == {"a"}


def test_change_alone_carries_one_initiative_up_the_tree():
    model = ForecastModel(tree())
    assert model.change_alone("a") == pytest.approx(
        {"leaf": -8, "mid": 4, "top": 4, "ratio": 4 / 5}
    )


def test_rank_by_share_of_the_gaps_per_unit_of_effort():
    ranked = rank(tree())
    assert [r.id for r in ranked] == ["a", "b", "f", "c"]
    by_id = {r.id: r for r in ranked}
    # a alone: leaf -8 of -20 (0.4), mid +4 of +10 (0.4), top +4 of +15 (0.2667); the ratio
    # has no target. Share 1.0667 over effort 2.
    assert by_id["a"].share == pytest.approx(0.4 + 0.4 + 4 / 15)
    assert by_id["a"].score == pytest.approx((0.8 + 4 / 15) / 2)
    # b alone: mid +2 (0.2), top +2 (2/15), effort 4.
    assert by_id["b"].score == pytest.approx((0.2 + 2 / 15) / 4)
    assert by_id["f"].share == 0  # blind has no value: no gap to close
    assert by_id["c"].score is None  # no effort: ranked apart, last


def test_a_share_is_capped_at_one_gap_and_counts_a_wrong_move_against():
    plan = build(
        node(Kind.INDICATOR, "m", direction="up", current=0, target=1),
        node(Kind.INDICATOR, "guard", direction="down", current=5, target=4),
        node(Kind.INITIATIVE, "big", effort=1),
        links=(
            Link("big", "m", effect=10, confidence=1),
            Link("big", "guard", effect=0.5, confidence=1),
        ),
    )
    (big,) = rank(plan)
    assert big.share == pytest.approx(1 - 0.5)


def test_cancel_candidates_in_three_groups_and_never_mandatory_work():
    plan = build(
        node(Kind.GOAL, "g"),
        node(Kind.INDICATOR, "m", direction="up", current=1, target=2),
        node(Kind.INDICATOR, "untargeted", direction="up", current=1),
        node(Kind.INITIATIVE, "lost", status="active"),
        node(Kind.INITIATIVE, "direct", status="planned"),
        node(Kind.INITIATIVE, "idle", status="planned"),
        node(Kind.INITIATIVE, "moves", status="planned"),
        node(Kind.INITIATIVE, "pointless", status="planned"),
        node(Kind.INITIATIVE, "enabler", status="planned"),
        node(Kind.INITIATIVE, "legal", mandatory="GDPR"),
        node(Kind.INITIATIVE, "finished", status="done"),
        links=(
            ("m", "g"),
            ("untargeted", "g"),
            ("direct", "g"),
            ("idle", "m"),
            Link("moves", "m", effect=1),
            Link("pointless", "untargeted", effect=1),
            ("enabler", "moves"),
        ),
    )
    found = [(c.node.id, c.reason) for c in cancel_candidates(plan, alignment_of(plan))]
    assert found == [
        ("lost", "unaligned"),
        ("direct", "unmeasured"),
        ("idle", "nil"),
        ("pointless", "nil"),
    ]


def test_calibration_overall_and_per_owner():
    plan = build(
        node(Kind.INDICATOR, "up", direction="up", current=0),
        node(Kind.INDICATOR, "down", direction="down"),
        node(Kind.INITIATIVE, "x", status="done", owner="Eng"),
        node(Kind.INITIATIVE, "y", status="done", owner="Growth"),
        node(Kind.INITIATIVE, "z", status="active", owner="Eng"),
        links=(
            Link("x", "up", effect=4, confidence=0.5, actual=1),  # promised 2, delivered 1
            Link("y", "down", effect=-6, actual=-6),  # promised 3 (0.5), delivered 6
            Link("z", "up", effect=10, confidence=1),
        ),
    )
    learned = calibration(plan)
    assert learned.ratio == pytest.approx(7 / 5) and learned.links == 2
    assert learned.by_owner == (("Eng", 0.5, 1), ("Growth", 2.0, 1))
    # --calibrated scales live work's expected effects by the overall ratio.
    assert expected(plan, ["z"], scale=learned.ratio)["up"] == pytest.approx(14)


def test_no_actual_effects_no_calibration():
    assert calibration(tree()).ratio is not None  # d records one
    assert calibration(build(node(Kind.INITIATIVE, "x"))).ratio is None


# -- a property: the one-pass forecast agrees with a brute-force evaluation ----------------------


def brute_force(plan: Plan, work: set[str]) -> dict[str, float | None]:
    """Expected values by fixpoint iteration straight from the definition (no formulas)."""
    indicators = [n for n in plan.nodes(Kind.INDICATOR)]
    start = {n.id: n.current if n.current is not None else n.baseline for n in indicators}
    values = dict(start)
    for _round in range(len(indicators) + 1):
        new = {}
        for n in indicators:
            if start[n.id] is None:
                new[n.id] = None
                continue
            total = start[n.id]
            for link in plan.children(n.id):
                if not link.effect:
                    continue
                child = plan.node(link.child)
                conf = 0.5 if link.confidence is None else link.confidence
                if child.kind is Kind.INITIATIVE and child.id in work:
                    total += link.effect * conf
                elif (
                    child.kind is Kind.INDICATOR
                    and values[child.id] is not None
                    and start[child.id] is not None
                ):
                    total += link.effect * conf * (values[child.id] - start[child.id])
            new[n.id] = total
        values = new
    return values


@st.composite
def random_plans(draw):
    count = draw(st.integers(2, 6))
    nodes = [
        node(Kind.INDICATOR, f"m{i}", current=draw(st.none() | st.integers(-5, 50)))
        for i in range(count)
    ]
    links = []
    for child in range(count):
        for parent in range(child + 1, count):  # upward only: a DAG
            if draw(st.booleans()):
                effect = draw(st.none() | st.integers(-3, 3))
                conf = draw(st.none() | st.sampled_from([0.25, 0.5, 1]))
                links.append(Link(f"m{child}", f"m{parent}", effect=effect, confidence=conf))
    work = set()
    for i in range(draw(st.integers(0, 4))):
        nodes.append(node(Kind.INITIATIVE, f"w{i}", status="planned"))
        target = draw(st.integers(0, count - 1))
        effect = draw(st.integers(-5, 5))
        links.append(Link(f"w{i}", f"m{target}", effect=effect, confidence=0.5))
        if draw(st.booleans()):
            work.add(f"w{i}")
    return build(*nodes, links=tuple(links)), work


@settings(max_examples=60, deadline=None)
@given(random_plans())
def test_the_forecast_agrees_with_brute_force(case):
    plan, work = case
    got = expected(plan, sorted(work))
    want = brute_force(plan, work)
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == (None if value is None else pytest.approx(value)), key
    model = ForecastModel(plan)
    what_if = WhatIf(model, ())
    for initiative in sorted(work):
        what_if.toggle(initiative)
    assert {i.id: i.expected for i in what_if.result().indicators} == pytest.approx(got)
