"""A Markdown linter (pymarkdownlnt) passes on every exported map.

The configuration is ``tests/formats/markdown-lint.json``, documented in
``tests/formats/README.md``. By hand::

    .venv/bin/pymarkdown --config tests/formats/markdown-lint.json scan map.md
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.core.plan import Plan
from alignment.formats.markdown import plan_to_markdown

pymarkdown_api = pytest.importorskip(
    "pymarkdown.api", reason="pymarkdownlnt is not installed (pip install -e '.[dev]')"
)

CONFIG = Path(__file__).resolve().parent / "markdown-lint.json"


@pytest.mark.parametrize(
    "name", ["unit-economics", "streaming-subscriptions", "demo", "hostile", "large", "empty"]
)
def test_exported_markdown_passes_the_linter(name, named_plan, plans):
    plan = Plan("Empty") if name == "empty" else named_plan(name)
    text = plan_to_markdown(plan, plans.as_of)
    api = pymarkdown_api.PyMarkdownApi().configuration_file_path(str(CONFIG))
    result = api.scan_string(text)
    problems = [
        f"line {f.line_number}:{f.column_number} {f.rule_id} {f.rule_description}"
        f"{f.extra_error_information}"
        for f in result.scan_failures
    ]
    assert not result.critical_errors and not result.pragma_errors
    assert problems == []


def test_the_linter_is_really_on():
    api = pymarkdown_api.PyMarkdownApi().configuration_file_path(str(CONFIG))
    result = api.scan_string("# Title\n\nSome <b>html</b>.\n- a list glued to a paragraph\n")
    assert {f.rule_id for f in result.scan_failures} >= {"MD033", "MD032"}
