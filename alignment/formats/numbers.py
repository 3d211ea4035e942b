"""Numbers as people type them: a decimal comma only where nothing else is possible.

Pure (no terminal): the TUI's number fields, the quick-add line and the outline reader read
numbers the same way.
"""

from __future__ import annotations

import re

from alignment.core.errors import PlanError, bounded

__all__ = ["NUMBER_HELP", "typed_number"]

# Commas in a typed number: a decimal comma where nothing else is possible (one comma, no dot,
# not exactly three digits after it), thousands separators where nothing else is possible
# (groups of three with a second comma or a decimal point). "1,500" could be either: refused.
NUMBER_HELP = "1.5 or 1,5 · 1500 or 1,500,000 (not 1,500: ambiguous)"
_DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+")
_THREE_AFTER_COMMA = re.compile(r"[-+]?\d*,\d{3}")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")


def typed_number(text: str, field: str) -> float | None:
    """The number typed into ``field``; None when blank; PlanError naming the field when it
    is not a number, or when its comma could mean a decimal point or a thousands separator.

    >>> typed_number("1,5", "baseline"), typed_number("1,234,567", "target")
    (1.5, 1234567.0)
    >>> typed_number("1,500", "target")
    Traceback (most recent call last):
    ...
    alignment.core.errors.PlanError: target: '1,500' is ambiguous: write 1500, or 1.500 with a decimal point
    """
    text = text.strip()
    if not text:
        return None
    if "," in text:
        if _DECIMAL_COMMA.fullmatch(text) and not _THREE_AFTER_COMMA.fullmatch(text):
            text = text.replace(",", ".")
        elif _THOUSANDS.fullmatch(text) and (text.count(",") > 1 or "." in text):
            text = text.replace(",", "")
        elif _THREE_AFTER_COMMA.fullmatch(text):
            whole, _, part = text.partition(",")
            raise PlanError(
                f"{field}: {bounded(text)} is ambiguous: write {whole}{part}, "
                f"or {whole or 0}.{part} with a decimal point",
                field=field,
            )
        else:
            raise PlanError(
                f"{field} must be a number (1.5 or 1,5; 1500 or 1,500,000), not {bounded(text)}",
                field=field,
            )
    try:
        return float(text)
    except ValueError:
        raise PlanError(f"{field} must be a number, not {bounded(text)}", field=field) from None
