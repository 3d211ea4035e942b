"""Analysis rules, traces, coverage and progress: what `alignment check` tells a CTO."""

from __future__ import annotations

import re
from datetime import date

import pytest

from alignment.core.analysis import (
    RULES,
    Severity,
    alignment_of,
    coverage,
    findings,
    progress,
    traces,
)
from alignment.core.model import Direction, Kind, Node
from alignment.formats.plan_file import read_plan_file


def fired(plan, rule: str) -> list[str]:
    """Ids of the nodes ``rule`` reports, in report order."""
    return [f.node for f in findings(plan) if f.rule == rule]


def message(plan, rule: str, node: str) -> str:
    (found,) = [f for f in findings(plan) if f.rule == rule and f.node == node]
    return found.message


# -- the contract -----------------------------------------------------------------------------


def test_rule_names_and_severities_are_the_contract():
    assert {rule: str(severity) for rule, severity in RULES.items()} == {
        "orphan-initiative": "error",
        "unmeasured-initiative": "warning",
        "orphan-indicator": "warning",
        "unmoved-indicator": "info",
        "strategy-without-indicator": "warning",
        "goal-without-strategy": "warning",
        "missing-target": "warning",
        # issue 9
        "target-contradicts-direction": "error",
        "overdue": "warning",
        "behind-schedule": "warning",
        "wrong-way": "warning",
        "stale-metric": "warning",
        "lagging-without-leading": "warning",
        "several-north-stars": "warning",
        "counter-effect": "warning",
        "aim-mismatch": "warning",
        "goal-not-forecast": "warning",
        "strategy-short": "warning",
        "mandatory-work": "info",
    }


def test_each_finding_carries_its_rules_severity_and_the_node_title(plan_factory):
    plan = plan_factory(
        "goal g",
        "indicator vanity",
        "initiative hunch",
        fields={"hunch": {"title": "A hunch"}},
    )
    found = findings(plan)
    assert {f.rule for f in found} >= {"orphan-initiative", "orphan-indicator", "missing-target"}
    for f in found:
        assert f.severity is RULES[f.rule]
        assert f.title == plan.node(f.node).title
    assert [f for f in found if f.node == "hunch"][0].as_dict() == {
        "rule": "orphan-initiative",
        "severity": "error",
        "node": "hunch",
        "title": "A hunch",
        "message": "supports nothing",
    }


# -- orphan-initiative --------------------------------------------------------------------------


def test_orphan_initiative_supporting_nothing(plan_factory):
    plan = plan_factory("goal g", "initiative rewrite")
    assert fired(plan, "orphan-initiative") == ["rewrite"]
    assert message(plan, "orphan-initiative", "rewrite") == "supports nothing"


def test_orphan_initiative_names_what_it_reaches(plan_factory):
    plan = plan_factory("goal g", "indicator followers", "initiative memes -> followers")
    assert fired(plan, "orphan-initiative") == ["memes"]
    assert (
        message(plan, "orphan-initiative", "memes") == "supports followers, which reaches no goal"
    )


def test_orphan_initiative_with_several_dead_ends_names_them_all(plan_factory):
    plan = plan_factory(
        "goal g", "indicator a", "indicator b", "initiative memes -> a b", "initiative other"
    )
    assert fired(plan, "orphan-initiative") == ["memes", "other"]
    assert (
        message(plan, "orphan-initiative", "memes") == "supports a, b, none of which reaches a goal"
    )


@pytest.mark.parametrize(
    "lines",
    [
        ("goal g", "initiative i -> g"),
        ("goal g", "strategy s -> g", "initiative i -> s"),
        ("goal g", "strategy s -> g", "indicator k -> s", "initiative i -> k"),
        ("goal g", "indicator k -> g", "indicator sub -> k", "initiative i -> sub"),
        ("goal g", "initiative parent -> g", "initiative i -> parent"),
        ("goal top", "goal g -> top", "initiative i -> g"),
        # one dead end is fine as long as another link reaches a goal
        ("goal g", "indicator vanity", "strategy s -> g", "initiative i -> vanity s"),
    ],
    ids=["to-goal", "via-strategy", "via-indicator", "via-sub-indicator", "via-initiative",
         "via-sub-goal", "one-dead-end"],
)  # fmt: skip
def test_initiative_with_a_path_to_a_goal_is_not_an_orphan(plan_factory, lines):
    assert fired(plan_factory(*lines), "orphan-initiative") == []


