"""Values as meant: formula indicators, strategy aims, lent targets, implied links, forecast."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment.core.analysis import alignment_of, coverage, effective_links, findings, traces
from alignment.core.expressions import evaluate, parse_expression
from alignment.core.forecast import forecast, scenario
from alignment.core.model import CheckIn, Kind, Link, Node, PlanError
from alignment.core.plan import Plan
from alignment.core.references import implied_links, reference_errors
from alignment.core.values import metric_values

AS_OF = date(2026, 12, 1)


def goal(node_id: str = "g", **fields) -> Node:
    return Node(id=node_id, kind=Kind.GOAL, title=node_id.upper(), **fields)


def strategy(node_id: str, **fields) -> Node:
    return Node(id=node_id, kind=Kind.STRATEGY, title=node_id.upper(), **fields)


def indicator(node_id: str, **fields) -> Node:
    return Node(id=node_id, kind=Kind.INDICATOR, title=node_id.upper(), **fields)


def initiative(node_id: str, **fields) -> Node:
    return Node(id=node_id, kind=Kind.INITIATIVE, title=node_id.upper(), **fields)


def build(*nodes: Node, links: tuple = ()) -> Plan:
    """A plan of ``nodes``; ``links`` as ``(child, parent)`` pairs or Link values."""
    made = [link if isinstance(link, Link) else Link(*link) for link in links]
    return Plan.build("Values", None, nodes, made)


def fired(plan: Plan, rule: str, as_of: date = AS_OF) -> dict[str, str]:
    return {f.node: f.message for f in findings(plan, as_of=as_of) if f.rule == rule}


def unit_economics(**cac_fields) -> Plan:
    """The essay's plan: CAC and LTV, measured by two strategies, LTV:CAC as a formula."""
    cac = {"unit": "USD", "direction": "down", "baseline": 41.4, "current": 40, **cac_fields}
    return build(
        goal("break-even", condition="${ltv} >= ${cac}"),
        strategy("reduce-cac", measure="cac", change="-20%"),
        strategy("increase-ltv", measure="ltv", change="+20%"),
        indicator("ltv-to-cac", formula="${ltv} / ${cac}", direction="up", role="north-star"),
        indicator("cac", **cac),
        indicator("ltv", unit="USD", direction="up", baseline=28.5, current=29.1),
        links=(
            ("reduce-cac", "break-even"),
            ("increase-ltv", "break-even"),
            ("ltv-to-cac", "break-even"),
        ),  # fmt: skip
    )


# -- formula values ---------------------------------------------------------------------------


def test_a_formula_indicator_computes_baseline_current_and_implied_target():
    plan = unit_economics()
    ratio = metric_values(plan)["ltv-to-cac"]
    assert ratio.computed
    assert ratio.baseline == pytest.approx(28.5 / 41.4)
    assert ratio.current == pytest.approx(29.1 / 40)
    # Implied target: the formula over the inputs' targets (here the strategies' aims).
    assert ratio.target == pytest.approx((28.5 * 1.2) / (41.4 * 0.8))
    assert ratio.target_from == "formula"


def test_a_formula_value_is_unknown_when_an_input_is_and_on_division_by_zero():
    plan = build(
        indicator("a", baseline=1, current=0),
        indicator("b", baseline=2),
        indicator("ratio", formula="${b} / ${a}"),
    )
    ratio = metric_values(plan)["ratio"]
    assert ratio.baseline == 2
    assert ratio.current is None  # b has no current, and a is 0


def test_formulas_over_formulas_are_computed_inputs_first():
    plan = build(
        indicator("top", formula="${mid} * 2"),  # listed before what it reads
        indicator("mid", formula="${a} + ${b}"),
        indicator("a", baseline=1, current=2),
        indicator("b", baseline=10, current=20),
    )
    values = metric_values(plan)
    assert (values["mid"].current, values["top"].current) == (22, 44)
    assert (values["mid"].baseline, values["top"].baseline) == (11, 22)


def test_formula_history_carries_the_last_known_input_forward():
    plan = build(
        indicator("a", history=(CheckIn(date(2026, 1, 5), 10), CheckIn(date(2026, 1, 19), 12))),
        indicator("b", history=(CheckIn(date(2026, 1, 12), 2), CheckIn(date(2026, 1, 26), 4))),
        indicator("ratio", formula="${a} / ${b}"),
    )
    history = [(c.at.day, c.value) for c in metric_values(plan)["ratio"].history]
    # 5 Jan: b unknown yet, no point; 12 Jan: 10/2; 19 Jan: 12/2; 26 Jan: 12/4.
    assert history == [(12, 5), (19, 6), (26, 3)]


