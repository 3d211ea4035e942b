"""A plan diff as text (a terminal), JSON (scripts) or Markdown (a pull-request comment).

Pure functions from a ``PlanDiff`` to text. Every piece of user text in Markdown goes through
``alignment.formats.escape``; in text it is printed only when it holds no control character.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from enum import Enum
from typing import Any

from alignment.core.analysis import Coverage, Finding
from alignment.core.diff import LinkChange, NodeChange, PlanDiff, StrategyChange
from alignment.core.forecast import StrategyForecast
from alignment.core.model import Kind, Link
from alignment.formats.escape import json_text, md_code, md_inline, printable
from alignment.formats.map_facts import format_number
from alignment.formats.markdown_blocks import node_ref, percent, plural, table

__all__ = [
    "DIFF_FORMATS",
    "diff_to_data",
    "diff_to_json",
    "diff_to_markdown",
    "diff_to_text",
    "headline",
    "render_diff",
]

DIFF_FORMATS = ("text", "json", "markdown")
_ARROW = "→"
_SHORT = 60  # longer values (or several lines) are named as changed, not shown
# Rows per Markdown table: a pull-request comment stays readable (and under GitHub's 65,536
# characters) when a change touches thousands of nodes.
MAX_ROWS = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# -- values -----------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, Enum) else value
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list | frozenset | set):
        return [_jsonable(item) for item in value]
    return str(value)


def _short(value: Any) -> str | None:
    """A field value short enough to show inline, or None when it is only named as changed."""
    if value is None:
        return "none"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return f"{len(value)} {'entry' if len(value) == 1 else 'entries'}"
    if isinstance(value, str) and len(value) <= _SHORT and not _CONTROL.search(value):
        return value
    return None


def _field_changes(names: tuple[str, ...], before: Any, after: Any) -> list[tuple[str, str]]:
    """(field, "old → new") for each changed field; the values are left out when long."""
    parts = []
    for name in names:
        old, new = _short(getattr(before, name)), _short(getattr(after, name))
        parts.append((name, "" if old is None or new is None else f"{old} {_ARROW} {new}"))
    return parts


# -- JSON --------------------------------------------------------------------------------------


def _finding_data(finding: Finding) -> dict[str, str]:
    return finding.as_dict()


def _coverage_data(cover: Coverage) -> dict[str, Any]:
    return {
        "live_initiatives": cover.live_initiatives,
        "aligned_pct": cover.aligned_pct,
        "measured_pct": cover.measured_pct,
    }


def diff_to_data(diff: PlanDiff, old_label: str, new_label: str) -> dict[str, Any]:
    """The diff as plain data (the ``--format json`` shape)."""

    def changed_node(change: NodeChange) -> dict[str, Any]:
        return {
            "id": change.id,
            "fields": list(change.fields),
            "before": {n: _jsonable(getattr(change.before, n)) for n in change.fields},
            "after": {n: _jsonable(getattr(change.after, n)) for n in change.fields},
        }

    def changed_link(change: LinkChange) -> dict[str, Any]:
        return {
            "child": change.after.child,
            "parent": change.after.parent,
            "fields": list(change.fields),
            "before": {n: _jsonable(getattr(change.before, n)) for n in change.fields},
            "after": {n: _jsonable(getattr(change.after, n)) for n in change.fields},
        }

    return {
        "old": {"source": old_label, "plan": diff.old.name},
        "new": {"source": new_label, "plan": diff.new.name},
        "plan": {"changed": list(diff.plan_fields)},
        "nodes": {
            "added": list(diff.nodes_added),
            "removed": list(diff.nodes_removed),
            "changed": [changed_node(change) for change in diff.nodes_changed],
        },
        "links": {
            "added": [list(link.key) for link in diff.links_added],
            "removed": [list(link.key) for link in diff.links_removed],
            "changed": [changed_link(change) for change in diff.links_changed],
        },
        "findings": {
            "new": [_finding_data(f) for f in diff.findings_new],
            "resolved": [_finding_data(f) for f in diff.findings_resolved],
        },
        "alignment": {"lost": list(diff.alignment_lost), "gained": list(diff.alignment_gained)},
        "coverage": {
            "before": _coverage_data(diff.coverage_before),
            "after": _coverage_data(diff.coverage_after),
        },
        "forecast": {
            "strategies": [
                {
                    "id": change.id,
                    "before": _strategy_data(change.before),
                    "after": _strategy_data(change.after),
                }
                for change in diff.strategies
            ]
        },
    }


def _strategy_data(forecast: StrategyForecast | None) -> dict[str, Any] | None:
    if forecast is None:
        return None
    return {
        "measure": forecast.measure,
        "aim": forecast.aim,
        "expected": forecast.expected,
        "short_by": forecast.short_by,
    }


def diff_to_json(diff: PlanDiff, old_label: str, new_label: str) -> str:
    return json_text(diff_to_data(diff, old_label, new_label), indent=2) + "\n"


# -- headline (shared by text and Markdown) --------------------------------------------------------


def _by_kind(diff: PlanDiff, ids: tuple[str, ...]) -> list[tuple[Kind, int]]:
    counts = dict.fromkeys(Kind, 0)
    for node_id in ids:
        counts[diff.node(node_id).kind] += 1
    # Initiatives first: the work that lost its reason is what a reviewer must see.
    return [(kind, counts[kind]) for kind in reversed(Kind) if counts[kind]]


def _short_by(forecast: StrategyForecast | None) -> float | None:
    return None if forecast is None else forecast.short_by


def _aims_crossed(diff: PlanDiff) -> tuple[int, int]:
    """How many strategies went from reaching their aim to missing it, and the other way."""
    missing = reaching = 0
    for change in diff.strategies:
        before, after = _short_by(change.before), _short_by(change.after)
        if before == 0 and after is not None and after > 0:
            missing += 1
        elif after == 0 and before is not None and before > 0:
            reaching += 1
    return missing, reaching


def _figure(value: float | None) -> str:
    return "unknown" if value is None else format_number(round(value, 2))


def _moved(change: StrategyChange, name: str) -> str:
    """One figure of a strategy's forecast, before → after ("—" where there is none)."""
    before = "—" if change.before is None else _figure(getattr(change.before, name))
    after = "—" if change.after is None else _figure(getattr(change.after, name))
    return before if before == after else f"{before} {_ARROW} {after}"


