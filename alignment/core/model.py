"""The plan's vocabulary: kinds, statuses, nodes, links and check-ins (plain values)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

__all__ = [
    "CheckIn",
    "Direction",
    "Kind",
    "Link",
    "Node",
    "PlanError",
    "Status",
    "ID_PATTERN",
    "LIVE_STATUSES",
]


class PlanError(ValueError):
    """An error a person caused and can fix; the message says what and why."""


class Kind(StrEnum):
    """Node kinds, from the top of the plan (goal) to the bottom (initiative)."""

    GOAL = "goal"
    STRATEGY = "strategy"
    INDICATOR = "indicator"
    INITIATIVE = "initiative"

    @property
    def rank(self) -> int:
        """0 for goals, 3 for initiatives: a link may only go to an equal or smaller rank."""
        return _RANK[self]

    @property
    def section(self) -> str:
        """The plan-file section holding this kind, e.g. ``strategies``."""
        return _SECTION[self]

    @property
    def article(self) -> str:
        return "an" if self is Kind.INDICATOR or self is Kind.INITIATIVE else "a"

    @property
    def label(self) -> str:
        return self.value.capitalize()


_RANK = {Kind.GOAL: 0, Kind.STRATEGY: 1, Kind.INDICATOR: 2, Kind.INITIATIVE: 3}
_SECTION = {
    Kind.GOAL: "goals",
    Kind.STRATEGY: "strategies",
    Kind.INDICATOR: "indicators",
    Kind.INITIATIVE: "initiatives",
}
KIND_BY_SECTION = {section: kind for kind, section in _SECTION.items()}


class Status(StrEnum):
    CANDIDATE = "candidate"
    PLANNED = "planned"
    ACTIVE = "active"
    DONE = "done"
    DROPPED = "dropped"


LIVE_STATUSES = frozenset(s for s in Status if s is not Status.DROPPED)


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_ID = 64
MAX_TITLE = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ID_MATCH = ID_PATTERN.fullmatch
_CONTROL_SEARCH = _CONTROL.search
_set = object.__setattr__  # frozen dataclasses set their own fields this way

Number = int | float

# Optional scalar fields in plan-file order (after id, kind and title; before history).
NODE_DATA_FIELDS = (
    "description",
    "owner",
    "unit",
    "direction",
    "baseline",
    "target",
    "current",
    "due",
    "status",
    "effort",
)

# Fields that only some kinds may carry (PLAN_FORMAT.md).
INDICATOR_FIELDS = ("unit", "direction", "baseline", "target", "current", "due", "history")
INITIATIVE_FIELDS = ("status", "effort")


def normalize_number(value: object, what: str) -> Number:
    """A finite int or float (never a bool); integral floats become ints so 52.0 reads as 52."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanError(f"{what} must be a number, not {value!r}")
    if isinstance(value, int):
        if not -_EXACT <= value <= _EXACT:
            # Stored as a double: a larger integer would silently come back rounded.
            raise PlanError(f"{what} {value} is too large to keep exactly (limit ±{_EXACT})")
        return value
    if not math.isfinite(value):
        raise PlanError(f"{what} must be a finite number, not {value!r}")
    if value.is_integer() and abs(value) < _EXACT:
        return int(value)
    return value


def _number(value: object, what: str) -> Number:
    """``normalize_number`` with a fast path for ints and finite floats."""
    if type(value) is int and -_EXACT <= value <= _EXACT:
        return value
    if type(value) is float and math.isfinite(value):
        return int(value) if value.is_integer() and -_EXACT < value < _EXACT else value
    return normalize_number(value, what)


_EXACT = 2**53  # integral floats below this in size are exact ints


def check_id(node_id: object, what: str = "id") -> str:
    if not isinstance(node_id, str) or not node_id:
        raise PlanError(f"{what} must be a non-empty text, not {node_id!r}")
    if len(node_id) > MAX_ID:
        raise PlanError(f"{what} {node_id!r} is longer than {MAX_ID} characters")
    if not ID_PATTERN.fullmatch(node_id):
        raise PlanError(
            f"{what} {node_id!r} must be lower-case letters, digits and dashes, "
            "starting with a letter or digit"
        )
    return node_id


def check_title(title: object) -> str:
    if not isinstance(title, str):
        raise PlanError(f"title must be text, not {title!r}")
    if not title.strip():
        raise PlanError("title must not be empty")
    if "\n" in title or "\r" in title:
        raise PlanError("title must be one line (no line breaks)")
    if _CONTROL.search(title):
        raise PlanError("title must not contain control characters (such as ANSI escapes)")
    if len(title) > MAX_TITLE:
        raise PlanError(f"title is longer than {MAX_TITLE} characters ({len(title)})")
    return title


