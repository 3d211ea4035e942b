"""The plan's vocabulary: kinds, statuses, nodes, links and check-ins (plain values).

``Node`` declares every node field once (``node_field``); see core/fields.py for what that drives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from enum import StrEnum
from typing import Any

from alignment.core.errors import PlanError, bounded
from alignment.core.fields import (
    CONTROL,
    MAX_LINE,
    FieldSpec,
    FieldType,
    Number,
    check_line,
    node_field,
    normalize_number,
)

__all__ = [
    "NODE_FIELDS",
    "CheckIn",
    "Direction",
    "Kind",
    "Link",
    "Node",
    "Number",
    "PlanError",
    "Role",
    "Status",
    "ID_PATTERN",
    "LIVE_STATUSES",
    "normalize_number",
    "stored_node",
]


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


class Role(StrEnum):
    """What an indicator is for (PLAN_FORMAT.md, metric roles)."""

    NORTH_STAR = "north-star"
    LAGGING = "lagging"
    LEADING = "leading"
    GUARDRAIL = "guardrail"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_ID = 64
MAX_TITLE = MAX_LINE
_ID_MATCH = ID_PATTERN.fullmatch
_set = object.__setattr__  # frozen dataclasses set their own fields this way


def check_id(node_id: object, what: str = "id") -> str:
    if not isinstance(node_id, str) or not node_id:
        raise PlanError(f"{what} must be a non-empty text, not {bounded(node_id)}", field=what)
    if len(node_id) > MAX_ID:
        raise PlanError(f"{what} {bounded(node_id)} is longer than {MAX_ID} characters", field=what)
    if not ID_PATTERN.fullmatch(node_id):
        raise PlanError(
            f"{what} {bounded(node_id)} must be lower-case letters, digits and dashes, "
            "starting with a letter or digit",
            field=what,
        )
    return node_id


def check_title(title: object) -> str:
    title = check_line(title, "title")
    if not title.strip():
        raise PlanError("title must not be empty", field="title")
    return title


def check_confidence(value: object) -> Number:
    number = normalize_number(value, "confidence")
    if not 0 <= number <= 1:
        raise PlanError(f"confidence must be between 0 and 1, not {number}", field="confidence")
    return number


@dataclass(frozen=True, slots=True, order=True)
class CheckIn:
    """A value of an indicator observed on a date."""

    at: date
    value: Number

    def __post_init__(self) -> None:
        if type(self.at) is not date:
            kind = "a timestamp" if isinstance(self.at, date) else bounded(self.at)
            raise PlanError(
                f"check-in date must be an ISO date (YYYY-MM-DD), not {kind}", field="at"
            )
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
    # The effect observed once the work is done (initiative -> indicator links only).
    actual: Number | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if self.child == self.parent:
            raise PlanError(f"{self.child} cannot support itself")
        if self.actual is not None:
            object.__setattr__(self, "actual", normalize_number(self.actual, "actual"))
        if self.effect is not None:
            object.__setattr__(self, "effect", normalize_number(self.effect, "effect"))
        if self.confidence is not None:
            object.__setattr__(self, "confidence", check_confidence(self.confidence))

    @property
    def key(self) -> tuple[str, str]:
        return (self.child, self.parent)


GOAL, STRATEGY, INDICATOR, INITIATIVE = (frozenset({kind.value}) for kind in Kind)
_T = FieldType


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """One element of a plan. Fields are declared once, here: type, kinds, form label.

    Construction validates every field, so a Node that exists is valid:

    >>> Node(id="bounce-rate", kind=Kind.INDICATOR, title="Bounce rate", direction="down",
    ...      target=40.0).target
    40
    >>> Node(id="Bad Id", kind=Kind.GOAL, title="x")
    Traceback (most recent call last):
    ...
    alignment.core.errors.PlanError: id 'Bad Id' must be lower-case letters, digits and dashes, \
