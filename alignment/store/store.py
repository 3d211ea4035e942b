"""The Store: plans in SQLite (or any SQLAlchemy URL), loaded whole, saved one change at a time.

Bulk paths (import, load) use Core statements on the SQLModel tables: ORM objects cost 10x here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, delete, func, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from alignment.bulk import gc_paused
from alignment.core.model import Kind
from alignment.core.plan import Plan
from alignment.store.backends import DEFAULT_BUSY_TIMEOUT, Backend, backend_for, hide_password
from alignment.store.errors import (
    DatabaseError,
    MissingDatabaseError,
    StaleEditError,
    StoreError,
)
from alignment.store.journal import change_to_json
from alignment.store.migrations import upgrade
from alignment.store.rows import (
    CHANGE,
    META,
    NODE,
    PLAN,
    absent_columns,
    insert_links,
    insert_nodes,
    load_plan,
    node_pks,
)
from alignment.store.session import PlanSession, current_author
from alignment.store.tables import SCHEMA_VERSION

__all__ = [
    "DatabaseError",
    "MissingDatabaseError",
    "PlanSummary",
    "StaleEditError",
    "Store",
    "StoreError",
    "default_url",
    "display_url",
    "resolve_url",
]


def default_url() -> str:
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('alignment')) / 'alignment.db'}"


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """``--db`` value (path or SQLAlchemy URL), else ``ALIGNMENT_DB``, else the default file."""
    db = db or os.environ.get("ALIGNMENT_DB")
    if not db:
        return default_url()
    db = str(db)
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def display_url(db: str | os.PathLike[str] | None) -> str:
    """The database ``db`` names, as it may be shown to a person: the password hidden."""
    return hide_password(resolve_url(db))


@dataclass(frozen=True, slots=True)
class PlanSummary:
    name: str
    description: str | None
    counts: dict[Kind, int]


# What the schema check finds in a database.
_EMPTY, _OURS, _UNFINISHED = "empty", "ours", "unfinished"


class Store:
    """A database of plans. ``Store.open(db)`` creates the schema on first use.

    ``url`` is the database as it may be shown (password hidden); everything that depends on
    the kind of database is asked of ``backend`` (see ``alignment.store.backends``).
    """

    def __init__(self, engine: Engine, backend: Backend) -> None:
        self.engine = engine
        self.backend = backend
        self.url = backend.display
        self.empty = False  # opened read-only on a database that holds no schema yet
        self.absent: frozenset[str] = frozenset()  # columns of a newer schema, read-only open

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str] | None = None,
        create: bool = True,
        *,
        read_only: bool = False,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> Store:
        """Open the database at ``db``; with ``create``, create it (and its schema) when missing.

        Without ``create`` a missing SQLite file is refused (MissingDatabaseError) and nothing is
        written. ``read_only`` (for commands that only read) writes nothing at all: no schema in
        an empty database, no journal-mode switch, and connections that refuse writes. A
        database that is not ours, or from a newer version, is refused untouched.
        """
        backend = backend_for(resolve_url(db), read_only=read_only, busy_timeout=busy_timeout)
        backend.check(create and not read_only)
        store = cls(backend.create_engine(), backend)
        try:
            with store._classified():
                store._prepare_schema(create and not read_only)
                backend.opened(store.engine)
        except BaseException:
            store.engine.dispose()
            raise
        return store

    def close(self) -> None:
        """Release the connections (SQLite: after folding the WAL into the file)."""
        self.backend.close(self.engine)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def problem(self) -> str | None:
        """Why a write now would be lost (the file was deleted or replaced), else None."""
        return self.backend.problem()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; operational failures come out as DatabaseError, bugs as they are."""
        with self._classified(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _classified(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as error:
            failure = self.backend.classify(error)
            if failure is None:
                raise  # not the database's doing: a bug of ours, shown as one
            raise DatabaseError(
                f"{self.url}: {failure.message}", retryable=failure.retryable
            ) from None

    def _schema_state(self, conn: Connection) -> tuple[str, int]:
        """(state, schema version): empty, ours, or unfinished (a first import cut short by a
        crash of a version that created tables one by one). Refuses another program's tables."""
        tables = set(inspect(conn).get_table_names())
        if not tables:
            return _EMPTY, 0
        if "meta" in tables:
            version = conn.execute(
                select(META.c.value).where(META.c.key == "schema_version")
            ).scalar()
            if version is not None:
                try:
                    return _OURS, int(version)
                except ValueError:
                    pass
        ours = set(SQLModel.metadata.tables)
        if tables <= ours and not any(
            conn.execute(select(func.count()).select_from(SQLModel.metadata.tables[name])).scalar()
            for name in tables
        ):
            return _UNFINISHED, 0
        raise DatabaseError(f"{self.url} is not an alignment database (it holds other tables)")

    def _prepare_schema(self, create: bool) -> None:
        with self.engine.connect() as conn:
            state, version = self._schema_state(conn)
            if state == _OURS:
                self._check_version(version)
                if version == SCHEMA_VERSION:
                    return
                if not create:
                    # An older schema read without upgrading it: its missing columns read as
                    # empty fields (a read must not write).
                    self.absent = absent_columns(conn)
                    return
        if state != _OURS and not create:
            self.empty = True  # nothing to read; a read must not write a schema
            return
        # Created or upgraded in one transaction, under a lock: all of it or none, one writer.
        with self.backend.schema_transaction(self.engine) as conn:
            state, version = self._schema_state(conn)
            if state == _OURS:
                self._check_version(version)
                upgrade(conn, version)
                return
            if state == _UNFINISHED:  # our tables, all empty: made again, whole
                SQLModel.metadata.drop_all(conn)
            SQLModel.metadata.create_all(conn)
            conn.execute(META.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"the database {self.url} was written by a newer alignment "
                f"(schema {version}; this version reads up to {SCHEMA_VERSION}): "
                "upgrade alignment to open it"
            )

    # -- plans --------------------------------------------------------------------------------

    # Names are sorted here, not by the database: collations differ between servers.

    def plan_names(self) -> list[str]:
        if self.empty:
            return []
        with self.transaction() as conn:
            return sorted(conn.execute(select(PLAN.c.name)).scalars())

    def summaries(self) -> list[PlanSummary]:
        if self.empty:
            return []
        with self.transaction() as conn:
            plans = sorted(
                conn.execute(select(PLAN.c.id, PLAN.c.name, PLAN.c.description)).all(),
                key=lambda row: row.name,
            )
            counts = conn.execute(
                select(NODE.c.plan_id, NODE.c.kind, func.count()).group_by(
                    NODE.c.plan_id, NODE.c.kind
                )
            ).all()
        by_plan: dict[int, dict[Kind, int]] = {
            plan_id: dict.fromkeys(Kind, 0) for plan_id, *_ in plans
        }
        for plan_id, kind, count in counts:
            by_plan[plan_id][Kind(kind)] = count
        return [PlanSummary(name, description, by_plan[pid]) for pid, name, description in plans]

    def resolve_plan(self, name: str | None) -> str:
        """The plan to use: ``name``, or the only plan in the database."""
        names = self.plan_names()
        if name is not None:
            if name not in names:
                listed = ", ".join(repr(n) for n in names) or "none"
                raise StoreError(f"no plan named {name!r} in {self.url} (plans: {listed})")
            return name
        if not names:
            raise StoreError(f"no plans in {self.url} yet: import one with `alignment import FILE`")
        if len(names) > 1:
            listed = ", ".join(repr(n) for n in names)
            raise StoreError(f"the database holds several plans; choose one with --plan: {listed}")
        return names[0]

    def _plan_id(self, conn: Connection, name: str) -> int:
        plan_id = conn.execute(select(PLAN.c.id).where(PLAN.c.name == name)).scalar()
        if plan_id is None:
            raise StoreError(f"no plan named {name!r}")
        return plan_id

    def save_plan(self, plan: Plan, replace: bool = False, author: str | None = None) -> None:
        """Store a whole plan in one transaction; an existing name needs ``replace``."""
        self.save_plans([plan], replace, author)

    def save_plans(
        self, plans: list[Plan], replace: bool = False, author: str | None = None
    ) -> None:
        """Store whole plans, all in one transaction: all are saved or none."""
        with gc_paused(), self.transaction() as conn:
            for plan in plans:
                self._save(conn, plan, replace, author)

    def _save(self, conn: Connection, plan: Plan, replace: bool, author: str | None) -> None:
        existing = conn.execute(select(PLAN.c.id).where(PLAN.c.name == plan.name)).scalar()
        if existing is not None:
            if not replace:
                raise StoreError(
                    f"a plan named {plan.name!r} already exists; use --replace to swap it"
                )
            self._replace(conn, existing, plan, author)
            return
        now = datetime.now(UTC)
        plan_id = conn.execute(
            PLAN.insert()
            .values(name=plan.name, description=plan.description, revision=0, created_at=now)
            .returning(PLAN.c.id)
        ).scalar_one()
        insert_nodes(conn, plan_id, plan, plan.nodes())
        pks = node_pks(conn, plan_id)
        insert_links(conn, plan_id, pks, plan.links())
        conn.execute(
            CHANGE.insert().values(
                plan_id=plan_id,
                at=now,
                author=author or current_author(),
                summary=f"{'replaced' if existing else 'imported'} plan ({len(plan)} nodes)",
                payload="",
                state="applied",
            )
        )

    def _replace(self, conn: Connection, plan_id: int, plan: Plan, author: str | None) -> None:
        """Swap a stored plan's content for ``plan``, keeping the plan, its journal and its
        check-ins' history: the replacement is journalled like an edit, so it can be undone
        and ``export --as-of`` sees through it."""
        old = load_plan(conn, plan_id)[0]
        change = old.replace_change(plan)
        conn.execute(delete(NODE).where(NODE.c.plan_id == plan_id))  # links, check-ins cascade
        insert_nodes(conn, plan_id, plan, plan.nodes())
        insert_links(conn, plan_id, node_pks(conn, plan_id), plan.links())
        conn.execute(
            update(PLAN)
            .where(PLAN.c.id == plan_id)
            .values(description=plan.description, revision=PLAN.c.revision + 1)
        )
        conn.execute(
            CHANGE.insert().values(
                plan_id=plan_id,
                at=datetime.now(UTC),
                author=author or current_author(),
                summary=change.describe(),
                payload=change_to_json(change),
                state="applied",
            )
        )

    def delete_plan(self, name: str) -> None:
        with self.transaction() as conn:
            conn.execute(delete(PLAN).where(PLAN.c.id == self._plan_id(conn, name)))

    def load(self, name: str) -> Plan:
        with self.transaction() as conn:
            return load_plan(conn, self._plan_id(conn, name), self.absent)[0]

    def session(self, name: str | None = None, author: str | None = None) -> PlanSession:
        """A live editing session on one plan (see ``PlanSession``); ``author`` as for
        ``current_author``."""
        return PlanSession(self, self.resolve_plan(name), author)
