"""The quick-add line: one node in one line of text.

    KIND TITLE [UNIT] [up|down] [BASELINE -> TARGET] [by YYYY-MM-DD] [@OWNER]
         [effort N] [status WORD] [under ID[,ID...]]

``KIND`` is a kind word or an unambiguous prefix (``g``, ``s``, ``ind``, ``ini``), optionally
followed by a colon. The clauses after the title may come in any order, ``under`` last. The
unit of an indicator is the last word of the title when it looks like one (``%``, ``USD``,
``hours``...); quote the title to say where it ends (``"Sessions per week" visits up 2 -> 3``).
A direction left out is read from baseline -> target (2 -> 5: up) and said so.

>>> line = parse_line("indicator Bounce rate % down 52 -> 40 by 2027-03-31 under reduce-cac")
>>> line.kind, line.title, line.fields["unit"], line.fields["target"], line.parents
(<Kind.INDICATOR: 'indicator'>, 'Bounce rate', '%', 40.0, ('reduce-cac',))
>>> parse_line("ind CAC USD 41,4 -> 33").inferred
'down (33 is below 41.4)'

Pure: no terminal, no database. The TUI's quick-add input and the outline reader
(formats/outline.py) both use it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from alignment.core.errors import PlanError, bounded
from alignment.core.model import Direction, Kind, Node, Number, Status
from alignment.formats.numbers import typed_number

__all__ = [
    "QuickLine",
    "complete",
    "infer_direction",
    "kind_of",
    "parse_line",
    "SYNTAX",
]

SYNTAX = (
    "KIND TITLE [UNIT] [up|down] [BASELINE -> TARGET] [by YYYY-MM-DD] [@OWNER] [effort N] "
    "[status WORD] [under ID,ID]"
)
KIND_WORDS = tuple(kind.value for kind in Kind)
# Words read as an indicator's unit when they end an unquoted title.
UNIT_WORDS = frozenset(
    [
        "%",
        "$",
        "€",
        "£",
        "¥",
        "pts",
        "points",
        "pp",
        "usd",
        "eur",
        "gbp",
        "jpy",
        "chf",
        "cad",
        "aud",
        "sek",
        "nok",
        "dkk",
        "pln",
        "inr",
        "brl",
        "cny",
        "ms",
        "s",
        "sec",
        "seconds",
        "min",
        "minutes",
        "h",
        "hours",
        "days",
        "weeks",
        "months",
        "years",
    ]
)
DIRECTION_WORDS = {
    "up": Direction.UP,
    "↑": Direction.UP,
    "down": Direction.DOWN,
    "↓": Direction.DOWN,
}
_ARROW = re.compile(r"(?<=[\d.,])\s*(?:->|→)\s*(?=[-+]?[\d.,])|(?:^|\s)(?:->|→)\s*")
_DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_NUMBER_LIKE = re.compile(r"[-+]?[\d.,]+")


@dataclass(frozen=True, slots=True)
class QuickLine:
    """What one line says: a kind, a title, field values and the ids it supports."""

    kind: Kind
    title: str
    fields: dict[str, Any] = field(default_factory=dict)
    parents: tuple[str, ...] = ()
    inferred: str | None = None  # "down (40 is below 52)" when the direction was read

    def node(self, node_id: str) -> Node:
        """The node this line describes, under ``node_id`` (PlanError names the field)."""
        return Node(id=node_id, kind=self.kind, title=self.title, **self.fields)


def kind_of(word: str) -> Kind | None:
    """The kind a word or prefix names (``ind`` -> indicator); None when it names none;
    PlanError when it could be two (``i``: indicator or initiative).

    >>> kind_of("s"), kind_of("Goal:"), kind_of("grow")
    (<Kind.STRATEGY: 'strategy'>, <Kind.GOAL: 'goal'>, None)
    """
    word = word.lower().removesuffix(":")
    if not word:
        return None
    found = [kind for kind in Kind if kind.value.startswith(word)]
    if len(found) > 1:
        names = " or ".join(kind.value for kind in found)
        raise PlanError(f"{word!r} could be {names}: type more of the kind", field="kind")
    return found[0] if found else None


def infer_direction(baseline: Number | None, target: Number | None) -> tuple[Direction, str]:
    """The direction baseline -> target says, and why (PlanError when they are equal).

    >>> infer_direction(2, 5)
    (<Direction.UP: 'up'>, 'up (5 is above 2)')
    """
    if baseline is None or target is None:
        raise PlanError(
            "a target needs a direction (up or down: which way is better)", field="direction"
        )
    if target == baseline:
        raise PlanError(
            "baseline and target are equal: say up or down (which way is better)",
            field="direction",
        )
    if target > baseline:
        return Direction.UP, f"up ({_num(target)} is above {_num(baseline)})"
    return Direction.DOWN, f"down ({_num(target)} is below {_num(baseline)})"


def _num(value: Number) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_line(text: str, default: Kind | None = None) -> QuickLine:
    """Read one quick-add line; PlanError says what is wrong (nothing is guessed).

    ``default``: the kind of a line that names none (the TUI's, from the selection). Then a
    first word is a kind only when it is one in full, three letters of one, or ends with a
    colon (``s: ...``), so a title such as "Go live" stays a title:

    >>> parse_line("Go live", Kind.INITIATIVE).title, parse_line("g: Grow", Kind.INITIATIVE).kind
    ('Go live', <Kind.GOAL: 'goal'>)
    """
    text = text.strip()
    if not text:
        raise PlanError(f"empty line: write {SYNTAX}", field="kind")
    first, _, rest = text.partition(" ")
    if ":" in first[:-1]:  # "goal:Break even"
        first, _, more = first.partition(":")
        first, rest = first + ":", f"{more} {rest}"
    word = first.lower().removesuffix(":")
    kind: Kind | None
    if default is not None and not (first.endswith(":") or (len(word) >= 3 and kind_of(word))):
        kind, rest = default, text
    else:
        kind = kind_of(first)
    if kind is None:
        raise PlanError(
            f"start with a kind (goal, strategy, indicator, initiative), not {bounded(first)}",
            field="kind",
        )
    rest = _ARROW.sub(" -> ", rest).strip()
    quoted: str | None = None
    if rest.startswith('"'):
        end = rest.find('"', 1)
        if end < 0:
            raise PlanError("the title's closing quote is missing", field="title")
        quoted, rest = rest[1:end].strip(), rest[end + 1 :]
    tokens = rest.split()
    values: dict[str, Any] = {}
    parents = _parents(tokens)
    _clauses(tokens, values)
    if quoted is not None:
        title = quoted
        if tokens:
            values["unit"] = " ".join(tokens)
    else:
        if kind is Kind.INDICATOR and len(tokens) >= 2 and tokens[-1].lower() in UNIT_WORDS:
            values["unit"] = tokens.pop()
        title = " ".join(tokens)
    if "->" in title.split():
        raise PlanError(
            f"read {bounded(title)} as the title: write the unit before the numbers "
            "(TITLE UNIT BASELINE -> TARGET)",
            field="title",
        )
    if not title:
        raise PlanError(f"a title is missing after {first!r}", field="title")
    inferred = None
    if "target" in values and "direction" not in values and kind is Kind.INDICATOR:
        values["direction"], inferred = infer_direction(values.get("baseline"), values["target"])
    return QuickLine(kind, title, values, parents, inferred)


def _parents(tokens: list[str]) -> tuple[str, ...]:
    """Take ``under ID[,ID]`` off the end of ``tokens``."""
    if "under" not in tokens[1:]:
        return ()
    where = len(tokens) - 1 - tokens[::-1].index("under")
    ids = [part for token in tokens[where + 1 :] for part in token.split(",") if part]
    if not ids:
        raise PlanError("under: name the id of the node it supports", field="supports")
    del tokens[where:]
    return tuple(dict.fromkeys(ids))


def _clauses(tokens: list[str], values: dict[str, Any]) -> None:
    """Take the clauses after the title off the end of ``tokens``, into ``values``."""

    def once(name: str, value: object) -> None:
        if name in values:
            raise PlanError(f"{name} is given twice", field=name)
        values[name] = value

    while len(tokens) > 1:
        last, before = tokens[-1], tokens[-2]
        if before == "by" and _DATE_LIKE.fullmatch(last):
            try:
                once("due", date.fromisoformat(_padded(last)))
            except ValueError:
                raise PlanError(
                    f"due must be a date (YYYY-MM-DD), not {bounded(last)}", field="due"
                ) from None
            del tokens[-2:]
        elif before == "->":
            once("target", typed_number(last, "target"))
            del tokens[-2:]
            if len(tokens) < 2 or not _NUMBER_LIKE.fullmatch(tokens[-1]):
                found = bounded(tokens[-1]) if tokens else "nothing"
                raise PlanError(
                    f"baseline must be a number before '->', not {found} "
                    "(TITLE UNIT BASELINE -> TARGET)",
                    field="baseline",
                )
            once("baseline", typed_number(tokens.pop(), "baseline"))
        elif last.lower() in DIRECTION_WORDS:
            once("direction", DIRECTION_WORDS[last.lower()])
            tokens.pop()
        elif last.startswith("@") and len(last) > 1:
            once("owner", last[1:])
            tokens.pop()
        elif before == "effort" and _NUMBER_LIKE.fullmatch(last):
            once("effort", typed_number(last, "effort"))
            del tokens[-2:]
        elif before == "status" and last.lower() in {s.value for s in Status}:
            once("status", Status(last.lower()))
            del tokens[-2:]
        else:
            return


def _padded(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def complete(text: str, ids: Iterable[str]) -> str | None:
    """The whole line completed at its end: a kind word at the start, an id after ``under``
    (or after a comma in it); None when there is nothing to add.

    >>> complete("ind", []), complete("i Churn under red", ["reduce-cac", "grow"])
    ('indicator', 'i Churn under reduce-cac')
    """
    if not text or text[-1].isspace():
        return None
    words = text.split()
    if len(words) == 1:
        word = words[0].lower()
        found = [kind for kind in KIND_WORDS if kind.startswith(word) and kind != word]
        return text + found[0][len(word) :] if len(found) == 1 else None
    if "under" not in words[1:-1]:
        return None
    partial = words[-1].split(",")[-1]
    if not partial:
        return None
    choices: Collection[str] = sorted(i for i in ids if i.startswith(partial) and i != partial)
    if not choices:
        return None
    return text + next(iter(choices))[len(partial) :]
