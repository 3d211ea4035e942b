"""One policy per database backend: how to connect, what to check first, what a failure means.

The Store asks its backend and nothing else in the program knows which database it talks to.

- SQLite: pragmas on every connection (foreign keys, busy timeout, synchronous); WAL switched on
  only once the file is known to be ours (it is written into the file's header); file checks
  (missing, folder to create, deleted or replaced while open); a checkpoint on close, so that
  copying the ``.db`` file copies the plan.
- PostgreSQL: sessions in UTC with a lock timeout; schema creation under an advisory lock
  (concurrent ``CREATE TABLE`` on a fresh database collides on ``pg_type``).

Failures are classified by code (``sqlite_errorname``, SQLSTATE), never by English text: an
operational failure becomes one line a person can act on; anything else is our bug and is
raised as it is. URLs are shown with the password hidden, everywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from alignment.store.errors import DatabaseError, MissingDatabaseError

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "Backend",
    "Failure",
    "PostgresBackend",
    "SqliteBackend",
    "backend_for",
    "hide_password",
]

# How long a write waits for another writer's lock before "busy, try again".
DEFAULT_BUSY_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Failure:
    """What an operational database failure means, for a person."""

    message: str
    retryable: bool = False  # the same write may succeed when tried again shortly


def hide_password(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for text that did not parse as a URL)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # e.g. a port that is not a number
        return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", url)


class Backend:
    """The policy for one kind of database. Made by ``backend_for``; used by the Store."""

    name: ClassVar[str]  # SQLAlchemy's backend name, as in the URL's scheme

    def __init__(self, url: URL, *, read_only: bool, busy_timeout: float) -> None:
        self.url = url
        self.read_only = read_only
        self.busy_timeout = busy_timeout

    @property
    def display(self) -> str:
        """The URL as it may be shown: the password hidden."""
        return self.url.render_as_string(hide_password=True)

    def check(self, create: bool) -> None:
        """Before connecting: refuse what cannot be opened (and prepare what ``create`` may)."""

    def create_engine(self) -> Engine:
        try:
            return create_engine(self.url, **self._engine_options())
        except (NoSuchModuleError, ImportError) as error:
            raise DatabaseError(self._missing_driver(error)) from None
        except ArgumentError as error:
            raise DatabaseError(f"cannot use database {self.display}: {error}") from None

    def _engine_options(self) -> dict[str, Any]:
        return {}

    def _missing_driver(self, error: Exception) -> str:
        return f"cannot use database {self.display}: {error}"

    @contextmanager
    def schema_transaction(self, engine: Engine) -> Iterator[Connection]:
        """One transaction that holds off every other process creating or upgrading the schema."""
        with engine.begin() as conn:
            yield conn

    def opened(self, engine: Engine) -> None:
        """The database is known to be ours and of this version: settings that write may go."""

    def close(self, engine: Engine) -> None:
        engine.dispose()

    def problem(self) -> str | None:
        """Why a write now would be lost (the file was deleted or replaced), else None."""
        return None

    def classify(self, error: DBAPIError) -> Failure | None:
        """A person's reading of an operational failure; None for a bug (re-raise it)."""
        raise NotImplementedError  # each backend reads its own codes


# -- SQLite ---------------------------------------------------------------------------------------

_SQLITE_FAILURES: dict[str, Failure] = {
    "SQLITE_BUSY": Failure(
        "the database is busy (another program is writing to it); try again", True
    ),
    "SQLITE_LOCKED": Failure("the database is busy (a table is locked); try again", True),
    "SQLITE_READONLY": Failure("the database is read-only (a read-only file, folder or mount)"),
    "SQLITE_CANTOPEN": Failure(
        "cannot open the database file (does its folder exist and is it writable?)"
    ),
    "SQLITE_NOTADB": Failure("this file is not an alignment database (not SQLite at all)"),
    "SQLITE_CORRUPT": Failure("the database file is damaged (corrupt); restore it from a copy"),
    "SQLITE_FULL": Failure("the disk holding the database is full"),
    "SQLITE_IOERR": Failure("the database file could not be read or written (I/O error)"),
    "SQLITE_PERM": Failure("permission denied on the database file"),
    "SQLITE_AUTH": Failure("permission denied on the database file"),
    "SQLITE_CONSTRAINT_UNIQUE": Failure(
        "someone else stored the same thing meanwhile; try again", True
    ),
    "SQLITE_CONSTRAINT_PRIMARYKEY": Failure(
        "someone else stored the same thing meanwhile; try again", True
    ),
}


