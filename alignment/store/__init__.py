"""Plans in a database: the Store (whole plans) and PlanSession (one plan, edit by edit)."""

from alignment.store.session import JournalEntry, PlanSession
from alignment.store.store import (
    MissingDatabaseError,
    PlanSummary,
    StaleEditError,
    Store,
    StoreError,
    resolve_url,
)

__all__ = [
    "JournalEntry",
    "MissingDatabaseError",
    "PlanSession",
    "PlanSummary",
    "StaleEditError",
    "Store",
    "StoreError",
    "resolve_url",
]
