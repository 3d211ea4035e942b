"""Golden files: the exact bytes of each export of each plan, reviewed like code.

A change to an exporter that changes its output fails here until the golden files are
regenerated on purpose and the diff is reviewed in the same commit::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/formats/test_golden.py
    git diff tests/formats/golden/

Regenerating never happens by itself: without UPDATE_GOLDEN the test only compares.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.formats.dot import plan_to_dot
from alignment.formats.markdown import plan_to_markdown
from alignment.formats.mermaid import plan_to_mermaid

GOLDEN = Path(__file__).resolve().parent / "golden"
PLANS = ["unit-economics", "streaming-subscriptions", "demo", "hostile", "large"]
FORMATS = ["md", "mmd", "dot"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", PLANS)
def test_export_matches_its_golden_file(name, fmt, named_plan, plans):
    plan = named_plan(name)
    exporters = {
        "md": lambda: plan_to_markdown(plan, plans.as_of),
        "mmd": lambda: plan_to_mermaid(plan),
        "dot": lambda: plan_to_dot(plan),
    }
    actual = exporters[fmt]().encode("utf-8")
    path = GOLDEN / f"{name}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        if not path.exists() or path.read_bytes() != actual:
            path.write_bytes(actual)
            pytest.skip(f"rewrote {path.name}: review the diff before committing")
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_bytes(), (
        f"{name} exported as {fmt} differs from {path.name}; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 and review the diff"
    )


@pytest.mark.parametrize("fmt", ["markdown", "mermaid", "dot"])
@pytest.mark.parametrize("name", ["unit-economics", "streaming-subscriptions"])
def test_cli_export_of_an_imported_sample_matches_its_golden_file(
    name, fmt, plans, fresh_db, tmp_path
):
    """`alignment import` then `alignment export --format F -o FILE`: through the database
    and back, the map is the same bytes as exporting the plan file directly."""
    runner = CliRunner()
    sample = plans.repo / "sample_plans" / f"{name}.yaml"
    imported = runner.invoke(main, ["import", str(sample), "--db", fresh_db])
    assert imported.exit_code == 0, imported.output
    target = tmp_path / "map.out"
    args = ["export", "--db", fresh_db, "--format", fmt, "-o", str(target)]
    exported = runner.invoke(main, [*args, "--date", plans.as_of.isoformat()])
    assert exported.exit_code == 0, exported.output
    suffix = {"markdown": "md", "mermaid": "mmd", "dot": "dot"}[fmt]
    assert target.read_bytes() == (GOLDEN / f"{name}.{suffix}").read_bytes()