class SqliteBackend(Backend):
    name = "sqlite"

    def __init__(self, url: URL, *, read_only: bool, busy_timeout: float) -> None:
        super().__init__(url, read_only=read_only, busy_timeout=busy_timeout)
        database = url.database
        in_memory = not database or database == ":memory:" or "mode=memory" in database
        self.path = None if in_memory else Path(database or "")
        self.identity: tuple[int, int] | None = None

    def check(self, create: bool) -> None:
        if self.path is None:
            return
        if self.path.is_dir():
            raise DatabaseError(f"{self.path} is a folder, not a database file")
        if self.path.exists():
            return
        if not create or self.read_only:
            raise MissingDatabaseError(
                f"no database at {self.path}: import a plan with `alignment import FILE`"
            )
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(
                f"cannot create the folder {folder} for the database: {error.strerror or error}"
            ) from None

    def create_engine(self) -> Engine:
        engine = super().create_engine()
        event.listen(engine, "connect", self._on_connect)
        return engine

    def _on_connect(self, dbapi_connection: Any, _record: object) -> None:
        milliseconds = max(0, int(self.busy_timeout * 1000))
        pragmas = ["foreign_keys=ON", f"busy_timeout={milliseconds}", "synchronous=NORMAL"]
        if self.read_only:
            pragmas.append("query_only=ON")  # a read never writes, even through a bug of ours
        for pragma in pragmas:
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @contextmanager
    def schema_transaction(self, engine: Engine) -> Iterator[Connection]:
        # The Python driver runs DDL outside any transaction unless one is begun explicitly;
        # IMMEDIATE takes the write lock first, so a second process waits, then sees the tables.
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn
            conn.commit()

    def opened(self, engine: Engine) -> None:
        if self.path is None:
            return
        self.identity = self._identity()
        if self.read_only:
            return  # switching to WAL writes the file's header: not for a read
        with engine.connect() as conn:
            if str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() != "wal":
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")

    def close(self, engine: Engine) -> None:
        # Other processes may keep the WAL open; fold it into the file now, so that copying the
        # .db file copies the plan. Best effort: a busy or vanished file just keeps its WAL.
        if self.path is not None and not self.read_only and self.identity is not None:
            try:
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except DBAPIError:
                pass
        engine.dispose()

    def _identity(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino)

    def problem(self) -> str | None:
        if self.path is None or self._identity() == self.identity:
            return None
        # SQLite keeps writing to a file another program deleted (the open handle still points
        # at it): every later edit would be "saved" into a file nobody can open again.
        return (
            f"the database file {self.path} was deleted or replaced by another program, so "
            "nothing can be saved. What is on screen is the plan as last saved: export it "
            "(w) to keep it, then reopen alignment."
        )

    def classify(self, error: DBAPIError) -> Failure | None:
        name = getattr(error.orig, "sqlite_errorname", None)
        if not isinstance(name, str):
            return None
        if name in _SQLITE_FAILURES:
            return _SQLITE_FAILURES[name]
        if name == "SQLITE_CONSTRAINT_TRIGGER":  # a trigger someone installed refused it
            return Failure(f"the database refused the change: {_first_line(error)}")
        # Extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_READONLY_DIRECTORY, SQLITE_IOERR_...)
        # read as their primary code; SQLITE_CONSTRAINT_* other than the above are our bugs.
        primary = "_".join(name.split("_")[:2])
        if primary == "SQLITE_CONSTRAINT":
            return None
        return _SQLITE_FAILURES.get(primary)


# -- PostgreSQL -----------------------------------------------------------------------------------

# A fixed key for pg_advisory_xact_lock: held while the schema is created or upgraded.
_SCHEMA_LOCK_KEY = 0x616C69676E6D  # "alignm"