starting with a letter or digit
    """

    id: str
    kind: Kind
    title: str
    # Declaration order is plan-file order.
    description: str | None = node_field(_T.TEXT, "Description")
    owner: str | None = node_field(_T.LINE, "Owner", help="a team or person")
    role: Role | None = node_field(
        _T.CHOICE, "Role", INDICATOR, choices=Role, help="north-star, lagging, leading, guardrail"
    )
    condition: str | None = node_field(
        _T.CONDITION, "Condition", GOAL, help="met when this holds: ${ltv} >= ${cac}"
    )
    measure: str | None = node_field(
        _T.REFERENCE, "Measure", STRATEGY, help="the indicator that says it works"
    )
    change: str | None = node_field(
        _T.CHANGE, "Change", STRATEGY, help="aim relative to the measure's baseline: -20%"
    )
    aim: Number | None = node_field(_T.NUMBER, "Aim", STRATEGY, help="in the measure's unit")
    unit: str | None = node_field(_T.LINE, "Unit", INDICATOR, help="%, USD, days...")
    formula: str | None = node_field(
        _T.EXPRESSION, "Formula", INDICATOR, help="computed from others: ${ltv} / ${cac}"
    )
    direction: Direction | None = node_field(
        _T.CHOICE, "Better", INDICATOR, choices=Direction, help="which way is better"
    )
    baseline: Number | None = node_field(_T.NUMBER, "Baseline", INDICATOR)
    target: Number | None = node_field(_T.NUMBER, "Target", INDICATOR)
    current: Number | None = node_field(_T.NUMBER, "Current", INDICATOR)
    due: date | None = node_field(_T.DATE, "Due", GOAL | INDICATOR, help="YYYY-MM-DD")
    cadence: str | None = node_field(
        _T.CADENCE, "Cadence", INDICATOR, help="weekly, monthly, quarterly or Nd"
    )
    since: date | None = node_field(
        _T.DATE, "Since", INDICATOR, help="when the baseline was taken: YYYY-MM-DD"
    )
    status: Status | None = node_field(_T.CHOICE, "Status", INITIATIVE, choices=Status)
    effort: Number | None = node_field(
        _T.POSITIVE, "Effort", INITIATIVE, help="person-weeks, or any unit used throughout"
    )
    mandatory: str | None = node_field(
        _T.LINE, "Mandatory", INITIATIVE, help="why it is done whatever the strategy"
    )
    history: tuple[CheckIn, ...] = node_field(_T.HISTORY, "History", INDICATOR)

    def __post_init__(self) -> None:
        # Fast paths for the common valid case; the full checks raise with the message.
        node_id = self.id
        if not (type(node_id) is str and len(node_id) <= MAX_ID and _ID_MATCH(node_id)):
            _refuse(check_id, node_id, node_id)
        kind = self.kind
        if type(kind) is not Kind:
            try:
                kind = Kind(kind)
            except ValueError:
                raise PlanError(
                    f"unknown kind {bounded(self.kind)}", node=str(node_id), field="kind"
                ) from None
            _set(self, "kind", kind)
        title = self.title
        if not (
            type(title) is str
            and len(title) <= MAX_TITLE
            and title
            and not title.isspace()
            and _CONTROL_SEARCH(title) is None
        ):
            _refuse(check_title, node_id, title)
        for spec in _FOREIGN[kind]:
            if getattr(self, spec.name) not in _EMPTY:
                kinds = " and ".join(Kind(k).section for k in sorted(spec.kinds, key=_KIND_ORDER))
                raise PlanError(
                    f"{spec.name} is only for {kinds}, not {kind.article} {kind}",
                    node=node_id,
                    field=spec.name,
                )
        for spec in _OWN[kind]:
            value = getattr(self, spec.name)
            if value is not None:
                try:
                    checked = spec.check(value)
                except PlanError as error:
                    error.node = node_id
                    raise
                if checked is not value:
                    _set(self, spec.name, checked)
        if kind is Kind.INITIATIVE:
            if self.status is None:
                _set(self, "status", Status.CANDIDATE)
        elif kind is Kind.INDICATOR:
            self._check_indicator()
        elif kind is Kind.STRATEGY and (self.change is not None or self.aim is not None):
            self._check_aim()

    def _check_aim(self) -> None:
        if self.change is not None and self.aim is not None:
            raise PlanError(
                "give either change (relative) or aim (absolute), not both",
                node=self.id,
                field="aim",
            )
        if self.measure is None:
            field = "change" if self.change is not None else "aim"
            raise PlanError(
                f"{field} needs a measure: the indicator it is about", node=self.id, field=field
            )

    def _check_indicator(self) -> None:
        if self.formula is not None and (self.current is not None or self.history):
            field = "current" if self.current is not None else "history"
            raise PlanError(
                f"{field} is computed from the formula; an indicator with a formula takes no "
                "values of its own",
                node=self.id,
                field=field,
            )
        if self.target is not None and self.direction is None:
            raise PlanError(
                "a target needs a direction (up or down: which way is better)",
                node=self.id,
                field="target",
            )
        history = self.history
        if type(history) is tuple and len(history) < 2:
            if history and type(history[0]) is not CheckIn:
                self._refuse_history()
            return
        if not all(type(c) is CheckIn for c in history):
            self._refuse_history()
        history = tuple(sorted(history))
        for before, after in zip(history, history[1:], strict=False):
            if before.at == after.at:
                raise PlanError(
                    f"two check-ins on {after.at.isoformat()}", node=self.id, field="history"
                )
        _set(self, "history", history)

    def _refuse_history(self) -> None:
        raise PlanError("history must be a list of check-ins", node=self.id, field="history")

    @property
    def is_live(self) -> bool:
        """A node counts unless it is a dropped initiative."""
        return self.status is not Status.DROPPED

    def to_data(self) -> dict[str, object]:
        """The node as plain JSON-able data (plan-file field names, no empty fields, no links)."""
        data: dict[str, object] = {"id": self.id, "kind": str(self.kind), "title": self.title}
        for spec in NODE_FIELDS:
            value = getattr(self, spec.name)
            if value is None or value == ():
                continue
            if spec.type is FieldType.HISTORY:
                value = [{"at": c.at.isoformat(), "value": c.value} for c in value]
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, StrEnum):
                value = str(value)
            data[spec.name] = value
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Node:
        """Inverse of ``to_data`` (also reads data written by older versions: fewer fields)."""
        values = dict(data)
        for spec in NODE_FIELDS:
            value = values.get(spec.name)
            if value is None:
                continue
            if spec.type is FieldType.HISTORY:
                values[spec.name] = tuple(
                    CheckIn(date.fromisoformat(c["at"]), c["value"]) for c in value
                )
            elif spec.type is FieldType.DATE and isinstance(value, str):
                values[spec.name] = date.fromisoformat(value)
        return cls(**values)

    def evolve(self, **changes: object) -> Node:
        """A copy with some fields changed (validated like any new node)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _refuse(check: Any, node_id: object, value: object) -> None:
    """Run the full ``check`` for its error, with the node attached."""
    try:
        check(value)
    except PlanError as error:
        error.node = node_id if isinstance(node_id, str) else None
        raise


