"""The Markdown alignment map: what a reviewer reads in a pull request or a wiki."""

from __future__ import annotations

import re
from datetime import date

from alignment.core.analysis import alignment_of, coverage
from alignment.core.model import Kind, Node
from alignment.core.plan import Plan
from alignment.formats.markdown import plan_to_markdown

SECTIONS = [
    "Map",
    "Outline",
    "Metrics",
    "Initiatives",
    "Orphans and gaps",
    "Cancel candidates",
    "By owner",
]


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```$", text, flags=re.M | re.S)


def node_lines(block: str) -> dict[str, str]:
    """Diagram id -> the node definition line, for every node drawn in a flowchart."""
    return {
        m[1]: m[0]
        for m in re.finditer(r"^  (n\d+)[\[({].*$", block, flags=re.M)
        if "-->" not in m[0]
    }


def test_sections_come_in_a_fixed_order(plans, md):
    text = plan_to_markdown(plans.demo(), plans.as_of)
    assert md.headings(text, 1) == ["Alignment map: Demo plan"]
    assert md.headings(text, 2) == SECTIONS


def test_header_names_the_plan_date_and_summary(plans, md):
    plan = plans.demo()
    text = plan_to_markdown(plan, date(2027, 1, 15))
    head = text[: text.index("## Map")]
    assert "Line one.\n\nLine two." in head
    cover = coverage(plan)
    assert (
        "**As of 2027-01-15:** 2 goals, 2 strategies, 3 indicators, 7 initiatives · live "
        f"initiatives {cover.aligned_pct:g}% aligned, {cover.measured_pct:g}% measured"
    ) in head
    # Errors: memes, rewrite and the done "old" are orphaned; warnings: tool is unmeasured,
    # followers a vanity metric, sessions has no target, bounce overdue since 2026-06-30.
    assert "findings: 3 errors, 4 warnings, 0 info" in head


def _candidate_ids(md, part: str) -> dict[str, list[str]]:
    """Group heading -> the ids in its table."""
    found = {}
    for chunk in part.split("\n### ")[1:]:
        heading = chunk.splitlines()[0]
        (rows,) = md.tables(chunk)
        found[heading] = [re.search(r"\((\S+)\)$", row[0])[1] for row in rows[1:]]
    return found


def test_cancel_candidates_of_the_unit_economics_sample(plans, md):
    text = plan_to_markdown(plans.sample("unit-economics"), plans.as_of)
    part = md.section(text, "Cancel candidates")
    # Unaligned (daily-memes, frontend-rewrite) or unmeasured (analytics-tool); the dropped
    # chatbot is not a candidate (already cancelled), nor the mandatory PCI upgrade.
    assert _candidate_ids(md, part) == {
        "Unaligned work (2)": ["daily-memes", "frontend-rewrite"],
        "Unmeasured work (1)": ["analytics-tool"],
    }
    assert "would free an effort of **17**." in part
    assert "Serves no goal. Effort freed: **13**." in part
    assert "pci-upgrade" not in part


def test_work_whose_effects_reach_no_target_is_a_candidate_of_its_own(plans, md):
    text = plan_to_markdown(plans.sample("streaming-subscriptions"), plans.as_of)
    part = md.section(text, "Cancel candidates")
    # store-page-refresh moves store-page-conversion, which has no target.
    assert _candidate_ids(md, part) == {
        "Work with no expected contribution (1)": ["store-page-refresh"]
    }
    assert "Cancelling it would free an effort of **1**." in part


def test_cancel_candidates_count_missing_efforts_and_skip_finished_work(plans, md):
    part = md.section(plan_to_markdown(plans.demo(), plans.as_of), "Cancel candidates")
    assert _candidate_ids(md, part) == {
        "Unaligned work (2)": ["memes", "rewrite"],
        "Unmeasured work (1)": ["tool"],
        # Win-back emails support sessions with no effect: nothing expected of them.
        "Work with no expected contribution (1)": ["emails"],
    }
    assert "free an effort of **7** (and 1 initiative without an effort estimate)" in part
    assert "Already done, so nothing left to cancel: Old orphan, done (`old`)." in part


def test_no_cancel_candidates_says_so(md):
    plan = Plan("Clean")
    text = plan_to_markdown(plan, date(2026, 1, 1))
    assert "None: every live initiative moves an indicator that serves a goal." in text
    assert "No findings" in text
    assert md.headings(text, 2) == SECTIONS


def test_small_plan_is_one_diagram_with_generated_ids_and_marked_flaws(plans):
    plan = plans.demo()
    text = plan_to_markdown(plan, plans.as_of)
    (block,) = mermaid_blocks(text)
    nodes = node_lines(block)
    assert list(nodes) == [f"n{i}" for i in range(1, len(plan) + 1)]
    ids = {node.id: f"n{i}" for i, node in enumerate(plan.nodes(), start=1)}
    assert block.startswith("flowchart BT\n")
    assert nodes[ids["grow"]].startswith(f'  {ids["grow"]}{{{{"Grow revenue"')  # hexagon
    assert f"  class {ids['memes']},{ids['rewrite']},{ids['old']} orphan" in block
    assert f"  class {ids['followers']} vanity" in block
    assert f'  {ids["speed"]} -->|"-6% (conf. 0.6)"| {ids["bounce"]}' in block
    assert f"  {ids['bot']} -.->" in block  # dropped work: dotted link
    legend = text[text.index("**Legend:**") : text.index("## Outline")]
    assert "orphaned initiative (serves no goal): Daily memes (`memes`); Rewrite" in legend
    assert "vanity metric (an indicator that serves no goal): Followers (`followers`)." in legend


def test_large_plan_gets_one_diagram_per_goal_and_one_for_the_unaligned(plans, md):
    plan = plans.large()
    assert len(plan) > 60
    text = plan_to_markdown(plan, plans.as_of)
    maps = [h for h in md.headings(text, 3) if h.startswith("Map of")]
    assert maps == [
        "Map of Goal 0 (goal-0)",
        "Map of Goal 1 (goal-1)",
        "Map of Goal 2 (goal-2)",
        "Map of what serves no goal",
    ]
    blocks = mermaid_blocks(text)
    assert len(blocks) == 4
    ids = {node.id: f"n{i}" for i, node in enumerate(plan.nodes(), start=1)}
    drawn = [node_lines(block) for block in blocks]
    # The same node has the same diagram id everywhere; a node serving two goals is drawn in
    # both of their diagrams and marked as shared.
    assert ids["both"] in drawn[0] and ids["both"] in drawn[1] and ids["both"] not in drawn[2]
    assert all(re.search(rf"class .*\b{ids['both']}\b.* shared", b) for b in blocks[:2])
    unaligned = drawn[3]
    assert {ids["vanity"], ids["memes"], ids["lonely"], ids["work-0-0-0"]} <= set(unaligned)
    assert ids["goal-0"] not in unaligned
    assert "thick border: drawn in several diagrams" in text


def test_diagrams_of_big_goals_draw_the_nearest_nodes_and_say_what_is_left_out(plans):
    plan = plans.large(goals=1, per_goal=80)  # one goal served by 84 nodes
    text = plan_to_markdown(plan, plans.as_of)
    blocks = mermaid_blocks(text)
    goal_nodes = node_lines(blocks[0])
    assert len(goal_nodes) == 60
    ids = {node.id: f"n{i}" for i, node in enumerate(plan.nodes(), start=1)}
    # Breadth first: the strategy and every indicator are drawn before the work under them.
    assert {ids[f"ind-0-{i}"] for i in range(20)} <= set(goal_nodes)
    assert len(alignment_of(plan).aligned) == 84
    assert "Drawn: the 60 nearest of the 84 nodes that serve this goal" in text
    assert "not drawn" in goal_nodes[ids["ind-0-19"]]
    assert len(plan_to_markdown(plan, plans.as_of, split_above=200).split("```mermaid")) == 2


