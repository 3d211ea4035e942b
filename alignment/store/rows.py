"""Plans to rows and back, with Core statements (ORM objects cost 10x at 100k nodes).

Node columns follow the field declarations (``NODE_FIELDS``): nothing here names a field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, inspect, null, select

from alignment.bulk import gc_paused
from alignment.core.model import NODE_FIELDS, CheckIn, Link, Node, PlanError, stored_node
from alignment.core.plan import Plan
from alignment.store.tables import NODE_TABLE, ChangeRow, CheckInRow, LinkRow, MetaRow, PlanRow

__all__ = [
    "CHANGE",
    "CHECKIN",
    "LINK",
    "META",
    "NODE",
    "NODE_COLUMNS",
    "PLAN",
    "absent_columns",
    "InconsistentDatabase",
    "insert_links",
    "insert_nodes",
    "load_plan",
    "node_pks",
    "node_row",
]

NODE = NODE_TABLE
LINK = LinkRow.__table__  # type: ignore[attr-defined]
CHECKIN = CheckInRow.__table__  # type: ignore[attr-defined]
PLAN = PlanRow.__table__  # type: ignore[attr-defined]
CHANGE = ChangeRow.__table__  # type: ignore[attr-defined]
META = MetaRow.__table__  # type: ignore[attr-defined]

# Node fields kept in a column of their own, as named in the table.
NODE_COLUMNS = tuple(spec.name for spec in NODE_FIELDS if spec.column)
_ENUM_COLUMNS = tuple(spec.name for spec in NODE_FIELDS if spec.column and spec.choices)


class InconsistentDatabase(PlanError):
    """Rows that this program could not have written (edited by hand, or a bug)."""


def node_row(node: Node) -> dict[str, Any]:
    """The node's columns (without plan, position and version)."""
    row: dict[str, Any] = {name: getattr(node, name) for name in NODE_COLUMNS}
    row["node_id"], row["kind"], row["title"] = node.id, str(node.kind), node.title
    for name in _ENUM_COLUMNS:
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
    return {node_id: pk for node_id, pk in conn.execute(query)}


def insert_links(
    conn: Connection, plan_id: int, pks: dict[str, int], links: Iterable[Link]
) -> None:
    rows = [
        {
            "plan_id": plan_id,
            "child_pk": pks[link.child],
            "parent_pk": pks[link.parent],
            "effect": link.effect,
            "confidence": link.confidence,
            "rank": link.rank,
            "actual": link.actual,
        }
        for link in links
    ]
    if rows:
        conn.execute(LINK.insert(), rows)


def absent_columns(conn: Connection) -> frozenset[str]:
    """Columns of today's node and link tables missing from an older database ("table.column")."""
    absent: set[str] = set()
    for table in (NODE, LINK):
        present = {column["name"] for column in inspect(conn).get_columns(table.name)}
        absent.update(f"{table.name}.{c.name}" for c in table.columns if c.name not in present)
    return frozenset(absent)


def load_plan(
    conn: Connection, plan_id: int, absent: frozenset[str] = frozenset()
) -> tuple[Plan, int, dict[str, int]]:
    """The plan, its revision and each node's version, read with Core selects.

    Rows were validated when they were stored, so nodes are rebuilt with ``stored_node`` (no
    checks), and the garbage collector is paused while the many small objects are made.
    ``absent`` columns (an older schema read without upgrading it) read as empty.
    """
    with gc_paused():
        return _load_plan(conn, plan_id, absent)


def _column(table: Any, name: str, absent: frozenset[str]) -> Any:
    return null().label(name) if f"{table.name}.{name}" in absent else table.c[name]


def _load_plan(
    conn: Connection, plan_id: int, absent: frozenset[str]
) -> tuple[Plan, int, dict[str, int]]:
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
    names = ("id", "kind", "title", *NODE_COLUMNS)
    columns = [NODE.c.pk, NODE.c.position, NODE.c.version, NODE.c.node_id, NODE.c.kind]
    columns += [_column(NODE, name, absent) for name in names[2:]]
    nodes: list[Node] = []
    positions: list[float] = []
    versions: dict[str, int] = {}
    ids: dict[int, str] = {}
    for row in conn.execute(
        select(*columns).where(NODE.c.plan_id == plan_id).order_by(NODE.c.position)
    ).all():
        pk, position, version = row[0], row[1], row[2]
        values = dict(zip(names, row[3:], strict=True))
        checkins = history.get(pk)
        if checkins is not None:
            values["history"] = tuple(sorted(checkins))
        node = stored_node(values)
        nodes.append(node)
        positions.append(position)
        versions[node.id] = version
        ids[pk] = node.id
    link_rows = conn.execute(
        select(
            LINK.c.child_pk,
            LINK.c.parent_pk,
            LINK.c.effect,
            LINK.c.confidence,
            LINK.c.rank,
            _column(LINK, "actual", absent),
        )
        .where(LINK.c.plan_id == plan_id)
        .order_by(LINK.c.child_pk, LINK.c.rank)
    ).all()
    try:
        links = [
            Link(ids[c], ids[p], effect, confidence, rank, actual=actual)
            for c, p, effect, confidence, rank, actual in link_rows
        ]
    except KeyError as error:
        raise InconsistentDatabase(
            f"the database is inconsistent: a link to missing node {error}"
        ) from None
    plan = Plan.build(name, description, nodes, links, positions, stored=True)
    return plan, revision, versions
