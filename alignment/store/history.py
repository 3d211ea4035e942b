"""A stored plan as it was on a past date, rebuilt from its journal.

The journal keeps every change with what undo needs (an edit's before and after, a deleted
node with its links, a check-in with the value it replaced). So the plan at the end of a day
(UTC) is the plan today with every change journalled after that day taken back, newest first.

What this cannot see, and says so where it matters:
- before the plan was imported there is no plan: a date before its first import is refused,
  naming that import's date (``import --replace`` is journalled like an edit, so history sees
  through it);
- undo does not journal when it happened: a change undone since counts as never made, even on
  dates between the change and its undo (and a change redone counts from when it was made).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from alignment.core.changes import rebase
from alignment.core.model import PlanError
from alignment.core.plan import Plan
from alignment.store.errors import StoreError
from alignment.store.journal import change_from_json
from alignment.store.rows import CHANGE, PLAN

if TYPE_CHECKING:
    from alignment.store.store import Store

__all__ = ["plan_as_of"]


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; the journal writes them in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def plan_as_of(store: Store, name: str, day: date) -> Plan:
    """The stored plan ``name`` as it was at the end of ``day`` (UTC).

    StoreError when the plan did not exist yet on that day (or only under an earlier import
    that ``--replace`` has since swapped), or when a journalled change cannot be taken back.
    """
    end = datetime.combine(day + timedelta(days=1), time(), UTC)
    plan = store.load(name)
    with store.transaction() as conn:
        plan_id = conn.execute(select(PLAN.c.id).where(PLAN.c.name == name)).scalar()
        rows = conn.execute(
            select(CHANGE.c.at, CHANGE.c.summary, CHANGE.c.payload)
            .where(CHANGE.c.plan_id == plan_id, CHANGE.c.state == "applied")
            .order_by(CHANGE.c.pk.desc())
        ).all()
    for at, summary, payload in rows:
        at = _utc(at)
        if at < end:
            return plan
        if not payload:  # the import that started the plan
            raise StoreError(
                f"plan {name!r} has no history before {at.date().isoformat()}, when it was "
                f"imported; it cannot be shown as of {day.isoformat()}"
            )
        try:
            change = change_from_json(payload).inverse()
            plan.apply(rebase(change, plan))
        except (PlanError, ValueError) as error:
            raise StoreError(
                f"cannot rebuild plan {name!r} as of {day.isoformat()}: taking back "
                f"{summary!r} of {at.date().isoformat()} failed ({error})"
            ) from None
    return plan  # a plan without journal entries (not written by alignment import)
