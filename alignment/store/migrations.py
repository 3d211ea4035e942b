"""Schema upgrades: small numbered steps, applied in order, all in one transaction.

Like sqlite-utils' and llm's migrations: each step names the schema version it produces and does
exactly what that version added, written out (not derived from today's tables), so a database
from any older version reaches today's schema by the same path. ``meta.schema_version`` records
where a database stands; a newer one than ``SCHEMA_VERSION`` is refused before anything runs.

Adding a node field: declare it on ``Node``, then add a step here that adds its column.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, update

from alignment.store.rows import META
from alignment.store.tables import SCHEMA_VERSION

__all__ = ["MIGRATIONS", "upgrade"]

Step = Callable[[Connection], None]


def _add_columns(conn: Connection, table: str, columns: dict[str, str]) -> None:
    # Generic SQL types that SQLite and PostgreSQL both read: VARCHAR, FLOAT (double on PG), DATE;
    # the same types create_all gives these columns on a new database.
    preparer = conn.dialect.identifier_preparer
    for name, sql_type in columns.items():
        conn.exec_driver_sql(
            f"ALTER TABLE {preparer.quote(table)} ADD COLUMN {preparer.quote(name)} {sql_type}"
        )


_V2_NODE_COLUMNS = {
    "role": "VARCHAR",
    "condition": "VARCHAR",
    "measure": "VARCHAR",
    "change": "VARCHAR",
    "aim": "FLOAT",
    "formula": "VARCHAR",
    "cadence": "VARCHAR",
    "since": "DATE",
    "mandatory": "VARCHAR",
}


def _v2_metric_fields(conn: Connection) -> None:
    """Roles, formulas, aims, conditions, cadence and mandatory work (issue 9); observed effects."""
    _add_columns(conn, "node", _V2_NODE_COLUMNS)
    _add_columns(conn, "link", {"actual": "FLOAT"})


MIGRATIONS: dict[int, Step] = {2: _v2_metric_fields}


def upgrade(conn: Connection, version: int) -> int:
    """Bring a database at schema ``version`` to ``SCHEMA_VERSION`` inside the caller's
    transaction (all steps or none); returns the number of steps applied."""
    steps = [MIGRATIONS[target] for target in range(version + 1, SCHEMA_VERSION + 1)]
    for step in steps:
        step(conn)
    if steps:
        conn.execute(
            update(META).where(META.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
        )
    return len(steps)
