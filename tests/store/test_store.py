"""The Store: whole plans in a database, and databases it must refuse without touching them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from alignment.core.model import Kind
from alignment.core.plan import Plan
from alignment.formats.plan_file import read_plan_file, write_plan
from alignment.store import Store, StoreError, resolve_url
from alignment.store.tables import SCHEMA_VERSION


def observable(plan: Plan) -> tuple:
    return (
        plan.name,
        plan.description,
        plan.nodes(),
        [plan.parents(node.id) for node in plan.nodes()],
    )


@pytest.fixture
def unit_economics(samples) -> Plan:
    return read_plan_file(samples["unit-economics"])


@pytest.fixture
def streaming(samples) -> Plan:
    return read_plan_file(samples["streaming"])


def rows(url: str, table: str) -> int:
    """How many rows ``table`` holds, read past the store (any backend)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()
    finally:
        engine.dispose()


# -- plans in, plans out ------------------------------------------------------------------------


@pytest.mark.parametrize("sample", ["unit-economics", "streaming"])
def test_a_saved_plan_loads_back_equal(db_url, samples, sample):
    plan = read_plan_file(samples[sample])
    Store.open(db_url).save_plan(plan)
    loaded = Store.open(db_url).load(plan.name)  # a new Store: as after a restart
    assert observable(loaded) == observable(plan)
    assert write_plan(loaded) == write_plan(plan)


def test_several_plans_in_one_database(db_url, unit_economics, streaming):
    store = Store.open(db_url)
    store.save_plan(unit_economics)
    store.save_plan(streaming)
    assert store.plan_names() == [unit_economics.name, streaming.name]
    assert observable(store.load(streaming.name)) == observable(streaming)
    assert observable(store.load(unit_economics.name)) == observable(unit_economics)
    summaries = {s.name: s.counts for s in store.summaries()}
    assert summaries == {unit_economics.name: unit_economics.counts(),
                         streaming.name: streaming.counts()}  # fmt: skip
    assert summaries[unit_economics.name][Kind.INDICATOR] == 13


def test_plans_may_reuse_node_ids(db_url, plan_factory):
    store = Store.open(db_url)
    store.save_plan(plan_factory("goal g", "initiative i -> g", name="One"))
    store.save_plan(plan_factory("goal g", "indicator i -> g", name="Two"))
    assert store.load("One").node("i").kind is Kind.INITIATIVE
    assert store.load("Two").node("i").kind is Kind.INDICATOR


def test_an_existing_name_is_refused_unless_replaced(db_url, plan_factory):
    store = Store.open(db_url)
    store.save_plan(plan_factory("goal old", name="Plan"))
    with pytest.raises(StoreError) as refused:
        store.save_plan(plan_factory("goal new", name="Plan"))
    assert str(refused.value) == "a plan named 'Plan' already exists; use --replace to swap it"
    assert [n.id for n in store.load("Plan").nodes()] == ["old"]
    store.save_plan(plan_factory("goal new", "strategy s -> new", name="Plan"), replace=True)
    assert [n.id for n in store.load("Plan").nodes()] == ["new", "s"]
    assert rows(db_url, "node") == 2, "the replaced plan's rows are gone"
    assert rows(db_url, "plan") == 1 and rows(db_url, "change") == 2, "one plan, its journal kept"


def test_saving_several_plans_is_all_or_nothing(db_url, plan_factory):
    store = Store.open(db_url)
    store.save_plan(plan_factory("goal g", name="Taken"))
    with pytest.raises(StoreError, match="already exists"):
        store.save_plans([plan_factory("goal a", name="Fresh"), plan_factory(name="Taken")])
    assert store.plan_names() == ["Taken"]


def test_deleting_a_plan_deletes_its_nodes_links_and_checkins(db_url, unit_economics, streaming):
    store = Store.open(db_url)
    store.save_plans([unit_economics, streaming])
    store.delete_plan(unit_economics.name)
    assert store.plan_names() == [streaming.name]
    assert rows(db_url, "node") == len(streaming)
    assert rows(db_url, "link") == len(list(streaming.links()))
    assert rows(db_url, "checkin") == sum(len(n.history) for n in streaming.nodes())


def test_an_unknown_plan_is_named_with_the_plans_there_are(db_url, plan_factory):
    store = Store.open(db_url)
    store.save_plan(plan_factory(name="Only"))
    with pytest.raises(StoreError, match=r"^no plan named 'Other' in .* \(plans: 'Only'\)$"):
        store.resolve_plan("Other")


def test_the_plan_may_be_left_out_when_there_is_one(db_url, plan_factory):
    store = Store.open(db_url)
    with pytest.raises(StoreError, match="no plans in .* yet: import one with `alignment import"):
        store.resolve_plan(None)
    store.save_plan(plan_factory(name="Only"))
    assert store.resolve_plan(None) == "Only"
    store.save_plan(plan_factory(name="Another"))
    with pytest.raises(StoreError) as refused:
        store.resolve_plan(None)
    assert str(refused.value) == (
        "the database holds several plans; choose one with --plan: 'Another', 'Only'"
    )