def headline(diff: PlanDiff) -> str:
    """One sentence: what the change does to alignment ("2 initiatives lost their goal")."""
    if diff.is_empty:
        return "No change to the plan."
    parts = []
    for kind, count in _by_kind(diff, diff.alignment_lost):
        verb = "lost its goal" if count == 1 else "lost their goal"
        parts.append(f"{plural(count, str(kind))} {verb}")
    for kind, count in _by_kind(diff, diff.alignment_gained):
        verb = "now reaches a goal" if count == 1 else "now reach a goal"
        parts.append(f"{plural(count, str(kind))} {verb}")
    missing, reaching = _aims_crossed(diff)
    if missing:
        verb = (
            "is now forecast to miss its aim"
            if missing == 1
            else "are now forecast to miss their aim"
        )
        parts.append(f"{plural(missing, 'strategy')} {verb}")
    if reaching:
        verb = (
            "is now forecast to reach its aim"
            if reaching == 1
            else "are now forecast to reach their aim"
        )
        parts.append(f"{plural(reaching, 'strategy')} {verb}")
    errors = len(diff.new_errors)
    if errors:
        parts.append(f"{plural(errors, 'new error finding')}")
    if not parts:
        return "No change to alignment."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def _coverage_line(before: Coverage, after: Coverage) -> str:
    def pct(cover: Coverage, value: float | None) -> str:
        return "n/a" if value is None else percent(value)

    return (
        f"aligned {pct(before, before.aligned_pct)} {_ARROW} {pct(after, after.aligned_pct)}, "
        f"measured {pct(before, before.measured_pct)} {_ARROW} {pct(after, after.measured_pct)} "
        "of live initiatives"
    )


# -- text --------------------------------------------------------------------------------------