_RETRY = "; try again"


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, url: URL, *, read_only: bool, busy_timeout: float) -> None:
        if url.drivername == "postgresql":  # SQLAlchemy's default driver is psycopg2: use psycopg 3
            url = url.set(drivername="postgresql+psycopg")
        super().__init__(url, read_only=read_only, busy_timeout=busy_timeout)

    def create_engine(self) -> Engine:
        engine = super().create_engine()
        event.listen(engine, "do_connect", self._connect_options)
        return engine

    def _engine_options(self) -> dict[str, Any]:
        # A server restarts, a firewall drops idle connections: an app left open for hours
        # checks a pooled connection before using it instead of failing the next edit.
        return {"pool_pre_ping": True}

    def _missing_driver(self, error: Exception) -> str:
        return (
            f"cannot use database {self.display}: PostgreSQL needs the psycopg driver "
            "(pip install 'alignment[postgres]')"
        )

    def _connect_options(
        self, _dialect: Any, _record: Any, _args: Any, params: dict[str, Any]
    ) -> None:
        options = [
            "-c timezone=UTC",  # timestamps are stored as UTC wall time, as on SQLite
            f"-c lock_timeout={max(1, int(self.busy_timeout * 1000))}",
        ]
        if self.read_only:
            options.append("-c default_transaction_read_only=on")
        given = params.get("options")
        params["options"] = " ".join([given, *options] if given else options)

    @contextmanager
    def schema_transaction(self, engine: Engine) -> Iterator[Connection]:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            yield conn

    def classify(self, error: DBAPIError) -> Failure | None:
        state = getattr(error.orig, "sqlstate", None)
        if state is None:
            # libpq failed before the server answered (refused, unknown host, timeout): the
            # driver's own first line says which.
            if error.connection_invalidated or _is_operational(error):
                return Failure(f"cannot connect to the database server: {_first_line(error)}")
            return None
        if state in ("40001", "40P01"):
            return Failure("the change collided with another writer's" + _RETRY, True)
        if state == "55P03":
            return Failure("the database is busy (another writer holds a lock)" + _RETRY, True)
        if state == "23505":
            return Failure("someone else stored the same thing meanwhile" + _RETRY, True)
        if state in ("57P01", "57P02", "57P03"):
            return Failure("the database server is shutting down or restarting" + _RETRY, True)
        if state.startswith("08"):
            return Failure("lost the connection to the database server")
        if state.startswith("28"):
            return Failure("the database server refused the login (user or password)")
        if state == "3D000":
            return Failure(
                f"there is no database {self.url.database!r} on the server: "
                "create it first (createdb), or check the URL"
            )
        if state in ("25006", "42501"):
            return Failure("the database refused the write (read-only, or no permission)")
        if state == "P0001":  # RAISE EXCEPTION in a trigger someone installed
            return Failure(f"the database refused the change: {_first_line(error)}")
        if state.startswith("53"):
            return Failure("the database server is out of resources (disk, memory, connections)")
        return None


def _first_line(error: DBAPIError) -> str:
    """The driver's own message, first line (it names no password: libpq never echoes one)."""
    lines = str(error.orig).strip().splitlines()
    return lines[0] if lines else type(error.orig).__name__


def _is_operational(error: DBAPIError) -> bool:
    from sqlalchemy.exc import OperationalError

    return isinstance(error, OperationalError)


_BACKENDS: dict[str, type[Backend]] = {kind.name: kind for kind in (SqliteBackend, PostgresBackend)}


def backend_for(
    url: str, *, read_only: bool = False, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
) -> Backend:
    """The policy for ``url`` (a SQLAlchemy URL); DatabaseError for one we cannot use."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise DatabaseError(f"not a database path or URL: {hide_password(url)}") from None
    kind = _BACKENDS.get(parsed.get_backend_name())
    if kind is None:
        shown = parsed.render_as_string(hide_password=True)
        known = ", ".join(f"{name}://" for name in _BACKENDS)
        raise DatabaseError(f"cannot use database {shown}: alignment works with {known}")
    return kind(parsed, read_only=read_only, busy_timeout=busy_timeout)
