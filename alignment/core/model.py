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
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PlanError(f"{what} must be a finite number, not {value!r}")
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


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
        check_id(self.id)
        try:
            kind = Kind(self.kind)
        except ValueError:
            raise PlanError(f"unknown kind {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)
        check_title(self.title)
        for name in ("description", "owner", "unit"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise PlanError(f"{name} must be text, not {value!r}")
        if self.owner is not None and ("\n" in self.owner or _CONTROL.search(self.owner)):
            raise PlanError("owner must be one line without control characters")
        if kind is not Kind.INDICATOR:
            for name in INDICATOR_FIELDS:
                if getattr(self, name) not in (None, ()):
                    raise PlanError(f"{name} is only for indicators, not {kind.article} {kind}")
        if kind is not Kind.INITIATIVE:
            for name in INITIATIVE_FIELDS:
                if getattr(self, name) is not None:
                    raise PlanError(f"{name} is only for initiatives, not {kind.article} {kind}")
        if kind is Kind.INITIATIVE:
            self._check_initiative()
        elif kind is Kind.INDICATOR:
            self._check_indicator()

    def _check_initiative(self) -> None:
        status = Status.CANDIDATE if self.status is None else self.status
        try:
            object.__setattr__(self, "status", Status(status))
        except ValueError:
            allowed = "|".join(Status)
            raise PlanError(f"unknown status {status!r} (expected {allowed})") from None
        if self.effort is not None:
            effort = normalize_number(self.effort, "effort")
            if effort <= 0:
                raise PlanError(f"effort must be greater than 0, not {effort}")
            object.__setattr__(self, "effort", effort)

    def _check_indicator(self) -> None:
        if self.direction is not None:
            try:
                object.__setattr__(self, "direction", Direction(self.direction))
            except ValueError:
                raise PlanError(f"direction must be up or down, not {self.direction!r}") from None
        for name in ("baseline", "target", "current"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, normalize_number(value, name))
        if self.target is not None and self.direction is None:
            raise PlanError("a target needs a direction (up or down: which way is better)")
        if self.due is not None and not isinstance(self.due, date):
            raise PlanError(f"due must be an ISO date, not {self.due!r}")
        history = tuple(sorted(self.history))
        for before, after in zip(history, history[1:], strict=False):
            if before.at == after.at:
                raise PlanError(f"two check-ins on {after.at.isoformat()}")
        object.__setattr__(self, "history", history)

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
