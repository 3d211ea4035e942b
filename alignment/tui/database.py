"""What the app asks of its database beyond the store: how long to wait for a lock, and whether
the file is still the one it opened. The answers come from the store's backend policy
(``alignment.store.backends``); nothing here knows which kind of database it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alignment.store import Store

__all__ = ["BUSY_TIMEOUT", "DatabaseFile"]

# The store waits up to 5 s for another writer; an edit in the app waits less and says
# "busy, try again" rather than keeping the user waiting (given to Store.open).
BUSY_TIMEOUT = 2.0


class DatabaseFile:
    """Whether the database is still the one the app opened (a file may be deleted or replaced
    under it; SQLite would go on writing into the deleted file)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def problem(self) -> str | None:
        """Why writing now would be lost, else None."""
        return self._store.problem()
