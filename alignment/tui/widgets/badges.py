"""Words and marks for what the numbers of a plan mean: roles, statuses, implied links.

Every badge is a word or a shape first; colour is added on top, never the only sign (a
colour-blind reader, a monochrome terminal and a screenshot in a ticket all read the same).
"""

from __future__ import annotations

from alignment.core.model import Node, Role

__all__ = [
    "FORMULA_MARK",
    "MEASURE_MARK",
    "ROLE_BADGES",
    "STATUS_STYLES",
    "role_badge",
    "role_rank",
    "status_rank",
]

# The North Star stands out by its star; the other roles are their own words.
ROLE_BADGES = {
    Role.NORTH_STAR: "★ north star",
    Role.LAGGING: "lagging",
    Role.LEADING: "leading",
    Role.GUARDRAIL: "guardrail",
}
_ROLE_RANK = {Role.NORTH_STAR: 0, Role.LAGGING: 1, Role.LEADING: 2, Role.GUARDRAIL: 3}

# How a link that no one listed came to be: the child is an input of the parent's formula,
# or the indicator a strategy measures itself by.
FORMULA_MARK = "ƒ input"
MEASURE_MARK = "measure"

# Theme text colours that stay legible on light and dark themes; the word is always shown.
STATUS_STYLES = {
    "on track": "$text-success",
    "behind": "$text-warning",
    "stale": "$text-warning",
    "wrong way": "$text-error",
    "overdue": "$text-error",
}
# Worst first, as a sort key: what needs attention comes to the top.
_STATUS_RANK = {"overdue": 0, "wrong way": 1, "behind": 2, "stale": 3, "on track": 4}


def role_badge(node: Node) -> str:
    """The role as a reader sees it ("★ north star", "leading"); "" without one."""
    return ROLE_BADGES.get(node.role, "") if node.role else ""


def role_rank(node: Node) -> int:
    """North Star first, then lagging, leading, guardrail; no role last."""
    return _ROLE_RANK.get(node.role, 4) if node.role else 4


def status_rank(status: str | None) -> int:
    """Worst first; an indicator with nothing to judge last."""
    return 5 if status is None else _STATUS_RANK.get(status, 5)
