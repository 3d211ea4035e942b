"""Plans in a database: the Store (whole plans) and PlanSession (one plan, edit by edit)."""

from alignment.store.session import JournalEntry, PlanSession
from alignment.store.store import PlanSummary, StaleEditError, Store, StoreError, resolve_url

__all__ = [
    "JournalEntry",
    "PlanSession",
    "PlanSummary",
    "StaleEditError",
    "Store",
    "StoreError",
    "resolve_url",
]
