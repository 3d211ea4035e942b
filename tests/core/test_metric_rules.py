"""The number-and-time findings of issue 9, each firing and not firing, around its thresholds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from alignment.core.analysis import findings, traces
from alignment.core.model import CheckIn, Kind, Link, Node
from alignment.core.plan import Plan

START = date(2026, 1, 1)
DUE = START + timedelta(days=100)  # 2026-04-11: one day is one point of the time elapsed


def metric_plan(**fields) -> Plan:
    """goal g <- strategy s <- indicator k <- initiative i, with ``fields`` on k."""
    plan = Plan("Metrics")
    plan.add(Node(id="g", kind=Kind.GOAL, title="G"))
    plan.add(Node(id="s", kind=Kind.STRATEGY, title="S"), supports=["g"])
    plan.add(Node(id="k", kind=Kind.INDICATOR, title="Signups", **fields), supports=["s"])
    plan.add(Node(id="i", kind=Kind.INITIATIVE, title="I"), supports=["k"])
    return plan


def fired(plan: Plan, rule: str, as_of: date) -> dict[str, str]:
    """``{node: message}`` of the findings of ``rule`` as of ``as_of``."""
    return {f.node: f.message for f in findings(plan, as_of=as_of) if f.rule == rule}


def rising(current: float, **more) -> dict:
    """An indicator from 0 to 100 over START..DUE, at ``current`` (checked in on START and on
    ``more['at']``, default START + 50 days)."""
    at = more.pop("at", START + timedelta(days=50))
    history = (CheckIn(START, 0), CheckIn(at, current))
    return {"direction": "up", "baseline": 0, "target": 100, "current": current, "due": DUE,
            "history": history, **more}  # fmt: skip


# -- overdue --------------------------------------------------------------------------------------


def test_overdue_fires_the_day_after_due_when_the_target_is_not_reached():
    plan = metric_plan(**rising(60, unit="%"))
    assert fired(plan, "overdue", DUE) == {}
    assert fired(plan, "overdue", DUE + timedelta(days=1)) == {
        "k": "was due 2026-04-11: k is 60%, the target 100%"
    }


def test_overdue_does_not_fire_once_the_target_is_reached():
    plan = metric_plan(**rising(100))
    assert fired(plan, "overdue", DUE + timedelta(days=30)) == {}


def test_overdue_judges_the_value_known_on_the_as_of_date():
    # Reached on DUE + 10: as of DUE + 5 it was still overdue; as of DUE + 10 no longer.
    plan = metric_plan(**rising(100, at=DUE + timedelta(days=10)))
    plan.apply(
        plan.update_change(
            plan.node("k").evolve(
                history=(
                    CheckIn(START, 0),
                    CheckIn(START + timedelta(days=50), 40),
                    CheckIn(DUE + timedelta(days=10), 100),
                )  # fmt: skip
            )
        )
    )
    assert "k" in fired(plan, "overdue", DUE + timedelta(days=5))
    assert fired(plan, "overdue", DUE + timedelta(days=10)) == {}


def test_an_indicator_without_a_value_is_not_judged_overdue():
    plan = metric_plan(direction="up", baseline=0, target=100, due=DUE)
    assert fired(plan, "overdue", DUE + timedelta(days=30)) == {}


# -- behind-schedule --------------------------------------------------------------------------------


def test_behind_schedule_fires_more_than_15_points_below_the_time_elapsed():
    as_of = START + timedelta(days=50)  # 50% of the time gone
    assert fired(metric_plan(**rising(35)), "behind-schedule", as_of) == {}  # exactly 15 below
    assert fired(metric_plan(**rising(34)), "behind-schedule", as_of) == {
        "k": "k is 34; at this date it should be about 50 to reach 100 by 2026-04-11 "
        "(34% of the way, 50% of the time gone since 2026-01-01)"
    }


def test_behind_schedule_speaks_in_the_indicators_unit_and_direction():
    # CAC from 41.4 down to 32 over START..DUE, 38 at 40% of the time: should be about 37.64.
    plan = metric_plan(
        direction="down", baseline=41.4, target=32, current=38, unit="USD", due=DUE,
        history=(CheckIn(START, 41.4), CheckIn(START + timedelta(days=40), 38)),
    )  # fmt: skip
    assert fired(plan, "behind-schedule", START + timedelta(days=40)) == {}  # 36% vs 40%
    message = fired(plan, "behind-schedule", START + timedelta(days=60))["k"]
    assert message.startswith("k is 38 USD; at this date it should be about 35.76 USD")
    assert "to reach 32 USD by 2026-04-11" in message


def test_behind_schedule_starts_at_since_else_the_first_checkin(plan_factory):
    # No check-in at all and no since: no start, no judgement.
    plan = metric_plan(direction="up", baseline=0, target=100, current=10, due=DUE)
    assert fired(plan, "behind-schedule", START + timedelta(days=90)) == {}
    # The first check-in starts the clock.
    plan = metric_plan(**rising(10, at=START + timedelta(days=80)))
    assert "k" in fired(plan, "behind-schedule", START + timedelta(days=80))
    # Before the start nothing is behind.
    assert fired(plan, "behind-schedule", START - timedelta(days=1)) == {}


def test_behind_schedule_is_judged_on_the_due_day_and_overdue_after_it():
    plan = metric_plan(**rising(50))
    assert set(fired(plan, "behind-schedule", DUE)) == {"k"}
    assert fired(plan, "overdue", DUE) == {}
    assert fired(plan, "behind-schedule", DUE + timedelta(days=1)) == {}
    assert set(fired(plan, "overdue", DUE + timedelta(days=1))) == {"k"}


# -- wrong-way and target-contradicts-direction ------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "current", "fires"),
    [
        ("up", 10, 9, True),
        ("up", 10, 10, False),
        ("up", 10, 11, False),
        ("down", 52, 55, True),
        ("down", 52, 52, False),
        ("down", 52, 49, False),
    ],
)
def test_wrong_way(direction, baseline, current, fires):
    plan = metric_plan(direction=direction, baseline=baseline, current=current, unit="%")
    found = fired(plan, "wrong-way", date(2026, 6, 1))
    assert ("k" in found) is fires
    if fires:
        better = "higher" if direction == "up" else "lower"
        assert found["k"] == (
            f"Signups went from {baseline}% to {current}%: the wrong way ({better} is better)"
        )


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "fires"),
    [
        ("up", 10, 8, True),
        ("up", 10, 10, False),  # a held target
        ("up", 10, 12, False),
        ("down", 52, 60, True),
        ("down", 52, 40, False),
    ],
)
def test_target_contradicts_direction(direction, baseline, target, fires):
    plan = metric_plan(direction=direction, baseline=baseline, target=target)
    found = fired(plan, "target-contradicts-direction", date(2026, 6, 1))
    assert ("k" in found) is fires
    if fires:
        side, better = ("below", "higher") if direction == "up" else ("above", "lower")
        assert found["k"] == (
            f"target {target} is {side} the baseline {baseline}, but {better} is better"
        )
        severity = [f.severity for f in findings(plan) if f.rule == "target-contradicts-direction"]
        assert severity == ["error"]


# -- counter-effect -------------------------------------------------------------------------------


def effect_plan(direction: str, effect: float, status: str = "planned") -> Plan:
    plan = Plan("Effects")
    plan.add(Node(id="g", kind=Kind.GOAL, title="G"))
    plan.add(
        Node(id="bounce", kind=Kind.INDICATOR, title="Bounce", direction=direction, unit="%"),
        supports=["g"],
    )
    plan.add(
        Node(id="pages", kind=Kind.INITIATIVE, title="Pages", status=status),
        supports=[Link("pages", "bounce", effect=effect, confidence=0.5)],
    )
    return plan


@pytest.mark.parametrize(
    ("direction", "effect", "fires"),
    [("down", 2, True), ("down", -2, False), ("up", -2, True), ("up", 2, False), ("up", 0, False)],
)
def test_counter_effect(direction, effect, fires):
    found = fired(effect_plan(direction, effect), "counter-effect", date(2026, 6, 1))
    assert ("pages" in found) is fires
    if fires:
        signed = f"+{effect}" if effect > 0 else str(effect)
        better = "higher" if direction == "up" else "lower"
        assert found["pages"] == f"expected to move bounce by {signed}%, but {better} is better"


def test_counter_effect_ignores_dropped_work():
    assert fired(effect_plan("down", 2, "dropped"), "counter-effect", date(2026, 6, 1)) == {}


# -- dropped work passes nothing on -------------------------------------------------------------------


def test_a_path_through_a_dropped_initiative_is_no_path(plan_factory):
    plan = plan_factory(
        "goal g",
        "initiative platform -> g",
        "initiative feature -> platform",
        fields={"platform": {"status": "dropped"}},
    )
    orphans = {f.node: f.message for f in findings(plan) if f.rule == "orphan-initiative"}
    assert orphans == {"feature": "supports only platform, which is dropped"}
    assert traces(plan, "feature") == []
    plan.apply(plan.status_change("platform", "planned"))
    assert traces(plan, "feature") == [["feature", "platform", "g"]]
    assert not [f for f in findings(plan) if f.rule == "orphan-initiative"]


def test_dropped_work_moves_nothing(plan_factory):
    plan = plan_factory(
        "goal g",
        "indicator k -> g",
        "initiative enabler -> k",
        "initiative feature -> enabler",
        fields={"enabler": {"status": "dropped"}, "k": {"direction": "up", "target": 1}},
    )
    assert [f.node for f in findings(plan) if f.rule == "unmoved-indicator"] == ["k"]
