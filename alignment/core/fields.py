"""Every node field, declared once.

A field is declared on ``Node`` (core/model.py) with ``node_field(...)``: its value type, the kinds
that may carry it and its label. The plan-file reader and writer, the store's columns and row
mapping, the journal and the TUI form all iterate ``NODE_FIELDS`` (built from those declarations),
so adding a field means: declare it, write a migration for its column, show it where it matters.

This module knows value types and how to check one value; it does not know Node (no cycle).
"""

from __future__ import annotations

import builtins
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from alignment.core.errors import PlanError, bounded

__all__ = [
    "ALL_KINDS",
    "MAX_TEXT",
    "FieldSpec",
    "FieldType",
    "PlanError",
    "Number",
    "bounded",
    "check_line",
    "check_text",
    "normalize_number",
    "node_field",
]

Number = int | float

# Control characters: C0 (but newline and tab, which descriptions may hold), DEL, C1, and the
# Unicode line and paragraph separators. Refused in every one-line field.
# Lone surrogates too: they cannot be encoded, so no file or database could hold them.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CONTROL_SEARCH = CONTROL.search
MAX_LINE = 200
MAX_TEXT = 20_000
_EXACT = 2**53  # integers beyond this cannot be stored exactly as a double


def normalize_number(value: object, what: str) -> Number:
    """A finite int or float (never a bool); integral floats become ints so 52.0 reads as 52.

    >>> normalize_number(52.0, "baseline"), normalize_number(0.5, "x")
    (52, 0.5)
    """
    kind = type(value)
    if kind is int and -_EXACT <= value <= _EXACT:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    if kind is float and math.isfinite(value):  # type: ignore[arg-type]
        if value.is_integer() and -_EXACT <= value <= _EXACT:  # type: ignore[attr-defined,operator]
            return int(value)  # type: ignore[call-overload,no-any-return]
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanError(f"{what} must be a number, not {bounded(value)}", field=what)
    if isinstance(value, int):
        # Stored as a double: a larger integer would silently come back rounded.
        raise PlanError(
            f"{what} {bounded(value)} is too large to keep exactly (limit ±{_EXACT})", field=what
        )
    if not math.isfinite(value):
        raise PlanError(f"{what} must be a finite number, not {value!r}", field=what)
    return normalize_number(float(value), what)


def check_line(value: object, what: str, limit: int = MAX_LINE) -> str:
    """One line of text without control characters (ANSI escapes included)."""
    if type(value) is str and len(value) <= limit and _CONTROL_SEARCH(value) is None:
        return value
    if not isinstance(value, str):
        raise PlanError(f"{what} must be text, not {bounded(value)}", field=what)
    if "\n" in value or "\r" in value:
        raise PlanError(f"{what} must be one line (no line breaks)", field=what)
    if CONTROL.search(value):
        raise PlanError(
            f"{what} must not contain control characters (such as ANSI escapes)", field=what
        )
    raise PlanError(f"{what} is longer than {limit} characters ({len(value)})", field=what)


def check_text(value: object, what: str) -> str:
    """Free text: line breaks and tabs allowed, other control characters not."""
    if not isinstance(value, str):
        raise PlanError(f"{what} must be text, not {bounded(value)}", field=what)
    if _TEXT_CONTROL.search(value):
        raise PlanError(
            f"{what} must not contain control characters (only line breaks and tabs)", field=what
        )
    if len(value) > MAX_TEXT:
        raise PlanError(f"{what} is longer than {MAX_TEXT} characters ({len(value)})", field=what)
    return value


def _check_date(value: object, what: str) -> date:
    # A datetime is a date too, but two timestamps on one day would be one day in the store.
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        raise PlanError(f"{what} must be a date (YYYY-MM-DD), not a timestamp", field=what)
    raise PlanError(f"{what} must be an ISO date (YYYY-MM-DD), not {bounded(value)}", field=what)


_CADENCE = re.compile(r"weekly|monthly|quarterly|[1-9][0-9]{0,3}d")
_CHANGE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)%")


def _check_cadence(value: object, what: str) -> str:
    text = check_line(value, what)
    if not _CADENCE.fullmatch(text):
        raise PlanError(
            f"{what} must be weekly, monthly, quarterly or Nd (N days, N >= 1), not "
            f"{bounded(text)}",
            field=what,
        )
    return text