def check_confidence(value: object) -> Number:
    number = normalize_number(value, "confidence")
    if not 0 <= number <= 1:
        raise PlanError(f"confidence must be between 0 and 1, not {number}")
    return number


@dataclass(frozen=True, slots=True, order=True)
class CheckIn:
    """A value of an indicator observed on a date."""

    at: date
    value: Number

    def __post_init__(self) -> None:
        if not isinstance(self.at, date):
            raise PlanError(f"check-in date must be an ISO date, not {self.at!r}")
        object.__setattr__(self, "value", normalize_number(self.value, "check-in value"))


@dataclass(frozen=True, slots=True)
class Link:
    """``child`` supports ``parent``; optional expected effect (signed, in the parent's unit)."""

    child: str
    parent: str
    effect: Number | None = None
    confidence: Number | None = None
    # Place in the child's ``supports`` list; set by the plan when the link joins it, kept by
    # undo so a restored link goes back where it was. Not part of a link's identity.
    rank: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.child == self.parent:
            raise PlanError(f"{self.child} cannot support itself")
        if self.effect is not None:
            object.__setattr__(self, "effect", normalize_number(self.effect, "effect"))
        if self.confidence is not None:
            object.__setattr__(self, "confidence", check_confidence(self.confidence))

    @property
    def key(self) -> tuple[str, str]:
        return (self.child, self.parent)


@dataclass(frozen=True, slots=True)
class Node:
    """One element of a plan. Metric fields belong to indicators, status/effort to initiatives.

    Construction validates every field, so a Node that exists is valid:

    >>> Node("bounce-rate", Kind.INDICATOR, "Bounce rate", direction=Direction.DOWN, target=40.0).target
    40
    >>> Node("Bad Id", Kind.GOAL, "x")
    Traceback (most recent call last):
    ...
    alignment.core.model.PlanError: id 'Bad Id' must be lower-case letters, digits and dashes, \
starting with a letter or digit
    """

    id: str
    kind: Kind
    title: str
    description: str | None = None
    owner: str | None = None
    # indicators
    unit: str | None = None
    direction: Direction | None = None
    baseline: Number | None = None
    target: Number | None = None
    current: Number | None = None
    due: date | None = None
    history: tuple[CheckIn, ...] = field(default=())
    # initiatives
    status: Status | None = None
    effort: Number | None = None

    def __post_init__(self) -> None:
        # Each check has a fast path for the common valid case and falls back to the full check,
        # which raises with the message; so errors (and their order) are those of the full checks.
        node_id = self.id
        if not (type(node_id) is str and len(node_id) <= MAX_ID and _ID_MATCH(node_id)):
            check_id(node_id)
        kind = self.kind
        if type(kind) is not Kind:
            try:
                kind = Kind(kind)
            except ValueError:
                raise PlanError(f"unknown kind {self.kind!r}") from None
            _set(self, "kind", kind)
        title = self.title
        if not (
            type(title) is str
            and len(title) <= MAX_TITLE
            and _CONTROL_SEARCH(title) is None
            and not title.isspace()
            and title
        ):
            check_title(title)
        owner = self.owner
        if not (
            (self.description is None or type(self.description) is str)
            and (owner is None or type(owner) is str)
            and (self.unit is None or type(self.unit) is str)
        ):
            for name in ("description", "owner", "unit"):
                value = getattr(self, name)
                if value is not None and not isinstance(value, str):
                    raise PlanError(f"{name} must be text, not {value!r}")
        if owner is not None and ("\n" in owner or _CONTROL_SEARCH(owner)):
            raise PlanError("owner must be one line without control characters")
        if kind is not Kind.INDICATOR and self._has_indicator_fields():
            self._refuse_fields(INDICATOR_FIELDS, (None, ()), "indicators")
        if kind is not Kind.INITIATIVE and (self.status is not None or self.effort is not None):
            self._refuse_fields(INITIATIVE_FIELDS, (None,), "initiatives")
        if kind is Kind.INITIATIVE:
            self._check_initiative()
        elif kind is Kind.INDICATOR:
            self._check_indicator()

    def _has_indicator_fields(self) -> bool:
        return not (
            self.unit is None
            and self.direction is None
            and self.baseline is None
            and self.target is None
            and self.current is None
            and self.due is None
            and not self.history
        )

    def _refuse_fields(self, names: tuple[str, ...], empty: tuple[object, ...], kinds: str) -> None:
        for name in names:
            if getattr(self, name) not in empty:
                raise PlanError(f"{name} is only for {kinds}, not {self.kind.article} {self.kind}")

    def _check_initiative(self) -> None:
        status = self.status
        if type(status) is not Status:
            status = Status.CANDIDATE if status is None else status
            try:
                _set(self, "status", Status(status))
            except ValueError:
                allowed = "|".join(Status)
                raise PlanError(f"unknown status {status!r} (expected {allowed})") from None
        if self.effort is not None:
            effort = _number(self.effort, "effort")
            if effort <= 0:
                raise PlanError(f"effort must be greater than 0, not {effort}")
            _set(self, "effort", effort)

    def _check_indicator(self) -> None:
        direction = self.direction
        if direction is not None and type(direction) is not Direction:
            try:
                _set(self, "direction", Direction(direction))
            except ValueError:
                raise PlanError(f"direction must be up or down, not {direction!r}") from None
        baseline, target, current = self.baseline, self.target, self.current
        if baseline is not None:
            _set(self, "baseline", _number(baseline, "baseline"))
        if target is not None:
            _set(self, "target", _number(target, "target"))
        if current is not None:
            _set(self, "current", _number(current, "current"))
        if target is not None and direction is None:
            raise PlanError("a target needs a direction (up or down: which way is better)")
        if self.due is not None and not isinstance(self.due, date):
            raise PlanError(f"due must be an ISO date, not {self.due!r}")
        history = self.history
        if type(history) is tuple and len(history) < 2:
            return
        history = tuple(sorted(history))
        for before, after in zip(history, history[1:], strict=False):
            if before.at == after.at:
                raise PlanError(f"two check-ins on {after.at.isoformat()}")
        _set(self, "history", history)

    @property
    def is_live(self) -> bool:
        """A node counts unless it is a dropped initiative."""
        return self.status is not Status.DROPPED

    def to_data(self) -> dict[str, object]:
        """The node as plain JSON-able data (plan-file field names, no empty fields, no links)."""
        data: dict[str, object] = {"id": self.id, "kind": str(self.kind), "title": self.title}
        for name in NODE_DATA_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            data[name] = value.isoformat() if isinstance(value, date) else value
        if self.history:
            data["history"] = [{"at": c.at.isoformat(), "value": c.value} for c in self.history]
        return data

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Node:
        """Inverse of ``to_data``."""
        fields = dict(data)
        if isinstance(fields.get("due"), str):
            fields["due"] = date.fromisoformat(fields["due"])
        fields["history"] = tuple(
            CheckIn(date.fromisoformat(c["at"]), c["value"]) for c in fields.get("history", ())
        )
        return cls(**fields)

    def evolve(self, **changes: object) -> Node:
        """A copy with some fields changed (validated like any new node)."""
        return replace(self, **changes)


