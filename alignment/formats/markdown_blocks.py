"""Small Markdown building blocks for the alignment map: tables, node references, figures.

Every piece of user text goes through ``alignment.formats.escape``; what is built here around it
(pipes, code spans, bold labels) is fixed text, so no title can change the structure.

>>> print(table(["Node", "Note"], [["a \\\\| b", "ok"]]))
| Node | Note |
| --- | --- |
| a \\| b | ok |
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from alignment.core.analysis import progress
from alignment.core.model import Kind, Node
from alignment.core.rollup import sparkline
from alignment.core.values import Metric
from alignment.formats.escape import md_code, md_inline
from alignment.formats.map_facts import format_number
from alignment.formats.words import plural

__all__ = [
    "DASH",
    "indicator_details",
    "indicator_figures",
    "kind_label",
    "node_ref",
    "owners_of",
    "percent",
    "plural",
    "table",
]

DASH = "—"  # an empty table cell, so columns stay visible
SPARK_CHECKINS = 12  # the sparkline shows at most the latest check-ins

# Co-ownership in the free-text owner field: "Product + Marketing", "Product, Marketing",
# "Sales & Support", "Product / Design" (& and / only when spaced, so "R&D" and "Twitter/X"
# stay one owner).
_OWNER_SPLIT = re.compile(r"\s*[+,;]\s*|\s+[&/]\s+")


def percent(value: float) -> str:
    """A percentage without float noise: 88.9%, 100%."""
    return f"{format_number(round(value, 1))}%"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GFM table from cells that are already Markdown (escaped); empty cells show a dash."""
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    for row in rows:
        assert len(row) == len(headers), (headers, row)
        lines.append("| " + " | ".join(cell or DASH for cell in row) + " |")
    return "\n".join(lines)


def node_ref(node: Node) -> str:
    """A node as the reader sees it everywhere: its title, then its id in a code span."""
    return f"{md_inline(node.title.strip())} ({md_code(node.id)})"


def owners_of(node: Node) -> list[str]:
    """The owners named in a node's owner field (several when it is co-owned).

    >>> owners_of(Node(id="x", kind=Kind.GOAL, title="X", owner="Product + Marketing"))
    ['Product', 'Marketing']
    >>> owners_of(Node(id="x", kind=Kind.GOAL, title="X", owner="R&D"))
    ['R&D']
    """
    if node.owner is None or not node.owner.strip():
        return []
    owners = []
    for name in _OWNER_SPLIT.split(node.owner.strip()):
        if name and name not in owners:
            owners.append(name)
    return owners


def indicator_figures(node: Node, as_of: date, metric: Metric | None = None) -> dict[str, str]:
    """An indicator's progress, due date and check-in trend as Markdown ('' when unknown).

    ``metric``: its values as meant (computed formulas, targets lent by aims), when known.
    """
    share = progress(node) if metric is None else metric.progress
    due = ""
    if node.due is not None:
        late = node.due < as_of and (share is None or share < 1)
        due = node.due.isoformat() + (" (overdue)" if late else "")
    history = node.history if metric is None else metric.history
    values = [checkin.value for checkin in history[-SPARK_CHECKINS:]]
    return {
        "progress": "" if share is None else percent(100 * share),
        "due": due,
        "check-ins": sparkline(values),
    }


def indicator_details(node: Node, as_of: date) -> list[str]:
    """Baseline -> current -> target, progress, due date and check-in trend of an indicator."""
    named = [("baseline", node.baseline), ("now", node.current), ("target", node.target)]
    figures = [f"{label} {format_number(value)}" for label, value in named if value is not None]
    if figures and node.unit:
        # The unit once, after the last figure: "baseline 52 → now 48.5 → target 40%".
        figures[-1] += node.unit if node.unit == "%" else f" {node.unit}"
    details = [md_inline(" → ".join(figures))] if figures else []
    details += [
        f"{name} {value}" for name, value in indicator_figures(node, as_of).items() if value
    ]
    return details


def kind_label(kind: Kind) -> str:
    return f"**{kind.label}**"