# -- the database itself ------------------------------------------------------------------------


def test_foreign_keys_wal_and_a_busy_timeout(fresh_db):
    store = Store.open(fresh_db)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    with sqlite3.connect(fresh_db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_new_database_records_its_schema_version(fresh_db):
    Store.open(fresh_db)
    with sqlite3.connect(fresh_db) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == (str(SCHEMA_VERSION),)


def test_opening_creates_the_folder(tmp_path):
    db = tmp_path / "deep" / "er" / "plans.db"
    Store.open(db).plan_names()
    assert db.exists()


def untouched_bytes(path: Path) -> dict[str, bytes]:
    """The file and any journal beside it: a refused database must keep all of them as they were."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "newer.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '99')")
        conn.execute("CREATE TABLE future_things (x)")
    conn.close()
    before = untouched_bytes(db)
    with pytest.raises(StoreError) as refused:
        Store.open(db)
    assert str(refused.value) == (
        f"the database sqlite:///{db} was written by a newer alignment "
        f"(schema 99; this version reads up to {SCHEMA_VERSION}): upgrade alignment to open it"
    )
    assert untouched_bytes(db) == before


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "places.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
        conn.execute("INSERT INTO bookmarks VALUES ('https://example.com')")
    conn.close()
    before = untouched_bytes(db)
    with pytest.raises(
        StoreError, match="is not an alignment database \\(it holds other tables\\)"
    ):
        Store.open(db)
    assert untouched_bytes(db) == before


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n" * 200)
    before = untouched_bytes(db)
    with pytest.raises(StoreError, match="this file is not an alignment database"):
        Store.open(db)
    assert untouched_bytes(db) == before


# -- where the database is ----------------------------------------------------------------------


def test_a_path_becomes_an_absolute_sqlite_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_url("plans.db") == f"sqlite:///{tmp_path / 'plans.db'}"


def test_a_url_is_used_as_given():
    assert resolve_url("sqlite:////srv/plans.db") == "sqlite:////srv/plans.db"


def test_the_alignment_db_variable_is_used_when_no_db_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DB", str(tmp_path / "env.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_url(tmp_path / "flag.db") == f"sqlite:///{tmp_path / 'flag.db'}"


def test_the_default_database_is_in_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ALIGNMENT_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'alignment' / 'alignment.db'}"


def test_a_bad_url_is_refused_in_one_line():
    with pytest.raises(StoreError, match="cannot use database nosuchdriver://x"):
        Store.open("nosuchdriver://x")


def test_integers_beyond_double_precision_are_refused_not_rounded(fresh_db):
    # Numbers are stored as SQLite REAL; a larger integer would come back rounded.
    from alignment.formats.plan_file import PlanFileError, parse_plan

    text = "plan: Big\nindicators:\n  - id: k\n    title: K\n    current: 9007199254740993\n"
    with pytest.raises(PlanFileError, match=r"<plan>:5: .*current 9007199254740993 is too large"):
        parse_plan(text)
    assert parse_plan(text.replace("993", "992")).node("k").current == 9007199254740992


def test_a_replace_keeps_the_history_and_can_be_undone(db_url, samples, sql):
    """import --replace is journalled like an edit: the journal before it stays, the plan as it
    was before is one undo away, and the history as of an earlier day sees through it."""
    from datetime import UTC, datetime, timedelta

    from alignment.store.history import plan_as_of
    from alignment.store.session import PlanSession

    store = Store.open(db_url)
    original = read_plan_file(samples["unit-economics"])
    store.save_plan(original, author="ada")
    session = PlanSession(store, original.name, author="ada")
    session.apply(session.plan.checkin_change("cac", session.plan.node("cac").history[-1].at, 39))
    # Yesterday's journal, so "as of yesterday" means before the replace.
    sql(db_url, "UPDATE change SET at = :at", at=datetime.now(UTC) - timedelta(days=1))
    before = write_plan(store.load(original.name))
    smaller = read_plan_file(samples["unit-economics"])
    smaller.apply(smaller.remove_change("frontend-rewrite"))
    store.save_plan(smaller, replace=True, author="bob")
    assert "frontend-rewrite" not in store.load(original.name)
    history = PlanSession(store, original.name, author="bob").history()
    assert history[0].summary == f"replaced plan ({len(smaller)} nodes)"
    assert len(history) == 3, "the import and the check-in before the replace are kept"
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date()
    assert write_plan(plan_as_of(store, original.name, yesterday)) == before
    undone = PlanSession(store, original.name, author="bob").undo()
    assert undone is not None
    assert write_plan(store.load(original.name)) == before