def test_current_follows_the_last_checkin_and_the_as_of_date():
    checkins = (CheckIn(date(2026, 9, 1), 50), CheckIn(date(2026, 10, 1), 48))
    plan = build(indicator("k", history=checkins))
    assert metric_values(plan)["k"].current == 48
    assert metric_values(plan, date(2026, 9, 15))["k"].current == 50
    assert metric_values(plan, date(2026, 8, 1))["k"].current is None


IDS = ("a", "b", "c")
values_st = st.one_of(st.none(), st.integers(-1000, 1000))
exprs = st.recursive(
    st.one_of(st.sampled_from(IDS).map(lambda i: f"${{{i}}}"), st.integers(0, 99).map(str)),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        inner.map(lambda e: f"-{e}"),
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(exprs, st.fixed_dictionaries({i: values_st for i in IDS}))
def test_formula_values_agree_with_a_direct_evaluation(text, inputs):
    """Property: a formula indicator's current is its formula over its inputs' currents."""
    try:
        parse_expression(text)
    except PlanError:
        return  # nested too deep: refused on input, nothing to compute
    nodes = [indicator(i, current=v) for i, v in inputs.items()]
    plan = build(*nodes, indicator("f", formula=text))
    direct = evaluate(parse_expression(text), {k: v for k, v in inputs.items()})
    assert metric_values(plan)["f"].current == direct


# -- aims and lent targets -----------------------------------------------------------------------


def test_aim_from_change_is_the_baseline_times_one_plus_change():
    aims = metric_values(unit_economics()).aims
    assert aims["reduce-cac"].value == pytest.approx(33.12)
    assert aims["increase-ltv"].value == pytest.approx(34.2)
    assert aims["reduce-cac"].change == "-20%"


def test_aim_given_absolutely():
    plan = build(strategy("s", measure="k", aim=30), indicator("k", direction="down", baseline=41))
    (aim,) = metric_values(plan).aims.values()
    assert (aim.value, aim.change) == (30, None)


def test_aim_from_change_is_unknown_without_a_baseline():
    plan = build(strategy("s", measure="k", change="+10%"), indicator("k", direction="up"))
    assert metric_values(plan).aims["s"].value is None


def test_an_indicator_without_a_target_takes_the_aim_of_its_strategy():
    values = metric_values(unit_economics())
    assert values["cac"].target == pytest.approx(33.12)
    assert values["cac"].target_from == "reduce-cac"
    assert "cac" not in fired(unit_economics(), "missing-target")


def test_its_own_target_wins_over_an_aim():
    values = metric_values(unit_economics(target=35))
    assert (values["cac"].target, values["cac"].target_from) == (35, None)


def test_several_aims_lend_the_most_ambitious():
    plan = build(
        strategy("a", measure="k", change="-10%"),
        strategy("b", measure="k", change="-20%"),
        indicator("k", direction="down", baseline=100),
    )
    metric = metric_values(plan)["k"]
    assert (metric.target, metric.target_from) == (80, "b")


def test_an_aim_lends_a_direction_to_an_indicator_without_one():
    plan = build(strategy("s", measure="k", change="-20%"), indicator("k", baseline=50, current=45))
    metric = metric_values(plan)["k"]
    assert str(metric.direction) == "down"
    assert metric.progress == pytest.approx(0.5)


def test_aim_mismatch_fires_when_the_own_target_is_less_ambitious():
    assert fired(unit_economics(target=35), "aim-mismatch") == {
        "cac": "target 35 USD is less ambitious than 33.12 USD, the aim of reduce-cac "
        "(-20% from 41.4 USD)"
    }
    assert fired(unit_economics(target=33.12), "aim-mismatch") == {}
    assert fired(unit_economics(target=30), "aim-mismatch") == {}


def test_an_aim_against_the_measures_direction_contradicts_it():
    plan = build(
        strategy("s", measure="k", change="+20%"),
        indicator("k", direction="down", baseline=40, unit="USD"),
    )
    assert fired(plan, "target-contradicts-direction") == {
        "s": "aims for 48 USD (+20% from 40 USD) on k, but lower is better for it"
    }


# -- progress ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "current", "expected"),
    [
        ("up", 10, 20, 15, 0.5),
        ("up", 10, 20, 5, -0.5),
        ("up", 10, 20, 30, 2.0),
        ("down", 52, 40, 55, -0.25),
        ("down", 52, 40, 46, 0.5),
        ("up", 5, 5, 6, 1.0),  # hold, beaten
        ("up", 5, 5, 4, 0.0),  # hold, lost
        ("down", 5, 5, 4, 1.0),
        ("down", 5, 5, 6, 0.0),
    ],
)
def test_progress_both_directions_and_on_hold(direction, baseline, target, current, expected):
    plan = build(
        indicator("k", direction=direction, baseline=baseline, target=target, current=current)
    )
    assert metric_values(plan)["k"].progress == pytest.approx(expected)


