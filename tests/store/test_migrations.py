"""Schema upgrades: a database written by an older version opens, whole, and stays undoable."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from alignment.core.model import Kind, Link, Node
from alignment.store import Store, migrations
from alignment.store.session import PlanSession
from alignment.store.tables import SCHEMA_VERSION

FIXTURE = Path(__file__).parent / "fixtures" / "alignment-0.1.0.sqlite"
UNIT = "Break even on unit economics"
STREAMING = "Streaming subscriptions North Star"


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    """A copy of a database written by alignment 0.1.0 (both samples, check-ins, edits, an undo)."""
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    return path


def _rows(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query).fetchall()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_0_1_0_database_is_upgraded_keeping_every_plan_checkin_and_journal_entry(old_db):
    before = {
        table: _rows(old_db, f"SELECT * FROM {table} ORDER BY 1")
        for table in ("plan", "checkin", "change")
    }
    nodes_before = _rows(
        old_db, "SELECT plan_id, node_id, kind, title, baseline FROM node ORDER BY pk"
    )
    assert _rows(old_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("1",)]

    store = Store.open(old_db)
    store.close()

    assert _rows(old_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    for table, rows in before.items():
        assert _rows(old_db, f"SELECT * FROM {table} ORDER BY 1") == rows, table
    assert (
        _rows(old_db, "SELECT plan_id, node_id, kind, title, baseline FROM node ORDER BY pk")
        == nodes_before
    )
    columns = {row[1] for row in _rows(old_db, "PRAGMA table_info(node)")}
    assert {"role", "formula", "condition", "measure", "change", "aim", "cadence"} <= columns
    store = Store.open(old_db)
    assert sorted(store.plan_names()) == [UNIT, STREAMING]
    plan = store.load(UNIT)
    assert [c.value for c in plan.node("activation-rate").history][-2:] == [31.5, 32]
    store.close()


def test_undo_works_on_entries_written_before_the_upgrade(old_db):
    store = Store.open(old_db)
    session = PlanSession(store, UNIT, author="ada")
    assert session.plan.description.endswith("(edited)")
    undone = session.undo()  # the last edit 0.1.0 journalled: the plan's description
    assert undone is not None and not session.plan.description.endswith("(edited)")
    session.undo()  # seo-audit's owner
    session.undo()  # seo-audit added
    assert "seo-audit" not in session.plan
    session.undo()  # the link daily-memes -> reduce-cac
    assert session.plan.link_between("daily-memes", "reduce-cac") is None
    session.redo()
    assert session.plan.link_between("daily-memes", "reduce-cac") is not None
    store.close()
    again = Store.open(old_db).load(UNIT)
    assert again.link_between("daily-memes", "reduce-cac") is not None


def test_an_old_database_read_by_a_read_only_command_is_not_upgraded(old_db):
    digest = _digest(old_db)
    store = Store.open(old_db, create=False, read_only=True)
    plan = store.load(STREAMING)
    store.close()
    assert len(plan) == 34 and plan.node("paying-subscribers").role is None
    assert _digest(old_db) == digest


def test_a_failing_upgrade_changes_nothing(old_db, monkeypatch):
    def half_then_fail(conn):
        migrations._v2_metric_fields(conn)
        raise RuntimeError("power cut in the middle of the upgrade")

    monkeypatch.setitem(migrations.MIGRATIONS, 2, half_then_fail)
    with pytest.raises(RuntimeError):
        Store.open(old_db)
    assert _rows(old_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("1",)]
    assert "role" not in {row[1] for row in _rows(old_db, "PRAGMA table_info(node)")}
    monkeypatch.undo()
    assert len(Store.open(old_db).load(UNIT)) == 28


def _downgrade_to_v1(url: str) -> None:
    """Make a fresh database look like one written by 0.1.0 (no columns of schema 2)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        for column in migrations._V2_NODE_COLUMNS:
            conn.execute(text(f'ALTER TABLE node DROP COLUMN "{column}"'))
        conn.execute(text("ALTER TABLE link DROP COLUMN actual"))
        conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    engine.dispose()


def test_migrations_run_on_every_backend(db_url):
    """Schema 1 -> today on SQLite and PostgreSQL; new fields then round-trip through the store."""
    store = Store.open(db_url)
    store.close()
    _downgrade_to_v1(db_url)
    store = Store.open(db_url)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert "formula" in {c["name"] for c in inspect(conn).get_columns("node")}
        version = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'"))
        assert version.scalar() == str(SCHEMA_VERSION)
    engine.dispose()
    from alignment.core.plan import Plan

    plan = Plan("Metrics")
    plan.add(Node(id="cac", kind=Kind.INDICATOR, title="CAC", role="lagging", cadence="monthly"))
    plan.add(Node(id="ltv", kind=Kind.INDICATOR, title="LTV", direction="up", target=30))
    plan.add(Node(id="g", kind=Kind.GOAL, title="G", condition="${ltv} >= ${cac}"))
    plan.add(
        Node(id="s", kind=Kind.STRATEGY, title="S", measure="cac", change="-20%"), supports=["g"]
    )
    plan.add(
        Node(id="i", kind=Kind.INITIATIVE, title="I", status="done", mandatory="SOC 2 audit"),
        supports=[Link("i", "cac", -3, 0.5, actual=-2)],
    )
    store.save_plan(plan)
    again = store.load("Metrics")
    store.close()
    for node in plan.nodes():
        assert again.node(node.id) == node
    assert again.link_between("i", "cac").actual == -2