@pytest.mark.parametrize("status", ["candidate", "planned", "active", "done"])
def test_every_live_status_is_subject_to_the_initiative_rules(plan_factory, status):
    plan = plan_factory(
        "goal g", "initiative lost", "initiative direct -> g",
        fields={"lost": {"status": status}, "direct": {"status": status}},
    )  # fmt: skip
    assert fired(plan, "orphan-initiative") == ["lost"]
    assert fired(plan, "unmeasured-initiative") == ["direct"]


def test_dropped_initiatives_are_out_of_the_initiative_rules(plan_factory):
    plan = plan_factory(
        "goal g", "initiative lost", "initiative direct -> g",
        fields={"lost": {"status": "dropped"}, "direct": {"status": "dropped"}},
    )  # fmt: skip
    assert fired(plan, "orphan-initiative") == []
    assert fired(plan, "unmeasured-initiative") == []


# -- unmeasured-initiative ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        ("goal g", "initiative i -> g"),
        ("goal g", "strategy s -> g", "initiative i -> s"),
        # an indicator on a path that leads nowhere does not measure it
        ("goal g", "strategy s -> g", "indicator vanity", "initiative i -> s vanity"),
    ],
    ids=["straight-to-goal", "straight-to-strategy", "indicator-off-the-path"],
)
def test_unmeasured_initiative_fires_when_no_path_to_a_goal_passes_an_indicator(
    plan_factory, lines
):
    plan = plan_factory(*lines)
    assert fired(plan, "unmeasured-initiative") == ["i"]
    assert fired(plan, "orphan-initiative") == []
    text = message(plan, "unmeasured-initiative", "i")
    assert re.search(r"\bg\b", text), "the message names the goal it reaches"
    assert "no indicator" in text


def test_unmeasured_initiative_message_names_the_goals_it_reaches(plan_factory):
    plan = plan_factory("goal grow", "goal keep", "strategy s -> grow keep", "initiative i -> s")
    text = message(plan, "unmeasured-initiative", "i")
    assert text.startswith("supports s, reaching grow, keep through no indicator")


def test_unmeasured_initiative_on_a_goal_says_it_supports_it_directly(plan_factory):
    plan = plan_factory("goal g", "initiative i -> g")
    text = message(plan, "unmeasured-initiative", "i")
    assert text.startswith("supports g directly through no indicator")


@pytest.mark.parametrize(
    "lines",
    [
        ("goal g", "indicator k -> g", "initiative i -> k"),
        ("goal g", "strategy s -> g", "indicator k -> s", "initiative i -> k"),
        ("goal g", "indicator k -> g", "initiative i -> g k"),  # measured by one of two paths
        ("goal g", "indicator k -> g", "initiative parent -> k", "initiative i -> parent"),
    ],
    ids=["direct", "via-strategy", "one-of-two-paths", "via-another-initiative"],
)
def test_initiative_with_an_indicator_on_its_way_to_a_goal_is_measured(plan_factory, lines):
    plan = plan_factory(*lines)
    assert fired(plan, "unmeasured-initiative") == []
    assert "i" in alignment_of(plan).measured


def test_an_orphan_is_not_also_reported_as_unmeasured(plan_factory):
    plan = plan_factory("goal g", "initiative i")
    assert [f.rule for f in findings(plan) if f.node == "i"] == ["orphan-initiative"]


# -- orphan-indicator ---------------------------------------------------------------------------


def test_orphan_indicator_is_a_vanity_metric(plan_factory):
    plan = plan_factory("goal g", "indicator followers", "indicator likes -> followers")
    assert fired(plan, "orphan-indicator") == ["followers", "likes"]
    assert message(plan, "orphan-indicator", "followers") == "vanity metric: supports nothing"
    assert (
        message(plan, "orphan-indicator", "likes")
        == "vanity metric: supports followers, which reaches no goal"
    )


