"""Counts in words, for every report: one pluraliser, so no "1 link(s)" and no "2 infos"."""

from __future__ import annotations

__all__ = ["plural"]

# Words with no -s plural here: "3 info" (as in the findings), "2 strategies".
_PLURALS = {"strategy": "strategies", "info": "info", "activity": "activities"}


def plural(count: int, word: str) -> str:
    """A count and a word that agree.

    >>> plural(1, "goal"), plural(2, "strategy"), plural(3, "info"), plural(0, "link")
    ('1 goal', '2 strategies', '3 info', '0 links')
    """
    if count == 1:
        return f"{count} {word}"
    return f"{count} {_PLURALS.get(word, word + 's')}"
