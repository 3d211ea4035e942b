"""The board brief: one page the board reads as is (golden files on both samples, lint clean,
no node ids, no HTML entities, no diagram unless asked)."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.formats.brief import JournalLine, plan_to_brief

GOLDEN = Path(__file__).resolve().parent / "golden"
SINCE = date(2026, 10, 15)
SAMPLES = ["unit-economics", "streaming-subscriptions"]
HEADINGS = [
    "Where we stand",
    "Strategies",
    "Needs attention",
    "What changed since 2026-10-15",
    "What we stop",
    "What we ask for",
]


@pytest.mark.parametrize("name", SAMPLES)
def test_brief_matches_its_golden_file(name, plans):
    actual = plan_to_brief(plans.sample(name), plans.as_of, since=SINCE).encode("utf-8")
    path = GOLDEN / f"brief-{name}.md"
    if os.environ.get("UPDATE_GOLDEN") == "1" and (
        not path.exists() or path.read_bytes() != actual
    ):
        path.write_bytes(actual)
        pytest.skip(f"rewrote {path.name}: review the diff before committing")
    assert actual == path.read_bytes(), f"regenerate {path.name} with UPDATE_GOLDEN=1 and review"


@pytest.mark.parametrize("name", [*SAMPLES, "demo", "hostile", "large"])
def test_brief_reads_without_ids_entities_or_diagram(name, named_plan, plans, md):
    plan = named_plan(name)
    text = plan_to_brief(plan, plans.as_of, since=SINCE)
    assert md.headings(text, 2) == HEADINGS
    assert not re.search(r"&[a-z]+;|&#\d+;", text)
    assert "```" not in text and "mermaid" not in text
    # No code spans (ids are the tool's words, titles the board's); a title's backticks escaped.
    assert not re.search(r"(?<!\\)`", text)
    words = set(re.findall(r"[a-z0-9][a-z0-9-]*[a-z0-9]", text))
    titles = " ".join(node.title.lower() for node in plan.nodes())
    ids = {node.id for node in plan.nodes() if "-" in node.id and node.id not in titles}
    assert words.isdisjoint(ids), words & ids


@pytest.mark.parametrize("name", [*SAMPLES, "hostile"])
def test_brief_passes_the_markdown_linter(name, named_plan, plans):
    pymarkdown_api = pytest.importorskip("pymarkdown.api")
    config = Path(__file__).resolve().parent / "markdown-lint.json"
    text = plan_to_brief(named_plan(name), plans.as_of, since=SINCE, diagram=True)
    result = pymarkdown_api.PyMarkdownApi().configuration_file_path(str(config)).scan_string(text)
    assert [f"{f.line_number} {f.rule_id}" for f in result.scan_failures] == []


def test_the_answer_of_the_unit_economics_brief(plans):
    text = plan_to_brief(plans.sample("unit-economics"), plans.as_of, since=SINCE)
    assert (
        "- **Goal:** Break even on our unit economics (CAC \\<= LTV) by 2027-06-30: Customer "
        "lifetime value (gross margin, 24 months) \\>= Customer acquisition cost (blended, "
        "trailing 90 days) is **not met** now and **not met** once the committed work lands."
    ) in text
    assert "| Reduce CAC by 20% | Customer acquisition cost (blended, trailing 90 days) | " in text
    assert "Stopping 3 initiatives would free an effort of 17." in text
    assert "- Reduce CAC by 20% is short by 5.96 USD: fund or find work worth" in text
    assert "Upgrade the payment library" not in text.split("## What we stop")[1]  # mandatory


def test_diagram_only_when_asked(plans):
    text = plan_to_brief(plans.sample("unit-economics"), plans.as_of, diagram=True)
    assert "## Map\n\n```mermaid\nflowchart BT\n" in text


def test_journal_entries_after_the_date_name_titles_not_ids(plans):
    plan = plans.sample("unit-economics")
    journal = [
        JournalLine(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "ana", "edit cac: target"),
        JournalLine(datetime(2026, 11, 1, 9, 0, tzinfo=UTC), "ana", "add page-speed"),
        JournalLine(datetime(2026, 11, 21, 9, 0, tzinfo=UTC), "ana", "check-in cac: 39 on x"),
    ]
    text = plan_to_brief(plan, plans.as_of, since=date(2026, 11, 10), journal=journal)
    changes = text.split("## What changed since 2026-11-10")[1].split("##")[0]
    assert "- 2026-11-20: ana: edit Customer acquisition cost (blended, trailing 90 days): " in (
        changes
    )
    assert "Page Speed" not in changes  # before the date
    assert "check-in" not in changes  # check-ins are listed on the day they were measured


def test_export_brief_through_the_cli(plans, fresh_db, tmp_path):
    runner = CliRunner()
    sample = plans.repo / "sample_plans" / "streaming-subscriptions.yaml"
    assert runner.invoke(main, ["import", str(sample), "--db", fresh_db]).exit_code == 0
    out = tmp_path / "brief.md"
    result = runner.invoke(
        main,
        ["export", "--db", fresh_db, "--format", "brief", "--date", plans.as_of.isoformat(),
         "--since", SINCE.isoformat(), "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = (GOLDEN / "brief-streaming-subscriptions.md").read_text(encoding="utf-8")
    # The import is journalled today, after the as-of date: the page is the golden one.
    assert out.read_text(encoding="utf-8") == expected
    refused = runner.invoke(main, ["export", "--db", fresh_db, "--diagram"])
    assert refused.exit_code == 2
    assert "--since and --diagram are options of --format brief" in refused.output