@pytest.mark.parametrize(
    "lines",
    [
        ("goal g", "indicator k -> g"),
        ("goal g", "strategy s -> g", "indicator k -> s"),
        ("goal g", "strategy s -> g", "indicator parent -> s", "indicator k -> parent"),
    ],
    ids=["to-goal", "to-strategy", "sub-indicator"],
)
def test_indicator_with_a_path_to_a_goal_is_not_an_orphan(plan_factory, lines):
    assert fired(plan_factory(*lines), "orphan-indicator") == []


# -- unmoved-indicator --------------------------------------------------------------------------


def test_unmoved_indicator_when_no_initiative_supports_it(plan_factory):
    plan = plan_factory("goal g", "indicator k -> g")
    assert fired(plan, "unmoved-indicator") == ["k"]
    assert findings(plan)[-1].severity is Severity.INFO


def test_indicator_moved_only_by_dropped_work_is_unmoved(plan_factory):
    plan = plan_factory(
        "goal g", "indicator k -> g", "initiative chatbot -> k",
        fields={"chatbot": {"status": "dropped"}},
    )  # fmt: skip
    assert fired(plan, "unmoved-indicator") == ["k"]


@pytest.mark.parametrize("status", ["candidate", "planned", "active", "done"])
def test_indicator_moved_by_live_work_is_not_unmoved(plan_factory, status):
    plan = plan_factory(
        "goal g", "indicator k -> g", "initiative i -> k", fields={"i": {"status": status}}
    )
    assert fired(plan, "unmoved-indicator") == []


def test_indicator_moved_through_a_sub_indicator_is_not_unmoved(plan_factory):
    plan = plan_factory(
        "goal g", "indicator activation -> g", "indicator time-to-activate -> activation",
        "initiative journeys -> time-to-activate",
    )  # fmt: skip
    assert fired(plan, "unmoved-indicator") == []


def test_sub_indicator_is_not_moved_by_work_on_its_parent(plan_factory):
    plan = plan_factory(
        "goal g", "indicator activation -> g", "indicator time-to-activate -> activation",
        "initiative journeys -> activation",
    )  # fmt: skip
    assert fired(plan, "unmoved-indicator") == ["time-to-activate"]


# -- strategy-without-indicator, goal-without-strategy ----------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        ("goal g", "strategy s -> g"),
        ("goal g", "strategy s -> g", "initiative i -> s"),
        ("goal g", "strategy s -> g", "strategy other -> g", "indicator k -> other"),
    ],
    ids=["nothing-below", "only-initiatives", "indicator-on-a-sibling"],
)
def test_strategy_without_indicator_fires(plan_factory, lines):
    plan = plan_factory(*lines)
    assert fired(plan, "strategy-without-indicator") == ["s"]
    assert message(plan, "strategy-without-indicator", "s") == (
        "no indicator tells whether it is working"
    )


@pytest.mark.parametrize(
    "lines",
    [
        ("goal g", "strategy s -> g", "indicator k -> s"),
        ("goal g", "strategy s -> g", "indicator k -> s", "indicator sub -> k"),
        ("goal g", "strategy s -> g", "strategy sub -> s", "indicator k -> sub"),
    ],
    ids=["direct", "kpi-tree", "sub-strategy"],
)
def test_strategy_with_an_indicator_below_it_does_not_fire(plan_factory, lines):
    assert fired(plan_factory(*lines), "strategy-without-indicator") == []


@pytest.mark.parametrize(
    "lines",
    [
        ("goal g",),
        ("goal g", "indicator k -> g", "initiative i -> k"),
        ("goal g", "goal other", "strategy s -> other"),
    ],
    ids=["alone", "only-indicators", "strategy-on-another-goal"],
)
def test_goal_without_strategy_fires(plan_factory, lines):
    plan = plan_factory(*lines)
    assert fired(plan, "goal-without-strategy") == ["g"]
    assert message(plan, "goal-without-strategy", "g") == "no strategy serves it"


@pytest.mark.parametrize(
    "lines",
    [
        ("goal g", "strategy s -> g"),
        ("goal g", "goal sub -> g", "strategy s -> sub"),
    ],
    ids=["direct", "through-a-sub-goal"],
)
def test_goal_with_a_strategy_below_it_does_not_fire(plan_factory, lines):
    assert "g" not in fired(plan_factory(*lines), "goal-without-strategy")


# -- missing-target -----------------------------------------------------------------------------