def _declared_fields() -> tuple[FieldSpec, ...]:
    specs = []
    for item in fields(Node):
        spec = item.metadata.get("spec")
        if spec is not None:
            object.__setattr__(spec, "name", item.name)
            specs.append(spec)
    return tuple(specs)


NODE_FIELDS: tuple[FieldSpec, ...] = _declared_fields()
"""Every optional node field, in plan-file order."""
FIELDS_BY_NAME = {spec.name: spec for spec in NODE_FIELDS}
_EMPTY = (None, ())
_OWN = {
    kind: tuple(s for s in NODE_FIELDS if kind.value in s.kinds and s.type is not FieldType.HISTORY)
    for kind in Kind
}
_FOREIGN = {kind: tuple(s for s in NODE_FIELDS if kind.value not in s.kinds) for kind in Kind}
_KIND_ORDER = {kind.value: kind.rank for kind in Kind}.__getitem__
_CONTROL_SEARCH = CONTROL.search


def fields_for(kind: Kind) -> tuple[FieldSpec, ...]:
    """The optional fields a node of ``kind`` may carry, in plan-file order."""
    return tuple(spec for spec in NODE_FIELDS if kind.value in spec.kinds)


_NODE_NEW = object.__new__


def stored_node(values: dict[str, Any]) -> Node:
    """A Node from a row this program stored after validating it: only the conversions that
    storage loses (text to enum, 52.0 to 52), no checks. For the store's bulk loader only:
    anything a person wrote goes through ``Node(...)``.

    ``values`` holds id, kind, title and the column of every field (``history`` sorted by date,
    or left out). The result equals what ``Node(...)`` would build:

    >>> stored_node({"id": "b", "kind": "indicator", "title": "B", "unit": "%",
    ...     "direction": "down", "baseline": 52.0, "target": 40.5}) == Node(
    ...     id="b", kind=Kind.INDICATOR, title="B", unit="%", direction="down", baseline=52,
    ...     target=40.5)
    True
    """
    node = _NODE_NEW(Node)
    kind = _KINDS[values["kind"]]
    _set(node, "id", values["id"])
    _set(node, "kind", kind)
    _set(node, "title", values["title"])
    get = values.get
    for name, convert in _LOADERS:
        value = get(name)
        _set(node, name, value if value is None or convert is None else convert(value))
    _set(node, "history", get("history") or ())
    if kind is Kind.INITIATIVE and node.status is None:
        _set(node, "status", Status.CANDIDATE)
    return node


_KINDS: dict[str, Kind] = {kind.value: kind for kind in Kind}


def _number_as_stored(value: Any) -> Any:
    return normalize_number(value, "number")


_LOADERS: tuple[tuple[str, Any], ...] = tuple(
    (
        spec.name,
        spec.choices
        if spec.choices is not None
        else (_number_as_stored if spec.type.is_number else None),
    )
    for spec in NODE_FIELDS
    if spec.column
)
