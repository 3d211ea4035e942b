"""Every export format behind one function, shared by the CLI and the TUI's export.

Each format's module is imported only when it is used, so a command stays quick to start.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from alignment.core.model import PlanError
from alignment.core.plan import Plan

if TYPE_CHECKING:
    from alignment.formats.brief import JournalLine

__all__ = ["EXPORT_FORMATS", "render"]

# format -> (what it is, file suffix)
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "yaml": ("YAML plan file", ".yaml"),
    "markdown": ("Markdown alignment map", ".md"),
    "json": ("JSON plan data", ".json"),
    "mermaid": ("Mermaid flowchart", ".mmd"),
    "dot": ("Graphviz DOT graph", ".dot"),
    "brief": ("Board brief (Markdown, one page)", ".md"),
}


def render(
    plan: Plan,
    fmt: str,
    as_of: date,
    *,
    since: date | None = None,
    journal: Sequence[JournalLine] = (),
    diagram: bool = False,
) -> str:
    """The plan as text in ``fmt`` (``as_of`` dates the Markdown map and the brief; ``since``,
    ``journal`` and ``diagram`` are the brief's: what changed since when, and a map)."""
    if fmt == "yaml":
        from alignment.formats.plan_file import write_plan

        return write_plan(plan)
    if fmt == "json":
        from alignment.formats.escape import json_text
        from alignment.formats.plan_file import plan_to_data

        return json_text(plan_to_data(plan), indent=2) + "\n"
    if fmt == "markdown":
        from alignment.formats.markdown import plan_to_markdown

        return plan_to_markdown(plan, as_of)
    if fmt == "mermaid":
        from alignment.formats.mermaid import plan_to_mermaid

        return plan_to_mermaid(plan)
    if fmt == "dot":
        from alignment.formats.dot import plan_to_dot

        return plan_to_dot(plan)
    if fmt == "brief":
        from alignment.formats.brief import plan_to_brief

        return plan_to_brief(plan, as_of, since=since, journal=journal, diagram=diagram)
    raise PlanError(f"unknown export format {fmt!r} (expected {', '.join(EXPORT_FORMATS)})")
