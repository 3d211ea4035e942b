"""Text charts that fit in a table cell or a line: sparklines and progress bars."""

from __future__ import annotations

from textual.content import Content

__all__ = [
    "KIND_ICONS",
    "KIND_STYLES",
    "SEVERITY_MARKS",
    "SEVERITY_STYLES",
    "kind_icon",
    "progress_bar",
]


# Shapes tell kinds apart without colour; TCSS adds a colour per kind on top.
KIND_ICONS = {"goal": "◎", "strategy": "◆", "indicator": "▲", "initiative": "●"}
KIND_STYLES = {
    "goal": "$text-accent",
    "strategy": "$text-primary",
    "indicator": "$text-success",
    "initiative": "$text-secondary",
}

# Text colours that stay legible on light and dark themes ($warning itself is too pale on light).
SEVERITY_STYLES = {"error": "$text-error", "warning": "$text-warning", "info": "$text-primary"}
SEVERITY_MARKS = {"error": "✖", "warning": "⚠", "info": "ℹ"}


def kind_icon(kind: str) -> Content:
    """The kind's icon and a space, in the kind's colour (the shape alone tells kinds apart)."""
    return Content.styled(f"{KIND_ICONS[kind]} ", KIND_STYLES[kind])


def progress_bar(fraction: float | None, width: int = 10) -> str:
    """A bar of ``width`` cells and a percentage; blank when progress is unknown.

    >>> progress_bar(0.25, 8)
    '██░░░░░░  25%'
    >>> progress_bar(None, 4)
    '····   –'

    Progress may be negative (worse than at the start) or beyond 100%: the bar stays within
    its cells, the percentage says how far.

    >>> progress_bar(-0.25, 4), progress_bar(1.5, 4)
    ('░░░░ -25%', '████ 150%')
    """
    if fraction is None:
        return "·" * width + "   –"
    filled = min(width, max(0, round(fraction * width)))
    return "█" * filled + "░" * (width - filled) + f" {fraction * 100:3.0f}%"