def test_outline_lists_a_shared_node_under_each_parent(plans, md):
    text = plan_to_markdown(plans.demo(), plans.as_of)
    outline = md.section(text, "Outline")
    lines = [line for line in outline.splitlines() if "(`sessions`)" in line]
    assert len(lines) == 2
    assert all("*shared* by 2 parents" in line for line in lines)
    assert "(`speed`)" in outline and "expected -6% (conf. 0.6)" in outline
    assert md.headings(outline, 3) == [
        "Goal: Grow revenue (grow)",
        "Goal: Keep customers (keep)",
        "Serving no goal",
    ]
    unaligned = outline[outline.index("### Serving no goal") :]
    for node_id in ("followers", "memes", "rewrite", "old"):
        assert f"(`{node_id}`)" in unaligned


def test_outline_shows_indicator_figures_progress_due_and_trend(plans):
    text = plan_to_markdown(plans.demo(), plans.as_of)
    line = next(
        line for line in text.splitlines() if line.lstrip().startswith("- **Indicator** Bounce")
    )
    assert "baseline 52 → now 49 → target 40%" in line
    assert "progress 25%" in line
    assert "due 2026-06-30 (overdue)" in line  # past due on the as-of date, target not reached
    assert "check-ins █▁" in line
    early = plan_to_markdown(plans.demo(), date(2026, 1, 1))
    assert "due 2026-06-30 ·" in early and "(overdue)" not in early


