"""What the app needs to know about its database file beyond the store: how long to wait for
a lock, and whether the file is still the one it opened.

SQLite keeps writing to a file that another program deleted (the open handle still points at
it), so without a check every later edit would be "saved" into a file nobody can open again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alignment.store import Store

__all__ = ["DatabaseFile", "limit_busy_wait"]

# The store waits up to 5 s for another writer; the app runs an edit on the UI thread, so it
# waits less and says "busy, try again" rather than freezing the screen.
BUSY_TIMEOUT = 2.0


def limit_busy_wait(store: Store, seconds: float) -> None:
    """Make ``store``'s SQLite connections wait at most ``seconds`` for a lock."""
    if not store.url.startswith("sqlite"):
        return
    from sqlalchemy import event

    milliseconds = max(0, int(seconds * 1000))

    def set_timeout(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout={milliseconds}")

    # Runs after the store's own pragmas (listeners run in order); pooled connections were
    # made before it, so the pool starts afresh.
    event.listen(store.engine, "connect", set_timeout)
    store.engine.dispose()


class DatabaseFile:
    """The SQLite file behind a store (nothing for other databases), and its identity."""

    def __init__(self, store: Store) -> None:
        from sqlalchemy.engine import make_url

        url = make_url(store.url)
        database = url.database if url.get_backend_name() == "sqlite" else None
        self.path = Path(database) if database and database != ":memory:" else None
        self.identity = self._identity()

    def _identity(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino)

    def problem(self) -> str | None:
        """Why writing now would be lost (the file was deleted or replaced), else None."""
        if self.path is None or self._identity() == self.identity:
            return None
        return (
            f"the database file {self.path} was deleted or replaced by another program, so "
            "nothing can be saved. What is on screen is the plan as last saved: export it "
            "(w) to keep it, then reopen alignment."
        )