def _check_change(value: object, what: str) -> str:
    text = check_line(value, what)
    if not _CHANGE.fullmatch(text):
        raise PlanError(
            f"{what} must be a percentage such as -20% or +15%, not {bounded(text)}", field=what
        )
    return text


def _check_positive(value: object, what: str) -> Number:
    number = normalize_number(value, what)
    if number <= 0:
        raise PlanError(f"{what} must be greater than 0, not {number}", field=what)
    return number


def _check_expression(value: object, what: str) -> str:
    from alignment.core.expressions import parse_expression  # imports model: not at the top

    return _parsed(value, what, parse_expression)


def _check_condition(value: object, what: str) -> str:
    from alignment.core.expressions import parse_condition

    return _parsed(value, what, parse_condition)


def _parsed(value: object, what: str, parse: Callable[[str], object]) -> str:
    """The text as written, once it parses; the core parses it again (cached) to evaluate."""
    text = check_line(value, what, limit=500)
    try:
        parse(text)
    except PlanError as error:
        raise PlanError(f"{what} {bounded(text)}: {error}", field=what) from None
    return text


def _check_reference(value: object, what: str) -> str:
    from alignment.core.model import check_id

    return check_id(value, what)


class FieldType(StrEnum):
    """How a field's value is written, checked and stored."""

    LINE = "line"  # one line of text
    TEXT = "text"  # free text: line breaks allowed
    NUMBER = "number"
    POSITIVE = "positive"  # a number > 0
    DATE = "date"
    CHOICE = "choice"  # one value of an enum (``FieldSpec.choices``)
    EXPRESSION = "expression"  # a formula over ${indicator} values
    CONDITION = "condition"  # two expressions compared: ${ltv} >= ${cac}
    REFERENCE = "reference"  # the id of another node of the plan
    CHANGE = "change"  # a relative change, "-20%"
    CADENCE = "cadence"  # weekly | monthly | quarterly | Nd
    HISTORY = "history"  # check-ins, kept in their own table

    @property
    def is_number(self) -> bool:
        return self is FieldType.NUMBER or self is FieldType.POSITIVE

    @property
    def is_text(self) -> bool:
        """Written as text in a plan file (quoted when needed)."""
        return not (self.is_number or self is FieldType.DATE or self is FieldType.HISTORY)


_CHECKS: dict[FieldType, Callable[[Any, str], Any]] = {
    FieldType.LINE: check_line,
    FieldType.TEXT: check_text,
    FieldType.NUMBER: normalize_number,
    FieldType.POSITIVE: _check_positive,
    FieldType.DATE: _check_date,
    FieldType.EXPRESSION: _check_expression,
    FieldType.CONDITION: _check_condition,
    FieldType.REFERENCE: _check_reference,
    FieldType.CHANGE: _check_change,
    FieldType.CADENCE: _check_cadence,
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One node field: its type, who may carry it, how the form labels it."""

    type: FieldType
    kinds: frozenset[str]  # Kind values; the Kind enum lives in model.py
    label: str
    choices: builtins.type[StrEnum] | None = None
    help: str = ""
    name: str = ""  # filled in from the dataclass field it is declared on

    @property
    def column(self) -> bool:
        """Stored in a column of the node table (history has a table of its own)."""
        return self.type is not FieldType.HISTORY

    def check(self, value: Any) -> Any:
        """The value normalised (52.0 -> 52, "up" -> Direction.UP), or PlanError naming the field."""
        if self.choices is not None:
            if type(value) is self.choices:
                return value
            try:
                return self.choices(value)
            except ValueError:
                *most, last = list(self.choices)
                allowed = f"{', '.join(most)} or {last}"
                raise PlanError(
                    f"{self.name} must be {allowed}, not {bounded(value)}", field=self.name
                ) from None
        return _CHECKS[self.type](value, self.name)


ALL_KINDS = frozenset({"goal", "strategy", "indicator", "initiative"})


def node_field(
    type: FieldType,
    label: str,
    kinds: frozenset[str] = ALL_KINDS,
    *,
    choices: builtins.type[StrEnum] | None = None,
    help: str = "",
) -> Any:
    """Declare an optional node field (for ``Node``'s class body)."""
    spec = FieldSpec(type, kinds, label, choices, help)
    default: object = () if type is FieldType.HISTORY else None
    return field(default=default, metadata={"spec": spec})
