"""A stored plan as it was on a past date (`export --as-of`, `diff db:NAME@DATE`)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.core.model import CheckIn, Direction, Kind, Node
from alignment.formats.plan_file import write_plan
from alignment.store import Store, StoreError
from alignment.store.history import plan_as_of

NAME = "Test plan"
# One journal entry per day, from the import on day 1; each entry is backdated to its day.
DAYS = [date(2026, 10, day) for day in range(1, 9)]


@pytest.fixture
def history(db_url, plan_factory, sql):
    """A plan imported on 1 October and changed once a day after; the plan as written after
    each day (``snapshots[i]`` is the YAML at the end of ``DAYS[i]``)."""
    plan = plan_factory(
        "goal g",
        "strategy s -> g",
        "indicator k -> s",
        "initiative i -> k",
        "initiative j -> s",
        fields={
            "k": {
                "direction": Direction.DOWN,
                "target": 40,
                "current": 50,
                "history": (CheckIn(date(2026, 1, 5), 50),),
            }
        },
    )
    snapshots = []
    with Store.open(db_url) as store:
        store.save_plan(plan)
        snapshots.append(write_plan(store.load(NAME)))
        session = store.session(NAME, author="ann")
        p = session.plan
        for make in (
            lambda: p.unlink_change("k", "s"),  # i loses its goal
            lambda: p.update_change(p.node("j").evolve(status="active", effort=3)),
            lambda: p.checkin_change("k", date(2026, 10, 4), 45),
            lambda: p.add_change(Node(id="n", kind=Kind.INITIATIVE, title="New"), ["s"]),
            lambda: p.remove_change("j"),
            lambda: p.edit_plan_change("Renamed plan", "now described"),
            lambda: p.link_change("k", "s", effect=-2, confidence=0.5),
        ):
            session.apply(make())
            snapshots.append(write_plan(session.plan))
    rows = sql(db_url, "SELECT pk FROM change ORDER BY pk")
    assert len(rows) == len(DAYS)
    for (pk,), day in zip(rows, DAYS, strict=True):
        sql(
            db_url,
            "UPDATE change SET at = :at WHERE pk = :pk",
            at=datetime(*day.timetuple()[:3], 12),
            pk=pk,
        )
    return db_url, snapshots


def test_each_day_the_plan_is_what_it_was_at_the_end_of_that_day(history):
    url, snapshots = history
    with Store.open(url) as store:
        for day, expected in zip(DAYS, snapshots, strict=True):
            assert write_plan(plan_as_of(store, "Renamed plan", day)) == expected, day
        assert write_plan(plan_as_of(store, "Renamed plan", date(2027, 1, 1))) == snapshots[-1]


def test_before_the_import_there_is_no_plan(history):
    url, _ = history
    with Store.open(url) as store, pytest.raises(StoreError) as raised:
        plan_as_of(store, "Renamed plan", date(2026, 9, 30))
    assert str(raised.value) == (
        "plan 'Renamed plan' has no history before 2026-10-01, when it was imported; "
        "it cannot be shown as of 2026-09-30"
    )


def test_an_undone_change_counts_as_never_made(history, sql):
    url, snapshots = history
    with Store.open(url) as store:
        session = store.session("Renamed plan", author="ann")
        assert session.undo() is not None  # takes back the last link
        # Undo journals no date: as of the day of the link, it is as if it had never been made.
        assert write_plan(plan_as_of(store, "Renamed plan", DAYS[-1])) == snapshots[-2]


def test_export_as_of_and_diff_against_a_past_date(history):
    url, snapshots = history
    runner = CliRunner()
    exported = runner.invoke(main, ["export", "--db", url, "--as-of", "2026-10-03"])
    assert exported.exit_code == 0, exported.output
    assert exported.stdout == snapshots[2]
    result = runner.invoke(
        main,
        [
            "diff",
            "db:Renamed plan@2026-10-01",
            "db:Renamed plan@2026-10-02",
            "--db",
            url,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["links"]["removed"] == [["k", "s"]]
    assert data["alignment"]["lost"] == ["k", "i"]
    assert data["old"]["source"] == "db:Renamed plan@2026-10-01"
    too_early = runner.invoke(main, ["export", "--db", url, "--as-of", "2026-09-01"])
    assert too_early.exit_code == 2
    assert too_early.stderr.startswith("alignment: plan 'Renamed plan' has no history before")
