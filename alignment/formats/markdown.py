"""The alignment map in GitHub-flavoured Markdown: the picture a CTO sends to the board.

``plan_to_markdown(plan, as_of)`` is a pure function: the same plan and date give the same bytes.
Sections: header and summary, the Mermaid map (one diagram, or one per goal plus one for what
serves no goal on large plans), the outline, metric and initiative tables, findings with the
cancel candidates, and the view by owner.

>>> from datetime import date
>>> from alignment.core.model import Kind, Node
>>> plan = Plan("Demo")
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = plan.add(Node(id="hunch", kind=Kind.INITIATIVE, title="A *hunch*", effort=3))
>>> text = plan_to_markdown(plan, date(2026, 11, 23))
>>> print(text.splitlines()[0])
# Alignment map: Demo
>>> "| A \\\\*hunch\\\\* (`hunch`) | orphaned: serves no goal | candidate |" in text
True
"""

from __future__ import annotations

from datetime import date

from alignment.core.analysis import Severity, coverage
from alignment.core.model import Kind, Node, Status
from alignment.core.plan import Plan
from alignment.formats.escape import md_code, md_inline, md_paragraphs
from alignment.formats.map_facts import MapFacts, facts_of, format_number
from alignment.formats.markdown_blocks import (
    indicator_figures,
    node_ref,
    percent,
    plural,
    table,
)
from alignment.formats.markdown_map import map_section
from alignment.formats.markdown_outline import outline_section, owners_section

__all__ = ["SPLIT_ABOVE", "plan_to_markdown"]

SPLIT_ABOVE = 60  # above this many nodes, one diagram per goal plus one for the unaligned


def plan_to_markdown(plan: Plan, as_of: date, *, split_above: int = SPLIT_ABOVE) -> str:
    """The whole alignment map as one Markdown document, ending with a newline."""
    facts = facts_of(plan, as_of)
    blocks = _header(facts, as_of)
    blocks += map_section(facts, split_above)
    blocks += outline_section(facts, as_of)
    blocks += _tables_section(facts, as_of)
    blocks += _findings_section(facts)
    blocks += _cancel_section(facts)
    blocks += owners_section(facts)
    return "\n\n".join(blocks) + "\n"


def _header(facts: MapFacts, as_of: date) -> list[str]:
    plan = facts.plan
    counts = plan.counts()
    kinds = ", ".join(plural(counts[kind], str(kind)) for kind in Kind)
    cover = coverage(plan, facts.alignment)
    severities = [finding.severity for finding in facts.findings]
    found = ", ".join(plural(severities.count(s), str(s)) for s in Severity)
    if cover.aligned_pct is None or cover.measured_pct is None:
        covered = "no live initiatives yet"
    else:
        covered = (
            f"live initiatives {percent(cover.aligned_pct)} aligned, "
            f"{percent(cover.measured_pct)} measured"
        )
    summary = f"**As of {as_of.isoformat()}:** {kinds} · {covered} · findings: {found}"
    return [
        f"# Alignment map: {md_inline(plan.name.strip())}",
        *md_paragraphs(plan.description or ""),
        summary,
    ]


def _tables_section(facts: MapFacts, as_of: date) -> list[str]:
    plan = facts.plan
    blocks = ["## Metrics"]
    metric_rows = []
    for node in plan.nodes(Kind.INDICATOR):
        figures = indicator_figures(node, as_of)
        metric_rows.append(
            [
                node_ref(node),
                md_inline(node.unit or ""),
                str(node.direction or ""),
                *(
                    format_number(value) if value is not None else ""
                    for value in (node.baseline, node.current, node.target)
                ),
                figures["progress"],
                figures["due"],
                figures["check-ins"],
                md_inline(node.owner or ""),
            ]
        )
    headers = ["Indicator", "Unit", "Better", "Baseline", "Current", "Target", "Progress"]
    headers += ["Due", "Check-ins", "Owner"]
    blocks.append(table(headers, metric_rows) if metric_rows else "No indicators yet.")
    blocks.append("## Initiatives")
    rows = []
    for node in plan.nodes(Kind.INITIATIVE):
        live = node.is_live
        rows.append(
            [
                node_ref(node),
                str(node.status),
                md_inline(node.owner or ""),
                format_number(node.effort) if node.effort is not None else "",
                ", ".join(md_code(link.parent) for link in plan.parents(node.id)),
                _yes_no(node.id in facts.alignment.aligned) if live else "",
                _yes_no(node.id in facts.alignment.measured) if live else "",
            ]
        )
    headers = ["Initiative", "Status", "Owner", "Effort", "Supports", "Aligned", "Measured"]
    blocks.append(table(headers, rows) if rows else "No initiatives yet.")
    return blocks


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "**no**"


def _findings_section(facts: MapFacts) -> list[str]:
    blocks = ["## Orphans and gaps"]
    if not facts.findings:
        blocks.append("No findings: every initiative serves a goal through an indicator.")
    plan = facts.plan
    for severity in Severity:
        found = [f for f in facts.findings if f.severity is severity]
        if not found:
            continue
        blocks.append(f"### {severity.heading} ({len(found)})")
        rows = [[md_code(f.rule), node_ref(plan.node(f.node)), md_inline(f.message)] for f in found]
        blocks.append(table(["Rule", "Node", "Message"], rows))
    return blocks


def _cancel_section(facts: MapFacts) -> list[str]:
    """Live initiatives the alignment would cancel: orphaned or unmeasured, with the effort freed."""
    plan = facts.plan
    blocks = ["## Cancel candidates"]
    candidates: list[tuple[Node, str]] = []
    finished: list[Node] = []
    for node in plan.nodes(Kind.INITIATIVE):
        if facts.is_orphan(node):
            why = "orphaned: serves no goal"
        elif facts.is_unmeasured(node):
            why = "unmeasured: no indicator shows whether it worked"
        else:
            continue
        (finished.append(node) if node.status is Status.DONE else candidates.append((node, why)))
    if not candidates:
        blocks.append("None: every live initiative serves a goal through an indicator.")
    else:
        efforts = [node.effort for node, _why in candidates if node.effort is not None]
        missing = len(candidates) - len(efforts)
        freed = f"**{format_number(sum(efforts))}**" + (
            f" (and {plural(missing, 'initiative')} without an effort estimate)" if missing else ""
        )
        blocks.append(
            f"{plural(len(candidates), 'live initiative')} would be cancelled or rethought: "
            f"orphaned work serves no goal, unmeasured work reaches one through no indicator. "
            f"Cancelling them would free an effort of {freed}."
        )
        rows = [
            [
                node_ref(node),
                why,
                str(node.status),
                md_inline(node.owner or ""),
                format_number(node.effort) if node.effort is not None else "",
            ]
            for node, why in candidates
        ]
        blocks.append(table(["Initiative", "Why", "Status", "Owner", "Effort"], rows))
    if finished:
        names = "; ".join(node_ref(node) for node in finished)
        blocks.append(f"Already done, so nothing left to cancel: {names}.")
    return blocks
