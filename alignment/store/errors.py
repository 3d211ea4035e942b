"""What the store raises: errors a person can act on (the CLI prints one line and exits 2).

A failure that is our bug (a schema or SQL mistake) is not one of these: it propagates as the
driver raised it, so it is seen and fixed rather than dressed up as a user error.
"""

from __future__ import annotations

from alignment.core.model import PlanError

__all__ = ["DatabaseError", "MissingDatabaseError", "StaleEditError", "StoreError"]


class StoreError(PlanError):
    """The store refused: no such plan, a name taken, a stale edit, a database failure."""


class DatabaseError(StoreError):
    """The database itself failed or refused: busy, read-only, unreachable, not ours, newer.

    ``retryable`` is true when the same write may well succeed if tried again shortly
    (a lock held by another writer, a serialisation conflict, a key stored meanwhile).
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class MissingDatabaseError(DatabaseError):
    """A command that only reads was pointed at a database file that does not exist."""


class StaleEditError(StoreError):
    """Someone else changed what this edit was based on; the session has reloaded."""
