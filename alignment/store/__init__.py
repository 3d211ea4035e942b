"""Plans in a database: the Store (whole plans) and PlanSession (one plan, edit by edit)."""

from alignment.store.session import JournalEntry, PlanSession
from alignment.store.store import (
    DatabaseError,
    MissingDatabaseError,
    PlanSummary,
    StaleEditError,
    Store,
    StoreError,
    display_url,
    resolve_url,
)

__all__ = [
    "DatabaseError",
    "JournalEntry",
    "MissingDatabaseError",
    "PlanSession",
    "PlanSummary",
    "StaleEditError",
    "Store",
    "StoreError",
    "display_url",
    "resolve_url",
]
