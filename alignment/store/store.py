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
from typing import TYPE_CHECKING

from sqlalchemy import Connection, create_engine, delete, event, func, inspect, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, SQLAlchemyError
from sqlmodel import SQLModel

from alignment.bulk import gc_paused
from alignment.core.model import CheckIn, Kind, Link, Node, PlanError, stored_node
from alignment.core.plan import Plan
from alignment.store.tables import (
    SCHEMA_VERSION,
    ChangeRow,
    CheckInRow,
    LinkRow,
    MetaRow,
    NodeRow,
    PlanRow,
)

if TYPE_CHECKING:
    from alignment.store.session import PlanSession

__all__ = [
    "MissingDatabaseError",
    "PlanSummary",
    "Store",
    "StoreError",
    "default_url",
    "resolve_url",
]

NODE = NodeRow.__table__
LINK = LinkRow.__table__
CHECKIN = CheckInRow.__table__
PLAN = PlanRow.__table__
CHANGE = ChangeRow.__table__
META = MetaRow.__table__

# Columns copied between Node and node rows as they are.
NODE_COLUMNS = (
    "title", "description", "owner", "unit", "direction", "baseline", "target", "current",
    "due", "status", "effort",
)  # fmt: skip


class StoreError(PlanError):
    """The database refused or failed: locked, read-only, missing, newer schema, stale edit."""


class MissingDatabaseError(StoreError):
    """A command that only reads was pointed at a database file that does not exist."""