def test_missing_target(plan_factory):
    plan = plan_factory(
        "goal g", "indicator aimed -> g", "indicator vague -> g",
        fields={"aimed": {"direction": Direction.UP, "target": 5}},
    )  # fmt: skip
    assert fired(plan, "missing-target") == ["vague"]
    assert message(plan, "missing-target", "vague") == "no target: say what to aim for"


def test_a_target_of_zero_is_a_target(plan_factory):
    plan = plan_factory(
        "goal g", "indicator errors -> g", fields={"errors": {"direction": "down", "target": 0}}
    )
    assert fired(plan, "missing-target") == []


# -- order --------------------------------------------------------------------------------------


def test_findings_are_ordered_by_severity_then_rule_then_plan_order(plan_factory):
    plan = plan_factory(
        "goal g2",
        "goal g",
        "strategy s -> g",
        "indicator vanity",
        "indicator k -> s",
        "initiative zeta",
        "initiative direct -> g",
        "initiative alpha",
    )
    found = [(f.severity.value, f.rule, f.node) for f in findings(plan)]
    assert found == [
        ("error", "orphan-initiative", "zeta"),
        ("error", "orphan-initiative", "alpha"),
        ("warning", "unmeasured-initiative", "direct"),
        ("warning", "orphan-indicator", "vanity"),
        ("warning", "goal-without-strategy", "g2"),
        ("warning", "missing-target", "vanity"),
        ("warning", "missing-target", "k"),
        ("info", "unmoved-indicator", "vanity"),
        ("info", "unmoved-indicator", "k"),
    ]


# The time rules depend on the date: the samples are judged on the day of their last check-in.
SAMPLES_CHECKED = date(2026, 11, 2)


def test_unit_economics_sample_shows_its_intentional_flaws(samples):
    """The README promises these; the sample file's comments explain each one."""
    plan = read_plan_file(samples["unit-economics"])
    found = [(f.rule, f.node) for f in findings(plan, as_of=SAMPLES_CHECKED)]
    assert found[:4] == [
        ("orphan-initiative", "daily-memes"),
        ("orphan-initiative", "frontend-rewrite"),
        ("unmeasured-initiative", "analytics-tool"),
        ("orphan-indicator", "twitter-followers"),
    ]
    # The numbers' findings: the committed work does not reach the aims, and the PCI upgrade
    # is done whatever the strategy.
    assert found[4:] == [
        ("goal-not-forecast", "break-even"),
        ("strategy-short", "reduce-cac"),
        ("strategy-short", "increase-ltv"),
        ("mandatory-work", "pci-upgrade"),
    ]


def test_streaming_sample_is_aligned_but_its_committed_work_falls_short(samples):
    plan = read_plan_file(samples["streaming"])
    found = [(f.rule, f.node) for f in findings(plan, as_of=SAMPLES_CHECKED)]
    assert found == [
        ("missing-target", "store-page-conversion"),
        ("strategy-short", "grow-engagement"),
        ("strategy-short", "reduce-churn"),
        ("strategy-short", "grow-subscribers"),
        ("unmoved-indicator", "weekly-viewers"),
    ]


# -- traces -------------------------------------------------------------------------------------


def test_traces_list_every_path_to_a_goal_shortest_first(plan_factory):
    plan = plan_factory(
        "goal g",
        "strategy s -> g",
        "indicator a -> s",
        "indicator b -> s",
        "initiative i -> a b g",
    )
    assert traces(plan, "i") == [["i", "g"], ["i", "a", "s", "g"], ["i", "b", "s", "g"]]


def test_traces_reach_every_goal(plan_factory):
    plan = plan_factory("goal grow", "goal keep", "indicator k -> grow keep", "initiative i -> k")
    assert sorted(traces(plan, "i")) == [["i", "k", "grow"], ["i", "k", "keep"]]


def test_traces_leave_out_dead_ends(plan_factory):
    plan = plan_factory("goal g", "indicator vanity", "strategy s -> g", "initiative i -> vanity s")
    assert traces(plan, "i") == [["i", "s", "g"]]


def test_no_trace_for_a_node_that_reaches_no_goal(plan_factory):
    plan = plan_factory("goal g", "indicator vanity", "initiative i -> vanity")
    assert traces(plan, "i") == []
    assert traces(plan, "vanity") == []