def test_progress_against_an_aim():
    values = metric_values(unit_economics(current=37.26))  # 41.4 -> 33.12, half way
    assert values["cac"].progress == pytest.approx(0.5)


# -- implied links ----------------------------------------------------------------------------------


def test_formula_inputs_and_measures_are_implied_links():
    plan = unit_economics()
    assert sorted(link.key for link in implied_links(plan)) == [
        ("cac", "ltv-to-cac"),
        ("cac", "reduce-cac"),
        ("ltv", "increase-ltv"),
        ("ltv", "ltv-to-cac"),
    ]


def test_a_listed_link_that_is_also_implied_is_one_link():
    plan = build(
        goal(),
        indicator("ratio", formula="${a} / 2", direction="up", target=1),
        indicator("a"),
        links=(("ratio", "g"), ("a", "ratio")),
    )
    assert list(implied_links(plan)) == []
    assert traces(plan, "a") == [["a", "ratio", "g"]]


def test_implied_links_align_and_trace():
    plan = build(
        goal(),
        strategy("s", measure="k"),
        indicator("k", direction="up", target=1),
        initiative("i"),
        links=(("s", "g"), ("i", "k")),
    )
    aligned = alignment_of(plan)
    assert {"k", "i"} <= aligned.aligned
    assert "i" in aligned.measured
    assert traces(plan, "i") == [["i", "k", "s", "g"]]
    assert fired(plan, "orphan-indicator") == {}
    assert fired(plan, "strategy-without-indicator") == {}
    assert effective_links(plan).is_implied("k", "s")


def test_formula_inputs_are_aligned_through_the_formula():
    plan = unit_economics()
    for node_id in ("cac", "ltv"):
        assert ["ltv-to-cac", "break-even"] in [path[1:] for path in traces(plan, node_id)]
    assert fired(plan, "orphan-indicator") == {}


def test_without_the_formula_the_inputs_are_vanity_metrics():
    plan = build(goal(), indicator("ratio", direction="up", target=1), indicator("a"),
                 links=(("ratio", "g"),))  # fmt: skip
    assert "a" in fired(plan, "orphan-indicator")


# -- roles -------------------------------------------------------------------------------------------


def test_several_north_stars():
    plan = build(
        indicator("a", role="north-star"),
        indicator("b", role="north-star"),
        indicator("c", role="lagging"),
    )
    assert fired(plan, "several-north-stars") == {
        "a": "2 North Stars (a, b): a plan has one focus metric",
        "b": "2 North Stars (a, b): a plan has one focus metric",
    }
    plan = build(indicator("a", role="north-star"), indicator("b", role="lagging"))
    assert fired(plan, "several-north-stars") == {}


def test_lagging_without_leading_looks_through_indicators_and_formulas():
    plan = build(
        indicator("star", role="north-star", formula="${cac} * 2"),
        indicator("cac", role="lagging"),
        indicator("mid"),
        indicator("bounce", role="leading"),
        indicator("revenue", role="lagging"),
        links=(("mid", "cac"), ("bounce", "mid")),
    )
    assert set(fired(plan, "lagging-without-leading")) == {"revenue"}
    plan = build(indicator("revenue", role="lagging"), indicator("x", role="guardrail"),
                 links=(("x", "revenue"),))  # fmt: skip
    assert set(fired(plan, "lagging-without-leading")) == {"revenue"}


def test_counter_effect_on_a_guardrail_says_so():
    plan = build(
        indicator("churn", role="guardrail", direction="down", unit="%"),
        initiative("push", status="planned"),
        links=(Link("push", "churn", effect=0.5),),
    )
    assert fired(plan, "counter-effect") == {
        "push": "expected to move churn by +0.5%, but lower is better; "
        "churn is a guardrail: it must not get worse"
    }


