"""The backend seam: reads never write, databases that are not ours stay untouched, failures are
classified by code (a bug stays a bug), passwords are never shown, and each backend copes with
several processes at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

from alignment.cli import main
from alignment.store import DatabaseError, Store, StoreError
from alignment.store.backends import hide_password

READ_COMMANDS = [
    ["plans"],
    ["check"],
    ["export"],
    ["export", "--format", "json"],
    ["history"],
]


def run(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the database (main file, journal, WAL): bytes and modification time."""
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(path.parent.glob(path.name + "*"))
    }


def import_sample(db: str, samples: dict[str, Path]) -> None:
    assert run("import", str(samples["unit-economics"]), "--db", db).exit_code == 0


# -- reads never write ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_a_read_of_an_empty_file_writes_no_schema(tmp_path, command):
    db = tmp_path / "empty.db"
    db.touch()
    before = snapshot(db)
    result = run(*command, "--db", str(db))
    assert result.exit_code in (0, 2), result.output
    assert "no plans in" in result.output
    assert snapshot(db) == before
    assert db.stat().st_size == 0


def test_reads_of_an_empty_database_create_no_table_on_any_backend(db_url, sql):
    if db_url.startswith("sqlite"):
        Path(db_url.removeprefix("sqlite:///")).touch()  # an empty file: an empty database
    for command in READ_COMMANDS:
        result = run(*command, "--db", db_url)
        assert result.exit_code in (0, 2), result.output
        assert "no plans in" in result.output
    tables = (
        "SELECT name FROM sqlite_master"
        if db_url.startswith("sqlite")
        else "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    )
    assert sql(db_url, tables) == []


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_a_read_leaves_a_rollback_journal_database_as_it_is(tmp_path, samples, command):
    db = tmp_path / "plans.db"
    import_sample(str(db), samples)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    conn.close()
    before = snapshot(db)
    result = run(*command, "--db", str(db))
    assert result.exit_code in (0, 1), result.output
    assert snapshot(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def test_a_write_does_switch_our_database_to_wal(tmp_path, samples):
    db = tmp_path / "plans.db"
    import_sample(str(db), samples)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    assert run("checkin", "bounce-rate", "47", "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_a_read_only_store_refuses_writes_even_from_a_bug(tmp_path, samples, plan_factory):
    db = tmp_path / "plans.db"
    import_sample(str(db), samples)
    with Store.open(db, read_only=True) as store, pytest.raises(DatabaseError, match="read-only"):
        store.save_plan(plan_factory("goal g", name="Sneaky"))


def test_another_programs_file_with_a_meta_table_is_refused_untouched(tmp_path):
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('app', 'someone else')")
    conn.close()
    before = snapshot(db)
    for command in (*READ_COMMANDS, ["checkin", "k", "1"], ["import", "sample_plans/x.yaml"]):
        result = run(*command, "--db", str(db))
        assert result.exit_code == 2
    with pytest.raises(DatabaseError, match=r"is not an alignment database \(it holds other"):
        Store.open(db)
    assert snapshot(db) == before


def test_a_newer_database_is_refused_untouched_by_reads_and_writes(tmp_path, samples):
    db = tmp_path / "newer.db"
    import_sample(str(db), samples)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    before = snapshot(db)
    for command in (*READ_COMMANDS, ["checkin", "bounce-rate", "1"]):
        result = run(*command, "--db", str(db))
        assert result.exit_code == 2
        assert "written by a newer alignment" in result.stderr
    assert snapshot(db) == before


def test_a_first_import_cut_short_is_completed_by_the_next_one(tmp_path, samples):
    """A version that made tables one by one could be killed half way: the next import
    finishes the schema instead of refusing the database forever."""
    db = tmp_path / "half.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE meta (key VARCHAR NOT NULL PRIMARY KEY, value VARCHAR)")
        conn.execute("CREATE TABLE plan (id INTEGER PRIMARY KEY, name VARCHAR)")
    conn.close()
    import_sample(str(db), samples)
    assert run("plans", "--db", str(db)).stdout.startswith("Break even")


# -- closing folds the WAL into the file -----------------------------------------------------------


def test_after_a_cli_import_the_file_alone_holds_the_plan(tmp_path, samples):
    db = tmp_path / "plans.db"
    import_sample(str(db), samples)
    wal = tmp_path / "plans.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())  # what a person copying the .db file gets
    assert run("plans", "--db", str(copy)).stdout.startswith("Break even")


def test_closing_checkpoints_while_another_process_keeps_the_database_open(tmp_path, samples):
    db = tmp_path / "plans.db"
    import_sample(str(db), samples)
    reader = sqlite3.connect(db)  # as the TUI would, open all along
    reader.execute("SELECT count(*) FROM plan").fetchone()
    try:
        assert run("checkin", "bounce-rate", "47", "--db", str(db)).exit_code == 0
        wal = tmp_path / "plans.db-wal"
        assert not wal.exists() or wal.stat().st_size == 0
    finally:
        reader.close()


# -- failures: by code, and a bug stays a bug -----------------------------------------------------


def test_a_locked_database_is_busy_and_worth_retrying(db_url, samples, plan_factory, sql):
    with Store.open(db_url, busy_timeout=0.1) as store:
        store.save_plan(plan_factory("goal g", name="Mine"))
        holder = Store.open(db_url)
        with holder.transaction() as conn:
            if db_url.startswith("sqlite"):
                conn.exec_driver_sql("DELETE FROM meta WHERE key = 'nothing'")  # the write lock
            else:
                conn.exec_driver_sql("LOCK TABLE plan IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(DatabaseError, match="busy") as refused:
                store.save_plan(plan_factory("goal h", name="Yours"))
        holder.close()
        assert refused.value.retryable
        assert store.plan_names() == ["Mine"]


def test_a_schema_bug_is_not_dressed_up_as_a_user_error(db_url, samples, sql):
    import_sample(db_url, samples)
    sql(db_url, "DROP TABLE link")  # as if our own code had forgotten a table
    with Store.open(db_url) as store, pytest.raises(Exception) as raised:
        store.load("Break even on unit economics")
    assert not isinstance(raised.value, StoreError)
    result = CliRunner().invoke(main, ["export", "--db", db_url])
    assert result.exit_code == 70, result.output  # a bug: never 1 (findings) or 2 (your input)


def test_a_sqlite_failure_is_read_from_its_code_not_its_text(tmp_path):
    from alignment.store.backends import backend_for

    backend = backend_for(f"sqlite:///{tmp_path / 'x.db'}")
    error = sqlite3.OperationalError("some text in another language")
    error.sqlite_errorname = "SQLITE_READONLY_DIRECTORY"
    failure = backend.classify(OperationalError("stmt", {}, error))
    assert failure is not None and "read-only" in failure.message
    error.sqlite_errorname = "SQLITE_ERROR"  # no such table, a syntax error: ours to fix
    assert backend.classify(OperationalError("stmt", {}, error)) is None


# -- passwords are never shown --------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["plans"], ["export"], ["check"], ["history"], ["import", "sample_plans/none"]]
)
def test_a_password_in_the_url_is_never_printed(command):
    url = "postgresql+psycopg://ada:s3cret-pw@127.0.0.1:1/plans"
    result = run(*command, "--db", url)
    assert result.exit_code == 2
    assert "s3cret" not in result.output
    if command[0] != "import":
        assert "ada:***@127.0.0.1:1/plans" in result.output


def test_a_password_is_hidden_even_in_a_url_that_does_not_parse():
    assert "s3cret" not in hide_password("postgresql://ada:s3cret@host:notaport/x")
    with pytest.raises(StoreError) as refused:
        Store.open("nosuchdriver://ada:s3cret@host/x")
    assert "s3cret" not in str(refused.value)


def test_the_store_shows_its_url_without_the_password(db_url, samples):
    if db_url.startswith("postgresql"):  # the test server trusts its clients: any password works
        db_url = db_url.replace("://postgres@", "://postgres:s3cret@")
        assert "s3cret" in db_url
    import_sample(db_url, samples)
    with Store.open(db_url) as store:
        assert store.url == hide_password(db_url)
        assert "s3cret" not in store.url
        with pytest.raises(StoreError) as refused:
            store.resolve_plan("Nope")
    assert "s3cret" not in str(refused.value)
    assert "s3cret" not in run("plans", "--db", db_url).output


# -- several processes at once --------------------------------------------------------------------

OPEN_AND_IMPORT = """
import sys
from alignment.formats.plan_file import parse_plan
from alignment.store import Store
name = sys.argv[2]
with Store.open(sys.argv[1]) as store:
    store.save_plan(parse_plan(f"plan: {name}\\ngoals:\\n  - {{id: g, title: G}}\\n"))
"""


def test_several_processes_creating_the_schema_at_once_all_succeed(db_url):
    """Concurrent CREATE TABLE collides on PostgreSQL (pg_type): the schema is made once,
    under a lock, and every process then stores its plan."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_IMPORT, db_url, f"Plan {n}"],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(4)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, errors
    with Store.open(db_url) as store:
        assert store.plan_names() == [f"Plan {n}" for n in range(4)]


# PostgreSQL only: SQLite has no server connection to lose.
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_dropped_server_connection_is_replaced_not_reported(db_url, samples, sql):
    """A server restart or an idle-connection cut between two edits: the next edit just works."""
    import_sample(db_url, samples)
    with Store.open(db_url) as store:
        assert store.plan_names() == ["Break even on unit economics"]
        database = db_url.rsplit("/", 1)[1]
        admin = db_url.rsplit("/", 1)[0] + "/postgres"
        cut = sql(
            admin,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()",
            name=database,
        )
        assert cut, "the store's pooled connection was cut"
        assert store.plan_names() == ["Break even on unit economics"]
