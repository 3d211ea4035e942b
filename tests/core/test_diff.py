"""The plan diff: what changed between two versions, and what it does to alignment."""

from __future__ import annotations

import dataclasses
from datetime import date

from alignment.core.analysis import Severity
from alignment.core.diff import diff_plans, link_fields, node_fields
from alignment.core.model import Node


def base(plan_factory, **fields):
    """goal g <- strategy s <- indicator k <- initiatives a, b; c supports nothing."""
    return plan_factory(
        "goal g",
        "strategy s -> g",
        "indicator k -> s",
        "initiative a -> k",
        "initiative b -> k",
        "initiative c",
        fields={"k": {"direction": "up", "target": 5}, **fields},
    )


def test_identical_plans_differ_in_nothing(plan_factory):
    change = diff_plans(base(plan_factory), base(plan_factory))
    assert change.is_empty
    assert not (change.findings_new or change.findings_resolved)
    assert not (change.alignment_lost or change.alignment_gained)
    assert change.coverage_before == change.coverage_after


def test_nodes_added_removed_and_changed_with_the_fields_that_changed(plan_factory):
    old = base(plan_factory)
    new = base(plan_factory, a={"status": "active", "effort": 3, "title": "A, renamed"})
    new.apply(new.remove_change("b"))
    new.add(Node(id="d", kind="initiative", title="New work"), supports=["k"])
    change = diff_plans(old, new)
    assert change.nodes_added == ("d",)
    assert change.nodes_removed == ("b",)
    assert [(c.id, c.fields) for c in change.nodes_changed] == [
        ("a", ("title", "status", "effort"))
    ]
    (changed,) = change.nodes_changed
    assert (changed.before.status, changed.after.status) == ("candidate", "active")
    assert not change.is_empty


def test_an_indicator_field_and_its_history_are_compared_like_any_field(plan_factory):
    old = base(plan_factory)
    new = base(plan_factory)
    new.apply(new.update_change(new.node("k").evolve(target=6)))
    new.apply(new.checkin_change("k", date(2026, 11, 2), 4))
    (changed,) = diff_plans(old, new).nodes_changed
    assert set(changed.fields) == {"target", "current", "history"}


def test_every_node_field_is_compared_so_new_fields_need_no_change_here():
    compared = set(node_fields())
    declared = {f.name for f in dataclasses.fields(Node) if f.compare}
    assert compared == declared - {"id"}
    assert {"kind", "title", "description", "owner", "status", "effort", "target"} <= compared
    assert {"effect", "confidence"} <= set(link_fields())
    assert not {"child", "parent", "rank"} & set(link_fields())


def test_links_added_removed_and_changed(plan_factory):
    old = base(plan_factory)
    old.link("c", "s", effect=2, confidence=0.5)
    old.apply(old.unlink_change("b", "k"))
    old.link("b", "k", effect=1, confidence=0.5)
    new = base(plan_factory)
    new.apply(new.unlink_change("a", "k"))
    new.link("a", "s")
    new.apply(new.unlink_change("b", "k"))
    new.link("b", "k", effect=1, confidence=0.9)
    change = diff_plans(old, new)
    assert [link.key for link in change.links_added] == [("a", "s")]
    assert [link.key for link in change.links_removed] == [("a", "k"), ("c", "s")]
    assert [(c.key, c.fields) for c in change.links_changed] == [(("b", "k"), ("confidence",))]
    (changed,) = change.links_changed
    assert (changed.before.confidence, changed.after.confidence) == (0.5, 0.9)


def test_a_dropped_link_makes_work_lose_its_goal_and_raises_a_new_error(plan_factory):
    old = base(plan_factory)
    new = base(plan_factory)
    new.apply(new.unlink_change("k", "s"))
    change = diff_plans(old, new)
    assert change.alignment_lost == ("k", "a", "b")
    assert change.alignment_gained == ()
    new_keys = {(f.rule, f.node) for f in change.findings_new}
    assert {("orphan-initiative", "a"), ("orphan-initiative", "b"), ("orphan-indicator", "k")} <= (
        new_keys
    )
    assert ("strategy-without-indicator", "s") in new_keys
    assert {f.node for f in change.new_errors} == {"a", "b"}
    assert all(f.severity is Severity.ERROR for f in change.new_errors)
    # c was unaligned before and after: it neither lost its goal nor raised a *new* finding.
    assert ("orphan-initiative", "c") not in new_keys
    assert change.coverage_before.aligned == 2
    assert change.coverage_after.aligned == 0
    assert (change.coverage_before.aligned_pct, change.coverage_after.aligned_pct) == (66.7, 0.0)


def test_linking_orphan_work_gains_a_goal_and_resolves_its_finding(plan_factory):
    old = base(plan_factory)
    new = base(plan_factory)
    new.link("c", "k")
    change = diff_plans(old, new)
    assert change.alignment_gained == ("c",)
    assert [(f.rule, f.node) for f in change.findings_resolved] == [("orphan-initiative", "c")]
    assert change.findings_new == ()
    assert change.new_errors == ()
    assert change.coverage_after.measured_pct == 100.0


def test_findings_are_matched_by_rule_and_node_not_by_message(plan_factory):
    # c supports nothing, then supports a strategy that reaches no goal: the message of its
    # orphan-initiative finding changes, the finding does not.
    old = plan_factory("goal g", "strategy s", "initiative c")
    new = plan_factory("goal g", "strategy s", "initiative c -> s")
    change = diff_plans(old, new)
    assert change.findings_new == () and change.findings_resolved == ()


def test_removed_nodes_findings_are_resolved_and_not_counted_as_lost(plan_factory):
    old = base(plan_factory)
    new = base(plan_factory)
    new.apply(new.remove_change("c"))
    new.apply(new.remove_change("a"))
    change = diff_plans(old, new)
    assert ("orphan-initiative", "c") in {(f.rule, f.node) for f in change.findings_resolved}
    assert change.alignment_lost == ()  # a is gone, not unaligned


def test_dropping_an_initiative_is_not_losing_its_goal(plan_factory):
    old = base(plan_factory)
    new = base(plan_factory, a={"status": "dropped"})
    new.apply(new.unlink_change("a", "k"))
    change = diff_plans(old, new)
    assert change.alignment_lost == ()
    assert change.new_errors == ()
    assert change.coverage_after.live_initiatives == 2


def test_renaming_the_plan_is_a_change(plan_factory):
    old = base(plan_factory)
    new = base(plan_factory)
    new.apply(new.edit_plan_change("Another name", "Now described"))
    change = diff_plans(old, new)
    assert change.plan_fields == ("name", "description")
    assert not change.is_empty


def test_a_strategy_forecast_that_moved_is_reported_with_both_sides(plan_factory):
    def plan(confidence):
        p = plan_factory(
            "goal g",
            "strategy s -> g",
            "strategy t -> g",
            "indicator k -> s",
            "initiative i",
            fields={
                "k": {"direction": "up", "baseline": 10, "current": 10, "target": 20},
                "i": {"status": "active"},
            },
        )
        p.link("i", "k", effect=10, confidence=confidence)
        p.apply(p.update_change(p.node("s").evolve(measure="k", change="+50%")))
        return p

    change = diff_plans(plan(1), plan(0.2))
    (moved,) = change.strategies
    assert moved.id == "s"
    assert (moved.before.expected, moved.after.expected) == (20, 12)
    assert (moved.before.short_by, moved.after.short_by) == (0, 3)
    assert diff_plans(plan(1), plan(1)).strategies == ()  # t has no measure: never listed