def test_wrong_way_on_a_guardrail_says_so():
    plan = build(indicator("nps", role="guardrail", direction="up", baseline=30, current=20))
    assert fired(plan, "wrong-way")["nps"].endswith("; it is a guardrail: it must not get worse")


# -- stale metrics --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "quiet_days", "fires"),
    [
        ("weekly", 10, False),
        ("weekly", 11, True),
        ("monthly", 45, False),
        ("monthly", 46, True),
        ("quarterly", 136, False),
        ("quarterly", 137, True),
        ("3d", 4, False),
        ("3d", 5, True),
    ],
)
def test_stale_after_one_and_a_half_cadences(cadence, quiet_days, fires):
    last = date(2026, 9, 1)
    plan = build(indicator("k", cadence=cadence, history=(CheckIn(last, 1),)))
    as_of = date.fromordinal(last.toordinal() + quiet_days)
    found = fired(plan, "stale-metric", as_of)
    assert ("k" in found) is fires
    if fires:
        assert found["k"] == (
            f"{cadence} cadence, but the last value is from 2026-09-01 "
            f"({quiet_days} days before {as_of.isoformat()})"
        )


def test_stale_without_any_value():
    since = date(2026, 9, 7)
    plan = build(indicator("k", cadence="weekly", since=since))
    assert fired(plan, "stale-metric", date(2026, 9, 17)) == {}
    assert fired(plan, "stale-metric", date(2026, 9, 18)) == {
        "k": "weekly cadence, but no value since the start on 2026-09-07"
    }
    plan = build(indicator("k", cadence="weekly"))
    assert fired(plan, "stale-metric") == {"k": "weekly cadence, but no value recorded yet"}
    plan = build(indicator("k", cadence="weekly", current=3))
    assert fired(plan, "stale-metric") == {"k": "weekly cadence, but no dated value (check-in) yet"}


def test_no_cadence_never_stale():
    plan = build(indicator("k", history=(CheckIn(date(2020, 1, 1), 1),)))
    assert fired(plan, "stale-metric") == {}


def test_a_formula_indicator_is_as_fresh_as_its_inputs():
    plan = build(
        indicator("a", history=(CheckIn(date(2026, 11, 25), 1),)),
        indicator("b", history=(CheckIn(date(2026, 8, 1), 2),)),
        indicator("ratio", formula="${a} / ${b}", cadence="weekly"),
    )
    # Computed on 11-25 (b carried forward): fresh 10 days later, stale after 10.5.
    assert set(fired(plan, "stale-metric", date(2026, 12, 5))) == set()
    assert set(fired(plan, "stale-metric", date(2026, 12, 6))) == {"ratio"}


# -- goals and time -----------------------------------------------------------------------------------


def test_a_goal_past_due_whose_condition_does_not_hold_is_overdue():
    plan = build(
        goal("g", condition="${ltv} >= ${cac}", due=date(2026, 11, 30)),
        indicator("cac", unit="USD", current=40),
        indicator("ltv", unit="USD", current=29.1),
    )
    assert fired(plan, "overdue", date(2026, 11, 30)) == {}
    assert fired(plan, "overdue", date(2026, 12, 1)) == {
        "g": "was due 2026-11-30: ltv >= cac does not hold (cac 40 USD, ltv 29.1 USD)"
    }
    met = build(
        goal("g", condition="${ltv} >= ${cac}", due=date(2026, 11, 30)),
        indicator("cac", current=40),
        indicator("ltv", current=41),
    )
    assert fired(met, "overdue", date(2026, 12, 1)) == {}


# -- mandatory work ----------------------------------------------------------------------------------


def test_mandatory_work_is_never_an_orphan_and_is_counted_apart():
    plan = build(
        goal(),
        initiative("soc2", mandatory="SOC 2 audit in March", effort=3),
        initiative("upkeep", mandatory="keep the lights on", effort=2),
        initiative("feature"),
        links=(("upkeep", "g"), ("feature", "g")),
    )
    assert fired(plan, "orphan-initiative") == {}
    assert fired(plan, "unmeasured-initiative") == {"feature": "supports g directly through no "
                                                   "indicator: how will we know it worked?"}  # fmt: skip
    assert fired(plan, "mandatory-work") == {
        "soc2": "serves no goal; done anyway: SOC 2 audit in March"
    }
    assert [f.severity for f in findings(plan) if f.rule == "mandatory-work"] == ["info"]
    cover = coverage(plan)
    assert (cover.live_initiatives, cover.aligned, cover.mandatory) == (1, 1, 2)
    assert cover.mandatory_effort == 5


