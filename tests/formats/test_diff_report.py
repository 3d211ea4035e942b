"""The plan diff rendered: JSON for scripts, Markdown for a pull-request comment, text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alignment import cli
from alignment.core.diff import diff_plans
from alignment.core.model import Kind, Node
from alignment.formats.diff_report import (
    DIFF_FORMATS,
    diff_to_data,
    diff_to_markdown,
    diff_to_text,
    headline,
    render_diff,
)

CONFIG = Path(__file__).resolve().parent / "markdown-lint.json"


def edited(plan_factory):
    """Two versions: in the new one k no longer supports s (a, b lose their goal), a is
    renamed and active, c now supports k (gains a goal), d is new and x is gone."""
    spec = ("goal g", "strategy s -> g", "indicator k -> s", "initiative a -> k")
    fields = {"k": {"direction": "up", "target": 5}}
    old = plan_factory(*spec, "initiative b -> k", "initiative c", "initiative x", fields=fields)
    new = plan_factory(
        *spec,
        "initiative b -> k",
        "initiative c -> k",
        "initiative d -> s",
        fields={**fields, "a": {"title": "A renamed", "status": "active"}},
    )
    new.apply(new.unlink_change("k", "s"))
    return diff_plans(old, new)


def test_json_has_exactly_the_documented_shape(plan_factory):
    data = json.loads(render_diff(edited(plan_factory), "json", "HEAD~1:p.yaml", "p.yaml"))
    assert set(data) == {
        "old",
        "new",
        "plan",
        "nodes",
        "links",
        "findings",
        "alignment",
        "coverage",
        "forecast",
    }
    assert data["forecast"] == {"strategies": []}  # no strategy has a measure here
    assert data["old"] == {"source": "HEAD~1:p.yaml", "plan": "Test plan"}
    assert set(data["nodes"]) == {"added", "removed", "changed"}
    assert data["nodes"]["added"] == ["d"]
    assert data["nodes"]["removed"] == ["x"]
    assert data["nodes"]["changed"] == [
        {
            "id": "a",
            "fields": ["title", "status"],
            "before": {"title": "a", "status": "candidate"},
            "after": {"title": "A renamed", "status": "active"},
        }
    ]
    assert set(data["links"]) == {"added", "removed", "changed"}
    assert data["links"]["added"] == [["c", "k"], ["d", "s"]]
    assert data["links"]["removed"] == [["k", "s"]]
    assert set(data["findings"]) == {"new", "resolved"}
    for item in data["findings"]["new"] + data["findings"]["resolved"]:
        assert {"rule", "node"} <= set(item)
    new = {(f["rule"], f["node"]) for f in data["findings"]["new"]}
    assert {("orphan-initiative", "a"), ("orphan-initiative", "b")} <= new
    resolved = {(f["rule"], f["node"]) for f in data["findings"]["resolved"]}
    assert resolved == {("orphan-initiative", "x")}  # c is unaligned in the new plan too
    assert data["alignment"] == {"lost": ["k", "a", "b"], "gained": []}
    assert data["coverage"]["before"] == {
        "live_initiatives": 4,
        "aligned_pct": 50.0,
        "measured_pct": 50.0,
    }
    assert data["coverage"]["after"]["aligned_pct"] == 25.0  # only d, straight to s


def test_json_values_of_changed_fields_are_plain_data(plan_factory):
    from datetime import date

    old = plan_factory("goal g", "indicator k -> g", fields={"k": {"direction": "up"}})
    new = plan_factory("goal g", "indicator k -> g", fields={"k": {"direction": "up"}})
    new.apply(new.checkin_change("k", date(2026, 11, 2), 4.5))
    data = diff_to_data(diff_plans(old, new), "a", "b")
    (changed,) = data["nodes"]["changed"]
    assert changed["after"]["history"] == [{"at": "2026-11-02", "value": 4.5}]
    assert changed["before"] == {"current": None, "history": []}


def test_the_headline_says_which_kind_of_node_lost_its_goal(plan_factory):
    assert headline(edited(plan_factory)) == (
        "2 initiatives lost their goal; 1 indicator lost its goal; 2 new error findings."
    )
    same = diff_plans(plan_factory("goal g"), plan_factory("goal g"))
    assert headline(same) == "No change to the plan."
    retitled = diff_plans(
        plan_factory("goal g"), plan_factory("goal g", fields={"g": {"title": "G"}})
    )
    assert headline(retitled) == "No change to alignment."


def test_markdown_names_every_node_by_title_and_id(plan_factory, md):
    text = diff_to_markdown(edited(plan_factory), "HEAD~1:p.yaml", "HEAD:p.yaml")
    assert md.headings(text, 2) == ["Alignment diff: Test plan"]
    assert md.headings(text, 3) == [
        "Lost their path to a goal",
        "New findings",
        "Resolved findings",
        "Nodes",
        "Links",
    ]
    lost = next(t for t in md.tables(text) if t[0] == ["Node", "Kind", "Now supports"])
    assert lost[1:] == [
        ["A renamed (a)", "initiative", "k (k)"],
        ["b (b)", "initiative", "k (k)"],
        ["k (k)", "indicator", "nothing"],
    ]
    nodes = next(t for t in md.tables(text) if t[0][:2] == ["Change", "Node"] and "Kind" in t[0])
    assert ["removed", "x (x)", "initiative", "—"] in nodes
    assert [
        "changed",
        "A renamed (a)",
        "initiative",
        "title a → A renamed; status candidate → active",
    ] in nodes


def test_markdown_of_hostile_titles_renders_them_as_text_and_passes_the_linter(plans, md):
    pymarkdown_api = pytest.importorskip("pymarkdown.api")
    old = plans.hostile()
    new = plans.hostile()
    strategy = next(n for n in new.nodes(Kind.STRATEGY) if new.parents(n.id))
    new.apply(new.unlink_change(strategy.id, new.parents(strategy.id)[0].parent))
    new.add(Node(id="added", kind=Kind.INITIATIVE, title=plans.hostile_titles[5]), ["g0"])
    change = diff_plans(old, new)
    assert change.alignment_lost
    text = diff_to_markdown(change, "HEAD~1:plan.yaml", "HEAD:plan.yaml")
    cells = {cell for table in md.tables(text) for row in table for cell in row}
    for node_id in change.alignment_lost:
        node = new.node(node_id)
        assert f"{node.title.strip()} ({node.id})" in cells
    assert f"{plans.hostile_titles[5]} (added)" in cells
    assert "<script>" not in md.render(text)
    # A pull-request comment is a fragment: it need not open with a level-1 heading (MD041).
    api = (
        pymarkdown_api.PyMarkdownApi()
        .configuration_file_path(str(CONFIG))
        .disable_rule_by_identifier("md041")
    )
    result = api.scan_string(text)
    assert [f"{f.line_number} {f.rule_id} {f.rule_description}" for f in result.scan_failures] == []


def test_text_shows_each_change_on_its_own_line(plan_factory):
    text = diff_to_text(edited(plan_factory), "HEAD~1:p.yaml", "p.yaml")
    lines = text.splitlines()
    assert lines[0] == (
        "HEAD~1:p.yaml → p.yaml: 2 initiatives lost their goal; 1 indicator lost its goal; "
        "2 new error findings."
    )
    assert "  ~ initiative a  A renamed  (title a → A renamed, status candidate → active)" in lines
    assert "  - k → s" in lines
    assert "  + c → k" in lines
    assert "  - initiative a  A renamed  (lost its goal)" in lines
    assert "paths to a goal: 3 lost, 0 gained" in lines
    assert not [line for line in lines if line.startswith("alignment:")], "reads as an error"
    assert lines[-1] == "coverage: aligned 50% → 25%, measured 50% → 0% of live initiatives"


def test_the_cli_offers_every_diff_format():
    assert cli.DIFF_FORMATS == DIFF_FORMATS


def forecast_plans(plan_factory):
    """s is measured by k (aim 40, from 50); planned work i is expected to bring k to 40."""
    fields = {
        "k": {"direction": "down", "baseline": 50, "current": 50, "target": 40},
        "i": {"status": "planned"},
    }
    old = plan_factory(
        "goal g", "strategy s -> g", "indicator k -> s", "initiative i", fields=fields
    )
    old.link("i", "k", effect=-10, confidence=1)
    old.apply(old.update_change(old.node("s").evolve(measure="k", aim=40)))
    new = plan_factory(
        "goal g", "strategy s -> g", "indicator k -> s", "initiative i", fields=fields
    )
    new.link("i", "k", effect=-10, confidence=0.5)
    new.apply(new.update_change(new.node("s").evolve(measure="k", aim=40)))
    return diff_plans(old, new)


def test_a_strategy_forecast_to_miss_its_aim_is_in_every_format(plan_factory, md):
    change = forecast_plans(plan_factory)
    assert headline(change) == "1 strategy is now forecast to miss its aim."
    data = diff_to_data(change, "a", "b")
    assert data["forecast"]["strategies"] == [
        {
            "id": "s",
            "before": {"measure": "k", "aim": 40, "expected": 40, "short_by": 0},
            "after": {"measure": "k", "aim": 40, "expected": 45, "short_by": 5},
        }
    ]
    text = diff_to_text(change, "a", "b")
    assert "  s  expected 40 → 45 (aim 40), short by 0 → 5" in text.splitlines()
    markdown = diff_to_markdown(change, "a", "b")
    (table,) = [t for t in md.tables(markdown) if t[0][0] == "Strategy"]
    assert table[1:] == [["s (s)", "40", "40 → 45", "0 → 5"]]


def test_a_large_change_keeps_the_comment_short(plan_factory, md):
    old = plan_factory("goal g")
    new = plan_factory("goal g", *(f"initiative i{n} -> g" for n in range(120)))
    text = diff_to_markdown(diff_plans(old, new), "a", "b")
    tables = {t[0][0] + " " + t[0][2]: t for t in md.tables(text)}
    assert len(tables["Change Kind"]) == 1 + 50  # nodes added
    assert len(tables["Change Supports"]) == 1 + 50  # links added
    # nodes added, links added, and their findings (unmeasured: straight to the goal)
    assert text.count("And 70 more: `alignment diff --format json` lists them all.") == 3
    assert len(text) < 65536