def test_a_goals_trace_is_itself(plan_factory):
    plan = plan_factory("goal g", "strategy s -> g")
    assert traces(plan, "g") == [["g"]]


def test_traces_are_capped(plan_factory):
    # 2 x 2 x 2 = 8 paths through three layers of two indicators each
    plan = plan_factory(
        "goal g",
        "indicator a1 -> g", "indicator a2 -> g",
        "indicator b1 -> a1 a2", "indicator b2 -> a1 a2",
        "indicator c1 -> b1 b2", "indicator c2 -> b1 b2",
        "initiative i -> c1 c2",
    )  # fmt: skip
    assert len(traces(plan, "i")) == 8
    assert len(traces(plan, "i", limit=3)) == 3


def test_trace_of_an_unknown_node_is_refused(plan_factory):
    with pytest.raises(ValueError, match="no node 'nope'"):
        traces(plan_factory("goal g"), "nope")


# -- coverage -----------------------------------------------------------------------------------


def test_coverage_counts_live_initiatives_only(plan_factory):
    plan = plan_factory(
        "goal g",
        "indicator k -> g",
        "initiative measured -> k",
        "initiative direct -> g",
        "initiative orphan",
        "initiative dropped",
        fields={"dropped": {"status": "dropped"}},
    )
    cover = coverage(plan)
    assert (cover.live_initiatives, cover.aligned, cover.measured) == (3, 2, 1)
    assert cover.aligned_pct == 66.7
    assert cover.measured_pct == 33.3


def test_coverage_of_a_plan_without_live_initiatives_is_unknown_not_full(plan_factory):
    """100% of nothing would tell a board the plan is covered: it is None, shown as such."""
    cover = coverage(
        plan_factory("goal g", "initiative gone", fields={"gone": {"status": "dropped"}})
    )
    assert cover.live_initiatives == 0
    assert (cover.aligned_pct, cover.measured_pct) == (None, None)


def test_coverage_of_the_unit_economics_sample(samples):
    cover = coverage(read_plan_file(samples["unit-economics"]))
    assert (cover.live_initiatives, cover.aligned, cover.measured) == (11, 9, 8)
    assert (cover.aligned_pct, cover.measured_pct) == (81.8, 72.7)


# -- progress -----------------------------------------------------------------------------------


def indicator(direction: str, baseline, target, current) -> Node:
    return Node(
        id="k", kind=Kind.INDICATOR, title="K",
        direction=Direction(direction), baseline=baseline, target=target, current=current,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "current", "expected"),
    [
        ("up", 10, 20, 15, 0.5),
        ("up", 10, 20, 10, 0.0),
        ("up", 10, 20, 20, 1.0),
        ("up", 10, 20, 25, 1.5),  # beyond the target
        ("up", 10, 20, 5, -0.5),  # went the wrong way: negative
        ("down", 52, 40, 49, 0.25),
        ("down", 52, 40, 40, 1.0),
        ("down", 52, 40, 38, 14 / 12),
        ("down", 52, 40, 55, -0.25),
        ("up", 5, 5, 5, 1.0),  # hold: 100% while not worse
        ("up", 5, 5, 6, 1.0),  # a held target beaten is held, not 0%
        ("up", 5, 5, 4, 0.0),
        ("down", 5, 5, 4, 1.0),
        ("down", 5, 5, 6, 0.0),
    ],
)
def test_progress_from_baseline_toward_target(direction, baseline, target, current, expected):
    assert progress(indicator(direction, baseline, target, current)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("baseline", "target", "current"), [(None, 20, 15), (10, None, 15), (10, 20, None)]
)
def test_progress_is_unknown_without_baseline_target_and_current(baseline, target, current):
    direction = "up" if target is not None else None
    node = Node(id="k", kind=Kind.INDICATOR, title="K", direction=direction, baseline=baseline, target=target,
                current=current)  # fmt: skip
    assert progress(node) is None


def test_traces_are_shortest_first_even_when_cut_short(plan_factory):
    plan = plan_factory(
        "goal g",
        "strategy s -> g",
        "indicator k1 -> s",
        "indicator k2 -> k1",
        "initiative i -> k2 s",
    )
    assert traces(plan, "i", limit=1) == [["i", "s", "g"]]
    assert traces(plan, "i") == [["i", "s", "g"], ["i", "k2", "k1", "s", "g"]]