def test_optional_work_without_a_goal_is_still_an_orphan():
    plan = build(goal(), initiative("hunch"))
    assert set(fired(plan, "orphan-initiative")) == {"hunch"}
    assert fired(plan, "mandatory-work") == {}


# -- references -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ((indicator("r", formula="${nope} / 2"),), "formula: nope is not in the plan"),
        (
            (indicator("r", formula="${s} / 2"), strategy("s")),
            "formula: s is a strategy, not an indicator",
        ),
        ((indicator("r", formula="${r} + 1"),), "formula: r refers to itself"),
        (
            (goal("g", condition="${i} > 1"), initiative("i")),
            "condition: i is an initiative, not an indicator",
        ),
        ((goal("g", condition="${x} > 1"),), "condition: x is not in the plan"),
        ((strategy("s", measure="g2"), goal("g2")), "measure: g2 is a goal, not an indicator"),
        ((strategy("s", measure="zz"),), "measure: zz is not in the plan"),
        (
            (indicator("a", formula="${b} + 1"), indicator("b", formula="${a} * 2")),
            "formula: the formulas make a cycle: a -> b -> a",
        ),
    ],
)
def test_reference_errors_refuse_the_plan_naming_node_and_field(nodes, message):
    with pytest.raises(PlanError) as caught:
        build(*nodes)
    assert str(caught.value) == message
    assert caught.value.node == nodes[0].id
    assert caught.value.field == message.split(":")[0]


def test_a_cycle_through_a_formula_and_a_listed_link_is_refused():
    with pytest.raises(
        PlanError, match="^formula: the formulas make a cycle: ratio -> a -> ratio$"
    ):
        build(
            indicator("ratio", formula="${a} / 2"),
            indicator("a"),
            links=(("ratio", "a"),),  # ratio supports a, and a (an input) supports ratio
        )


def test_edits_are_refused_when_they_break_a_reference():
    plan = unit_economics()
    # A formula naming what is not an indicator, or itself through another formula.
    with pytest.raises(PlanError, match="formula: reduce-cac is a strategy, not an indicator"):
        plan.apply(plan.update_change(plan.node("ltv-to-cac").evolve(formula="${reduce-cac} * 2")))
    plan.apply(
        plan.update_change(
            plan.node("cac").evolve(formula="${ltv} + 1", current=None, baseline=None)
        )
    )
    with pytest.raises(PlanError, match="cycle: ltv -> ltv-to-cac -> ltv"):
        plan.apply(
            plan.update_change(plan.node("ltv").evolve(formula="${ltv-to-cac} * 2", current=None))
        )
    # Deleting what a formula, condition or measure names.
    with pytest.raises(
        PlanError, match="ltv is named by the condition of break-even: change that first"
    ):
        plan.apply(plan.remove_change("ltv"))
    # A listed link closing a loop through a formula.
    with pytest.raises(PlanError, match="would make a cycle through a formula: ltv-to-cac -> cac"):
        plan.link("ltv-to-cac", "cac")
    # A new node naming what is not there.
    with pytest.raises(PlanError, match="measure: nps is not in the plan"):
        plan.add(strategy("delight", measure="nps"))
    assert "delight" not in plan
    assert reference_errors(plan) == []


def test_valid_references_pass():
    assert reference_errors(unit_economics()) == []


# -- forecast ------------------------------------------------------------------------------------------


def forecast_plan(page_status: str = "planned", confidence: float | None = 0.5) -> Plan:
    return build(
        goal("g", condition="${ltv} >= ${cac}"),
        strategy("reduce-cac", measure="cac", change="-20%"),
        indicator("cac", direction="down", baseline=40, current=40, unit="USD"),
        indicator("ltv", direction="up", baseline=36, current=36),
        indicator("bounce", direction="down", baseline=50, current=50, role="leading"),
        initiative("pages", status=page_status),
        initiative("memes", status="candidate"),
        links=(
            ("reduce-cac", "g"),
            Link("bounce", "cac", effect=0.5, confidence=1),
            Link("pages", "bounce", effect=-10, confidence=confidence),
            Link("memes", "ltv", effect=4, confidence=1),
        ),
    )


def test_the_committed_scenario_and_its_variants():
    plan = forecast_plan()
    assert scenario(plan) == ("pages",)
    assert scenario(plan, with_candidates=True) == ("pages", "memes")
    assert scenario(plan, add=["memes"], remove=["pages"]) == ("memes",)
    assert scenario(forecast_plan("dropped"), with_candidates=True) == ("memes",)
    with pytest.raises(PlanError, match="dropped work never counts"):
        scenario(forecast_plan("dropped"), add=["pages"])


