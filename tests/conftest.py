"""Fixtures shared by the whole suite. Keep this small: each area adds its own conftest."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from alignment.core.model import Kind, Node
from alignment.core.plan import Plan

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_plans"
UNIT_ECONOMICS = SAMPLES / "unit-economics.yaml"
STREAMING = SAMPLES / "streaming-subscriptions.yaml"


@pytest.fixture(autouse=True)
def _no_ambient_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the user's real database: ``ALIGNMENT_DB`` points into tmp_path."""
    monkeypatch.setenv("ALIGNMENT_DB", str(tmp_path / "ambient.db"))
    monkeypatch.setenv("ALIGNMENT_AUTHOR", "tester")


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    """The path of a database file that does not exist yet."""
    return str(tmp_path / "plans.db")


# -- every backend: the tests that touch a database run on SQLite and on PostgreSQL ---------------

PG_URL_VARIABLE = "ALIGNMENT_TEST_PG_URL"  # an admin URL of a private server (.ci/run starts one)
REQUIRE_PG_VARIABLE = "ALIGNMENT_REQUIRE_PG"  # 1: a missing server fails the tests, never skips


@pytest.fixture(scope="session")
def _pg_admin() -> Iterator[Engine]:
    """An autocommit connection to the test server, for CREATE/DROP DATABASE."""
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        if os.environ.get(REQUIRE_PG_VARIABLE) == "1":
            pytest.fail(f"{REQUIRE_PG_VARIABLE}=1 but {PG_URL_VARIABLE} is not set")
        pytest.skip(f"PostgreSQL tests need {PG_URL_VARIABLE} (.ci/run starts a server)")
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as error:
        pytest.fail(f"{PG_URL_VARIABLE} names a server that does not answer: {error}")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database, on each backend: a temp SQLite file, or a fresh PostgreSQL
    database (created for this test, dropped after it)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plans.db'}"
        return
    admin: Engine = request.getfixturevalue("_pg_admin")
    name = f"alignment_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sql() -> Callable[..., list[Any]]:
    """Run one SQL statement on a database URL (any backend), outside the store: the rows."""

    def run(url: str, statement: str, **params: Any) -> list[Any]:
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement), params)
                return list(result.all()) if result.returns_rows else []
        finally:
            engine.dispose()

    return run


@pytest.fixture
def samples() -> dict[str, Path]:
    return {"unit-economics": UNIT_ECONOMICS, "streaming": STREAMING}


PlanFactory = Callable[..., Plan]


@pytest.fixture
def plan_factory() -> PlanFactory:
    """Build a small plan from one line per node: ``"KIND ID [-> PARENT ...]"``.

    Fields go in ``fields={"ID": {...}}``; titles default to the id. For example::

        plan_factory("goal g", "strategy s -> g", "initiative i -> s",
                     fields={"i": {"status": "dropped"}})
    """

    def build(*lines: str, name: str = "Test plan", fields: dict | None = None) -> Plan:
        fields = fields or {}
        plan = Plan(name)
        for line in lines:
            head, _, parents = line.partition("->")
            kind, node_id = head.split()
            extra = {"title": node_id, **fields.get(node_id, {})}
            plan.add(Node(id=node_id, kind=Kind(kind), **extra), supports=parents.split())
        return plan

    return build