_KINDS: dict[str, Kind] = {kind.value: kind for kind in Kind}
_DIRECTIONS: dict[str | None, Direction | None] = {None: None} | {d.value: d for d in Direction}
_STATUSES: dict[str | None, Status | None] = {None: None} | {s.value: s for s in Status}
_NODE_NEW = object.__new__


def _stored_number(value: Number | None) -> Number | None:
    if type(value) is float:
        return int(value) if value.is_integer() and -_EXACT < value < _EXACT else value
    return value


def stored_node(
    node_id: str,
    kind: str,
    title: str,
    description: str | None,
    owner: str | None,
    unit: str | None,
    direction: str | None,
    baseline: Number | None,
    target: Number | None,
    current: Number | None,
    due: date | None,
    history: tuple[CheckIn, ...],
    status: str | None,
    effort: Number | None,
) -> Node:
    """A Node from a row this program stored after validating it: only the conversions that
    storage loses (text to enum, 52.0 to 52), no checks. For the store's bulk loader only:
    anything a person wrote goes through ``Node(...)``.

    ``history`` must be sorted by date. The result equals what ``Node(...)`` would build:

    >>> stored_node("b", "indicator", "B", None, None, "%", "down", 52.0, 40.5, None, None, (),
    ...             None, None) == Node("b", Kind.INDICATOR, "B", unit="%", direction="down",
    ...                                 baseline=52, target=40.5)
    True
    """
    node = _NODE_NEW(Node)
    _set(node, "id", node_id)
    _set(node, "kind", _KINDS[kind])
    _set(node, "title", title)
    _set(node, "description", description)
    _set(node, "owner", owner)
    _set(node, "unit", unit)
    _set(node, "direction", _DIRECTIONS[direction])
    _set(node, "baseline", _stored_number(baseline))
    _set(node, "target", _stored_number(target))
    _set(node, "current", _stored_number(current))
    _set(node, "due", due)
    _set(node, "history", history)
    if status is None and kind == "initiative":
        status = Status.CANDIDATE
    _set(node, "status", _STATUSES[status])
    _set(node, "effort", _stored_number(effort))
    return node