def test_tables_of_metrics_and_initiatives(plans, md):
    text = plan_to_markdown(plans.sample("unit-economics"), plans.as_of)
    (metrics,) = md.tables(md.section(text, "Metrics"))
    assert metrics[0] == [
        "Indicator", "Role", "Unit", "Better", "Baseline", "Current", "Target", "Progress",
        "Status", "Due", "Check-ins", "Owner",
    ]  # fmt: skip
    bounce = next(row for row in metrics if row[0].endswith("(bounce-rate)"))
    assert bounce[1:10] == [
        "leading", "%", "down", "52", "48.5", "40", "29.2%", "on track", "2027-03-31"
    ]  # fmt: skip
    assert bounce[11] == "Marketing"
    # The North Star is computed from its formula (LTV / CAC), shown as people read it.
    ratio = next(row for row in metrics if row[0].endswith("(ltv-to-cac)"))
    assert ratio[1] == "north-star" and ratio[4:7] == ["0.688", "0.731", "1"]


def test_the_north_star_and_goal_conditions_lead_the_summary(plans, md):
    text = plan_to_markdown(plans.sample("unit-economics"), plans.as_of)
    lines = [line for line in text.split("\n\n")[:8] if line.startswith("**")]
    assert lines[1].startswith("**North Star:** LTV to CAC ratio (`ltv-to-cac`): 0.731x now")
    assert lines[2].startswith("**Goal:** Break even on our unit economics")
    assert "`ltv >= cac` by 2027-06-30 · **not met** now (cac 39.8 USD, ltv 29.1 USD)" in lines[2]
    assert lines[2].endswith("**not met** once the committed work lands")
    (work,) = md.tables(md.section(text, "Initiatives"))
    assert work[0] == ["Initiative", "Status", "Owner", "Effort", "Supports", "Aligned", "Measured"]
    rows = {re.search(r"\((\S+)\)$", row[0])[1]: row[1:] for row in work[1:]}
    assert rows["analytics-tool"] == ["active", "Engineering", "4", "reduce-cac, increase-ltv", "yes", "no"]  # fmt: skip
    assert rows["frontend-rewrite"][-2:] == ["no", "no"]
    assert rows["landing-chatbot"][-2:] == ["—", "—"]  # dropped: out of the rules


def test_findings_are_grouped_by_severity(plans, md):
    text = plan_to_markdown(plans.sample("unit-economics"), plans.as_of)
    part = md.section(text, "Orphans and gaps")
    # As of 2026-11-23: LTV and the followers behind schedule, the goal and both strategies
    # short of their aims on the forecast; the PCI upgrade is mandatory work.
    assert md.headings(part, 3) == ["Errors (2)", "Warnings (7)", "Info (1)"]
    errors, warnings, infos = md.tables(part)
    assert [row[0] for row in errors[1:]] == ["orphan-initiative", "orphan-initiative"]
    assert {row[0] for row in warnings[1:]} == {
        "unmeasured-initiative",
        "orphan-indicator",
        "behind-schedule",
        "goal-not-forecast",
        "strategy-short",
    }
    assert [row[0] for row in infos[1:]] == ["mandatory-work"]


def test_by_owner_splits_co_owned_nodes(plans, md):
    text = plan_to_markdown(plans.demo(), plans.as_of)
    part = md.section(text, "By owner")
    assert md.headings(part, 3) == [
        "Owner: Exec",
        "Owner: Marketing",
        "Owner: Product",
        "Without an owner",
    ]
    marketing = part[part.index("### Owner: Marketing") : part.index("### Owner: Product")]
    assert "Sessions per week (`sessions`) · co-owned with Product" in marketing
    assert "serves Grow revenue (`grow`); Keep customers (`keep`)." in marketing
    assert "Followers (`followers`) | Indicator |" in part[part.index("### Without") :]


def test_same_plan_and_date_give_the_same_bytes(plans):
    for build in (plans.demo, plans.large, plans.hostile, lambda: plans.sample("unit-economics")):
        assert plan_to_markdown(build(), plans.as_of) == plan_to_markdown(build(), plans.as_of)


def test_a_sub_goal_and_its_work_appear_under_the_goal_it_serves(plans):
    plan = plans.demo()
    plan.add(Node(id="sub", kind=Kind.GOAL, title="A sub-goal"), supports=["grow"])
    plan.add(Node(id="work", kind=Kind.INITIATIVE, title="Work for the sub-goal"), supports=["sub"])
    text = plan_to_markdown(plan, plans.as_of)
    assert "- **Goal** A sub-goal (`sub`)" in text
    assert "  - **Initiative** Work for the sub-goal (`work`)" in text