class StaleEditError(StoreError):
    """Someone else changed what this edit was based on; the session has reloaded."""


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


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    for pragma in (
        "foreign_keys=ON",
        "busy_timeout=5000",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _describe(error: SQLAlchemyError) -> str:
    """One line a person understands, from a driver error."""
    original = getattr(error, "orig", None) or error
    text = str(original).splitlines()[0]
    if "locked" in text or "busy" in text:
        return "the database is busy (locked by another process); try again"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only"
    if "unable to open" in text:
        return "cannot open the database file (does its folder exist and is it writable?)"
    if "file is not a database" in text:
        return "this file is not an alignment database"
    return f"database error: {text}"


@dataclass(frozen=True, slots=True)
class PlanSummary:
    name: str
    description: str | None
    counts: dict[Kind, int]


class Store:
    """A database of plans. ``Store.open(db)`` creates the schema on first use."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, db: str | os.PathLike[str] | None = None, create: bool = True) -> Store:
        """Open (with ``create``, create when missing) the database at ``db``.

        Without ``create`` a missing SQLite file is refused (MissingDatabaseError) and nothing
        is written, so a read-only command with a mistyped ``--db`` leaves no empty file behind.
        """
        url = resolve_url(db)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"not a database path or URL: {url}") from None
        is_sqlite = parsed.get_backend_name() == "sqlite"
        is_file = is_sqlite and parsed.database and parsed.database != ":memory:"
        if is_file and not create and not Path(parsed.database).exists():
            raise MissingDatabaseError(
                f"no database at {parsed.database}: import a plan with `alignment import FILE`"
            )
        if is_file:
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create {folder} for {url}: {error.strerror}") from None
        try:
            engine = create_engine(url)
        except (ArgumentError, ImportError) as error:
            raise StoreError(f"cannot use database {url}: {error}") from None
        if is_sqlite:
            event.listen(engine, "connect", _set_sqlite_pragmas)
        store = cls(engine, url)
        store._prepare_schema()
        if is_sqlite:
            store._use_wal()
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; driver errors come out as StoreError with a readable message."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except StoreError:
            raise
        except SQLAlchemyError as error:
            raise StoreError(_describe(error)) from None

    def _use_wal(self) -> None:
        # Only once the file is known to be ours: WAL mode is written into the file's header,
        # and a database we refuse (a newer schema, another program's) must stay untouched.
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        except SQLAlchemyError as error:
            raise StoreError(f"{self.url}: {_describe(error)}") from None

    def _prepare_schema(self) -> None:
        try:
            with self.engine.begin() as conn:
                tables = set(inspect(conn).get_table_names())
                if "meta" in tables:
                    row = conn.execute(
                        select(META.c.value).where(META.c.key == "schema_version")
                    ).scalar()
                    version = int(row or 0)
                    if version > SCHEMA_VERSION:
                        raise StoreError(
                            f"the database {self.url} was written by a newer alignment "
                            f"(schema {version}; this version reads up to {SCHEMA_VERSION}): "
                            "upgrade alignment to open it"
                        )
                    return
                if tables:
                    raise StoreError(
                        f"{self.url} is not an alignment database (it holds other tables)"
                    )
                SQLModel.metadata.create_all(conn)
                conn.execute(META.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        except StoreError:
            raise
        except (SQLAlchemyError, DatabaseError) as error:
            raise StoreError(f"{self.url}: {_describe(error)}") from None

    # -- plans --------------------------------------------------------------------------------

    def plan_names(self) -> list[str]:
        with self.transaction() as conn:
            return list(conn.execute(select(PLAN.c.name).order_by(PLAN.c.name)).scalars())

    def summaries(self) -> list[PlanSummary]:
        with self.transaction() as conn:
            plans = conn.execute(
                select(PLAN.c.id, PLAN.c.name, PLAN.c.description).order_by(PLAN.c.name)
            ).all()
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
            conn.execute(delete(PLAN).where(PLAN.c.id == existing))
        now = datetime.now(UTC)
        plan_id = conn.execute(
            PLAN.insert().values(
                name=plan.name, description=plan.description, revision=0, created_at=now
            )
        ).inserted_primary_key[0]
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

    def delete_plan(self, name: str) -> None:
        with self.transaction() as conn:
            conn.execute(delete(PLAN).where(PLAN.c.id == self._plan_id(conn, name)))

    def load(self, name: str) -> Plan:
        with self.transaction() as conn:
            return load_plan(conn, self._plan_id(conn, name))[0]

    def session(self, name: str | None = None) -> PlanSession:
        """A live editing session on one plan (see ``PlanSession``)."""
        from alignment.store.session import PlanSession

        return PlanSession(self, self.resolve_plan(name))


def current_author() -> str:
    import getpass

    try:
        return os.environ.get("ALIGNMENT_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def node_row(node: Node) -> dict[str, object]:
    row = {name: getattr(node, name) for name in NODE_COLUMNS}
    row["node_id"], row["kind"] = node.id, str(node.kind)
    for name in ("direction", "status"):
        if row[name] is not None:
            row[name] = str(row[name])
    return row


def insert_nodes(conn: Connection, plan_id: int, plan: Plan, nodes: list[Node]) -> None:
    if not nodes:
        return
    conn.execute(
        NODE.insert(),
        [
            {**node_row(node), "plan_id": plan_id, "position": plan.position(node.id), "version": 1}
            for node in nodes
        ],
    )
    pks = node_pks(conn, plan_id, [node.id for node in nodes] if len(nodes) < 100 else None)
    checkins = [
        {"node_pk": pks[node.id], "at": c.at, "value": c.value}
        for node in nodes
        for c in node.history
    ]
    if checkins:
        conn.execute(CHECKIN.insert(), checkins)


def node_pks(conn: Connection, plan_id: int, ids: list[str] | None = None) -> dict[str, int]:
    query = select(NODE.c.node_id, NODE.c.pk).where(NODE.c.plan_id == plan_id)
    if ids is not None:
        query = query.where(NODE.c.node_id.in_(ids))
    return dict(conn.execute(query).all())


def insert_links(conn: Connection, plan_id: int, pks: dict[str, int], links) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {
            "plan_id": plan_id,
            "child_pk": pks[link.child],
            "parent_pk": pks[link.parent],
            "effect": link.effect,
            "confidence": link.confidence,
            "rank": link.rank,
        }
        for link in links
    ]
    if rows:
        conn.execute(LINK.insert(), rows)


def load_plan(conn: Connection, plan_id: int) -> tuple[Plan, int, dict[str, int]]:
    """The plan, its revision and each node's version, read with Core selects.

    Rows were validated when they were stored, so nodes are rebuilt with ``stored_node`` (no
    checks), and the garbage collector is paused while the many small objects are made.
    """
    with gc_paused():
        return _load_plan(conn, plan_id)


def _load_plan(conn: Connection, plan_id: int) -> tuple[Plan, int, dict[str, int]]:
    name, description, revision = conn.execute(
        select(PLAN.c.name, PLAN.c.description, PLAN.c.revision).where(PLAN.c.id == plan_id)
    ).one()
    history: dict[int, list[CheckIn]] = {}
    for node_pk, at, value in conn.execute(
        select(CHECKIN.c.node_pk, CHECKIN.c.at, CHECKIN.c.value)
        .join(NODE, NODE.c.pk == CHECKIN.c.node_pk)
        .where(NODE.c.plan_id == plan_id)
    ).all():
        history.setdefault(node_pk, []).append(CheckIn(at, value))
    columns = [
        NODE.c[name] for name in ("pk", "node_id", "kind", "position", "version", *NODE_COLUMNS)
    ]
    nodes: list[Node] = []
    positions: list[float] = []
    versions: dict[str, int] = {}
    ids: dict[int, str] = {}
    for (
        pk, node_id, kind, position, version, title, description_, owner, unit, direction,
        baseline, target, current, due, status, effort,
    ) in conn.execute(
        select(*columns).where(NODE.c.plan_id == plan_id).order_by(NODE.c.position)
    ).all():  # fmt: skip
        checkins = history.get(pk)
        nodes.append(
            stored_node(
                node_id,
                kind,
                title,
                description_,
                owner,
                unit,
                direction,
                baseline,
                target,
                current,
                due,
                () if checkins is None else tuple(sorted(checkins)),
                status,
                effort,
            )
        )
        positions.append(position)
        versions[node_id] = version
        ids[pk] = node_id
    link_rows = conn.execute(
        select(LINK.c.child_pk, LINK.c.parent_pk, LINK.c.effect, LINK.c.confidence, LINK.c.rank)
        .where(LINK.c.plan_id == plan_id)
        .order_by(LINK.c.child_pk, LINK.c.rank)
    ).all()
    try:
        links = [
            Link(ids[c], ids[p], effect, confidence, rank)
            for c, p, effect, confidence, rank in link_rows
        ]
    except KeyError as error:
        raise StoreError(f"the database is inconsistent: a link to missing node {error}") from None
    plan = Plan.build(name, description, nodes, links, positions)
    return plan, revision, versions