def diff_to_text(diff: PlanDiff, old_label: str, new_label: str) -> str:
    """For a terminal: one line per change, grouped, with a headline and the coverage."""
    out = [f"{printable(old_label)} {_ARROW} {printable(new_label)}: {headline(diff)}"]

    def node_line(mark: str, node_id: str, detail: str = "") -> str:
        node = diff.node(node_id)
        line = f"  {mark} {node.kind:<10} {node.id}  {printable(node.title)}"
        return f"{line}  ({detail})" if detail else line

    if diff.plan_fields:
        out.append("plan: " + ", ".join(f"{name} changed" for name in diff.plan_fields))
    if diff.nodes_added or diff.nodes_removed or diff.nodes_changed:
        out.append(
            f"nodes: {len(diff.nodes_added)} added, {len(diff.nodes_removed)} removed, "
            f"{len(diff.nodes_changed)} changed"
        )
        out += [node_line("+", node_id) for node_id in diff.nodes_added]
        out += [node_line("-", node_id) for node_id in diff.nodes_removed]
        for change in diff.nodes_changed:
            fields = _field_changes(change.fields, change.before, change.after)
            detail = ", ".join(printable(f"{name} {values}".strip()) for name, values in fields)
            out.append(node_line("~", change.id, detail))
    if diff.links_added or diff.links_removed or diff.links_changed:
        out.append(
            f"links: {len(diff.links_added)} added, {len(diff.links_removed)} removed, "
            f"{len(diff.links_changed)} changed"
        )
        out += [f"  + {link.child} {_ARROW} {link.parent}" for link in diff.links_added]
        out += [f"  - {link.child} {_ARROW} {link.parent}" for link in diff.links_removed]
        for lc in diff.links_changed:
            fields = _field_changes(lc.fields, lc.before, lc.after)
            detail = ", ".join(f"{name} {values}".strip() for name, values in fields)
            out.append(f"  ~ {lc.after.child} {_ARROW} {lc.after.parent}  ({detail})")
    if diff.findings_new or diff.findings_resolved:
        out.append(
            f"findings: {len(diff.findings_new)} new, {len(diff.findings_resolved)} resolved"
        )
        for mark, found in (("+", diff.findings_new), ("-", diff.findings_resolved)):
            out += [
                f"  {mark} {f.severity:<7} {f.rule}  {f.node}  {printable(f.message)}"
                for f in found
            ]
    if diff.alignment_lost or diff.alignment_gained:
        out.append(
            # Not "alignment: ...": at the start of a line that reads as the tool's error prefix.
            f"paths to a goal: {len(diff.alignment_lost)} lost, {len(diff.alignment_gained)} gained"
        )
        lost, gained = diff.alignment_lost, diff.alignment_gained
        out += [node_line("-", i, "lost its goal") for i in _work_first(diff, lost)]
        out += [node_line("+", i, "reaches a goal") for i in _work_first(diff, gained)]
    out.append("coverage: " + _coverage_line(diff.coverage_before, diff.coverage_after))
    if diff.strategies:
        out.append("forecast of committed work, by strategy:")
        for strategy in diff.strategies:
            out.append(
                f"  {strategy.id}  expected {_moved(strategy, 'expected')} "
                f"(aim {_moved(strategy, 'aim')}), short by {_moved(strategy, 'short_by')}"
            )
    return "\n".join(out) + "\n"


# -- Markdown ----------------------------------------------------------------------------------


def _work_first(diff: PlanDiff, ids: tuple[str, ...]) -> list[str]:
    """Initiatives first, then indicators, strategies, goals; plan order within a kind."""
    return sorted(ids, key=lambda node_id: -diff.node(node_id).kind.rank)


def _ref(diff: PlanDiff, node_id: str) -> str:
    return node_ref(diff.node(node_id))


def _link_cells(diff: PlanDiff, link: Link) -> list[str]:
    return [_ref(diff, link.child), _ref(diff, link.parent)]


def _finding_rows(diff: PlanDiff, found: tuple[Finding, ...], gone: bool) -> list[list[str]]:
    rows = []
    for f in found:
        note = md_inline(f.message)
        if gone and f.node not in diff.new:
            note += " (node removed)"
        rows.append([str(f.severity), md_code(f.rule), _ref(diff, f.node), note])
    return rows


def _detail(fields: list[tuple[str, str]]) -> str:
    return "; ".join(
        md_code(name) + (f" {md_inline(values)}" if values else "") for name, values in fields
    )