def test_forecast_through_the_tree():
    result = forecast(forecast_plan())
    by_id = {i.id: i for i in result.indicators}
    assert by_id["bounce"].expected == 45  # -10 x 0.5
    assert by_id["cac"].expected == 37.5  # 0.5 x 1 x (45 - 50)
    assert by_id["ltv"].expected == 36 and not by_id["ltv"].modelled
    assert by_id["cac"].coverage_pct == 31.2  # -2.5 of the -8 to go, to one decimal
    (reduce,) = result.strategies
    assert reduce.aim == 32 and reduce.short_by == pytest.approx(5.5)
    (g,) = result.goals
    assert (g.met_now, g.met_expected) == (False, False)
    assert result.as_dict("P")["strategies"] == [
        {"id": "reduce-cac", "aim": 32.0, "expected": 37.5, "short_by": pytest.approx(5.5)}
    ]


def test_a_missing_confidence_counts_as_one_half():
    by_id = {i.id: i for i in forecast(forecast_plan(confidence=None)).indicators}
    assert by_id["bounce"].expected == 45


def test_strategy_short_and_goal_not_forecast():
    plan = forecast_plan()
    assert fired(plan, "strategy-short") == {
        "reduce-cac": "committed work is forecast to bring cac to 37.5 USD, short of the aim "
        "32 USD by 5.5 USD"
    }
    assert fired(plan, "goal-not-forecast") == {
        "g": "once the committed work lands, ltv >= cac is not expected to hold "
        "(expected cac 37.5 USD, ltv 36)"
    }


def test_enough_committed_work_meets_the_aim_and_the_goal():
    plan = forecast_plan()
    plan.apply(plan.update_change(plan.node("memes").evolve(status="active")))
    plan.apply(plan.unlink_change("pages", "bounce"))
    plan.link("pages", "bounce", effect=-20, confidence=1)
    assert fired(plan, "strategy-short") == {}
    assert fired(plan, "goal-not-forecast") == {}


# -- a status per indicator --------------------------------------------------------------------------


def test_indicator_statuses_say_the_worst_time_finding_in_a_word():
    from alignment.core.analysis import indicator_statuses

    plan = build(
        indicator("late", direction="up", baseline=0, target=10, current=2, due=date(2026, 6, 30)),
        indicator("fine", direction="up", baseline=0, target=10, current=9, due=date(2027, 6, 30),
                  history=(CheckIn(date(2026, 11, 30), 9),), cadence="weekly"),
        indicator("quiet", direction="up", baseline=0, target=10, current=5, cadence="weekly",
                  history=(CheckIn(date(2026, 9, 1), 5),)),
        indicator("worse", direction="down", baseline=5, target=3, current=6),
        indicator("bare"),
    )  # fmt: skip
    found = findings(plan, as_of=AS_OF)
    assert indicator_statuses(found, metric_values(plan, AS_OF)) == {
        "late": "overdue",
        "fine": "on track",
        "quiet": "stale",
        "worse": "wrong way",
    }


def test_goals_served_follow_implied_links_and_stop_at_dropped_work():
    from alignment.core.rollup import goals_served

    plan = build(
        goal("g"),
        goal("h"),
        strategy("s", measure="cac"),
        indicator("ratio", formula="${cac} / 2"),
        indicator("cac"),
        initiative("gone", status="dropped"),
        initiative("below"),
        links=(("s", "g"), ("ratio", "h"), ("gone", "g"), ("below", "gone")),
    )
    served = goals_served(plan)
    assert served["cac"] == ("g", "h")  # through its strategy and through the formula
    assert served["gone"] == ("g",)
    assert served["below"] == ()  # a path through dropped work is no path


def test_a_percentage_falls_short_by_points():
    plan = build(
        strategy("s", measure="churn", aim=4),
        indicator("churn", direction="down", baseline=5.8, current=5.5, unit="%"),
    )
    assert fired(plan, "strategy-short") == {
        "s": "no effect of committed work reaches churn: it stays at 5.5%, short of the aim 4% "
        "by 1.5 points"
    }


def test_the_plan_lists_its_implied_links():
    assert sorted(link.key for link in unit_economics().implied_links()) == sorted(
        link.key for link in implied_links(unit_economics())
    )
    assert unit_economics().implied_links()  # the essay's plan implies four