def diff_to_markdown(diff: PlanDiff, old_label: str, new_label: str) -> str:
    """For a pull-request comment: a headline, then tables; every node by title and id."""
    out = [
        f"## Alignment diff: {md_inline(diff.new.name)}",
        "",
        f"**{md_inline(headline(diff))}**",
        "",
        f"{md_code(old_label)} {_ARROW} {md_code(new_label)}",
    ]

    def section(title: str, headers: list[str], rows: list[list[str]]) -> None:
        if rows:
            out.extend(["", f"### {title}", "", table(headers, rows[:MAX_ROWS])])
            if len(rows) > MAX_ROWS:
                more = len(rows) - MAX_ROWS
                out.extend(["", f"And {more} more: `alignment diff --format json` lists them all."])

    before, after = diff.coverage_before, diff.coverage_after

    def pct(cover: Coverage, value: float | None) -> str:
        return "n/a" if value is None else percent(value)

    out += [
        "",
        table(
            ["Live initiatives", "Before", "After"],
            [
                ["count", str(before.live_initiatives), str(after.live_initiatives)],
                ["aligned", pct(before, before.aligned_pct), pct(after, after.aligned_pct)],
                ["measured", pct(before, before.measured_pct), pct(after, after.measured_pct)],
            ],
        ),
    ]
    lost_rows = []
    for node_id in _work_first(diff, diff.alignment_lost):
        parents = [link.parent for link in diff.new.parents(node_id)]
        supports = ", ".join(_ref(diff, parent) for parent in parents) or "nothing"
        lost_rows.append([_ref(diff, node_id), str(diff.node(node_id).kind), supports])
    section("Lost their path to a goal", ["Node", "Kind", "Now supports"], lost_rows)
    section(
        "Gained a path to a goal",
        ["Node", "Kind"],
        [
            [_ref(diff, node_id), str(diff.node(node_id).kind)]
            for node_id in _work_first(diff, diff.alignment_gained)
        ],
    )
    section(
        "Forecast of committed work, by strategy",
        ["Strategy", "Aim", "Expected", "Short by"],
        [
            [
                _ref(diff, change.id),
                md_inline(_moved(change, "aim")),
                md_inline(_moved(change, "expected")),
                md_inline(_moved(change, "short_by")),
            ]
            for change in diff.strategies
        ],
    )
    headers = ["Severity", "Rule", "Node", "Finding"]
    section("New findings", headers, _finding_rows(diff, diff.findings_new, gone=False))
    section("Resolved findings", headers, _finding_rows(diff, diff.findings_resolved, gone=True))
    node_rows = [["added", _ref(diff, i), str(diff.node(i).kind), ""] for i in diff.nodes_added]
    node_rows += [
        ["removed", _ref(diff, i), str(diff.node(i).kind), ""] for i in diff.nodes_removed
    ]
    node_rows += [
        [
            "changed",
            _ref(diff, c.id),
            str(c.after.kind),
            _detail(_field_changes(c.fields, c.before, c.after)),
        ]
        for c in diff.nodes_changed
    ]
    if not diff.nodes_changed:
        node_rows = [row[:-1] for row in node_rows]
    section(
        "Nodes", ["Change", "Node", "Kind", "Fields"][: 4 if diff.nodes_changed else 3], node_rows
    )
    link_rows = [["added", *_link_cells(diff, link), ""] for link in diff.links_added]
    link_rows += [["removed", *_link_cells(diff, link), ""] for link in diff.links_removed]
    link_rows += [
        [
            "changed",
            *_link_cells(diff, c.after),
            _detail(_field_changes(c.fields, c.before, c.after)),
        ]
        for c in diff.links_changed
    ]
    if not diff.links_changed:  # no column of dashes
        link_rows = [row[:-1] for row in link_rows]
    section(
        "Links",
        ["Change", "Node", "Supports", "Fields"][: 4 if diff.links_changed else 3],
        link_rows,
    )
    if diff.plan_fields:
        changed = ", ".join(md_code(name) for name in diff.plan_fields)
        out += ["", f"The plan's {changed} changed."]
    return "\n".join(out) + "\n"


def render_diff(diff: PlanDiff, fmt: str, old_label: str, new_label: str) -> str:
    """The diff in ``fmt`` (one of ``DIFF_FORMATS``)."""
    renderers = {"text": diff_to_text, "json": diff_to_json, "markdown": diff_to_markdown}
    return renderers[fmt](diff, old_label, new_label)
