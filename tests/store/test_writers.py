"""Several writers on one plan, on every backend: independent facts all land, only a real
conflict is refused, and undo takes back one's own changes only."""

from __future__ import annotations

import multiprocessing
import re
from datetime import date, timedelta

import pytest

from alignment.core.model import CheckIn
from alignment.store import StaleEditError, Store
from alignment.store.session import UndoRefusedError

NAME = "Test plan"
START = date(2026, 1, 5)


@pytest.fixture
def url(db_url, plan_factory) -> str:
    """A database (SQLite and PostgreSQL) holding one small plan."""
    plan = plan_factory(
        "goal g",
        "strategy s -> g",
        "indicator k -> s",
        "indicator m -> s",
        "initiative i -> k",
        "initiative j -> s",
        fields={
            "k": {
                "direction": "down",
                "target": 40,
                "current": 50,
                "history": (CheckIn(START, 50),),
            },
            "m": {"direction": "up", "target": 10},
        },
    )
    store = Store.open(db_url)
    store.save_plan(plan)
    store.close()
    return db_url


def stored(url: str):  # type: ignore[no-untyped-def]
    store = Store.open(url)
    try:
        return store.load(NAME)
    finally:
        store.close()


def retitle(session, node_id: str, title: str) -> None:  # type: ignore[no-untyped-def]
    session.apply(session.plan.update_change(session.plan.node(node_id).evolve(title=title)))


# -- several processes at once -------------------------------------------------------------------

PROCESSES, CHECKINS = 4, 25


def _processes():  # type: ignore[no-untyped-def]
    """Fork where there is fork (spawning re-imports everything: seconds per process)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _check_in_many(url: str, worker: int, results) -> None:  # type: ignore[no-untyped-def]
    """One process: one session, CHECKINS check-ins on dates no other worker uses."""
    refused = []
    session = Store.open(url).session(author=f"worker-{worker}")
    for n in range(CHECKINS):
        day = START + timedelta(days=1 + worker + PROCESSES * n)
        try:
            session.apply(session.plan.checkin_change("k", day, worker * 100 + n))
        except Exception as error:  # noqa: BLE001 - every refusal is reported to the test
            refused.append(f"{day}: {type(error).__name__}: {error}")
    results.put((worker, refused))


def test_concurrent_checkins_on_one_indicator_are_all_stored(url):
    context = _processes()
    results = context.Queue()
    workers = [
        context.Process(target=_check_in_many, args=(url, worker, results))
        for worker in range(PROCESSES)
    ]
    for process in workers:
        process.start()
    outcome = dict(results.get(timeout=120) for _ in workers)
    for process in workers:
        process.join(timeout=30)
    assert outcome == {worker: [] for worker in range(PROCESSES)}, "none refused"
    k = stored(url).node("k")
    assert len(k.history) == 1 + PROCESSES * CHECKINS, "all stored"
    latest = max(k.history)
    assert k.current == latest.value, "current is the value of the latest date"
    assert latest.at == START + timedelta(days=PROCESSES * CHECKINS)


def _edit_other_nodes(url: str, stop, results) -> None:  # type: ignore[no-untyped-def]
    """Retitle other nodes, one edit after another, until told to stop."""
    session = Store.open(url).session(author="editor")
    edits = refused = 0
    while not stop.is_set() or edits < 10:
        try:
            retitle(session, "j" if edits % 2 else "g", f"Title {edits}")
        except StaleEditError:
            refused += 1
        edits += 1
    results.put((edits, refused))


def test_a_cli_checkin_while_another_process_edits_the_plan_is_never_refused(url):
    from click.testing import CliRunner

    from alignment.cli import main

    context = _processes()
    results, stop = context.Queue(), context.Event()
    editor = context.Process(target=_edit_other_nodes, args=(url, stop, results))
    editor.start()
    outputs = []
    try:
        for n in range(20):
            day = (START + timedelta(days=10 + n)).isoformat()
            result = CliRunner().invoke(
                main, ["checkin", "k", str(45 - n / 10), "--at", day, "--db", url]
            )
            outputs.append((result.exit_code, result.output))
    finally:
        stop.set()
        edits, refused = results.get(timeout=60)
        editor.join(timeout=10)
    assert [code for code, _ in outputs] == [0] * 20, outputs
    assert len(stored(url).node("k").history) == 21
    assert edits >= 10 and refused == 0, "nor were the editor's edits of other nodes"


# -- what is refused, and what is not ---------------------------------------------------------


def test_a_real_conflict_is_still_refused_naming_the_field(url):
    mine, theirs = Store.open(url).session(), Store.open(url).session()
    stale = mine.plan.update_change(mine.plan.node("k").evolve(title="Mine"))
    retitle(theirs, "k", "Theirs")
    with pytest.raises(
        StaleEditError, match=r"k changed since it was read: its title is now 'Theirs'"
    ):
        mine.apply(stale)
    assert stored(url).node("k").title == "Theirs"


def test_the_same_date_checked_in_twice_at_once_is_refused(url):
    mine, theirs = Store.open(url).session(), Store.open(url).session()
    theirs.apply(theirs.plan.checkin_change("k", date(2026, 2, 2), 48))
    with pytest.raises(StaleEditError, match="48 was recorded on 2026-02-02 meanwhile"):
        mine.apply(mine.plan.checkin_change("k", date(2026, 2, 2), 47))
    assert [c.value for c in stored(url).node("k").history] == [50, 48]


def test_checkins_of_other_dates_from_a_stale_session_land(url):
    mine, theirs = Store.open(url).session(), Store.open(url).session()
    theirs.apply(theirs.plan.checkin_change("k", date(2026, 3, 1), 44))
    mine.apply(mine.plan.checkin_change("k", date(2026, 2, 1), 47))
    k = stored(url).node("k")
    assert [(c.at.month, c.value) for c in k.history] == [(1, 50), (2, 47), (3, 44)]
    assert k.current == 44


# -- undo is yours --------------------------------------------------------------------------------


def test_undo_takes_back_only_the_undoers_own_changes(url):
    ada = Store.open(url).session(author="ada")
    bob = Store.open(url).session(author="bob")
    retitle(ada, "k", "Ada's title")
    bob.apply(bob.plan.checkin_change("k", date(2026, 2, 2), 47))
    retitle(bob, "j", "Bob's title")

    undone = ada.undo()
    assert undone is not None and undone.inverse().describe() == "edit k (title)"
    plan = stored(url)
    assert plan.node("k").title == "k", "ada's edit is taken back"
    assert plan.node("j").title == "Bob's title", "bob's edits stay"
    assert plan.node("k").current == 47 and len(plan.node("k").history) == 2
    assert ada.undo() is None, "nothing else of ada's to undo (the import starts history)"

    assert ada.redo() is not None
    assert stored(url).node("k").title == "Ada's title"
    assert stored(url).node("j").title == "Bob's title"


def test_undo_refuses_when_someone_else_since_changed_the_same_thing(url):
    ada = Store.open(url).session(author="ada")
    bob = Store.open(url).session(author="bob")
    ada.apply(ada.plan.update_change(ada.plan.node("k").evolve(target=35)))
    bob.reload()  # bob saw ada's value, and changed it
    bob.apply(bob.plan.update_change(bob.plan.node("k").evolve(target=30)))
    with pytest.raises(UndoRefusedError) as refused:
        ada.undo()
    assert re.fullmatch(
        r"cannot undo: bob since changed k \(target\) at \d\d:\d\d", str(refused.value)
    )
    assert stored(url).node("k").target == 30, "bob's value stays"
    bob.undo()  # bob takes his back: ada's undo is free again
    ada.undo()
    assert stored(url).node("k").target == 40


def test_undo_of_a_checkin_is_not_blocked_by_checkins_on_other_dates(url):
    ada = Store.open(url).session(author="ada")
    bob = Store.open(url).session(author="bob")
    ada.apply(ada.plan.checkin_change("k", date(2026, 2, 2), 47))
    bob.apply(bob.plan.checkin_change("k", date(2026, 3, 2), 44))
    ada.undo()
    k = stored(url).node("k")
    assert [c.value for c in k.history] == [50, 44]
    assert k.current == 44


def test_undo_of_the_latest_checkin_puts_current_back(url):
    ada = Store.open(url).session(author="ada")
    ada.apply(ada.plan.checkin_change("m", date(2026, 2, 2), 3))
    assert stored(url).node("m").current == 3
    ada.undo()
    m = stored(url).node("m")
    assert (m.history, m.current) == ((), None)
    ada.redo()
    assert stored(url).node("m").current == 3


def test_undo_refuses_when_someone_else_since_linked_to_an_added_node(url):
    from alignment.core.model import Kind, Node

    ada = Store.open(url).session(author="ada")
    bob = Store.open(url).session(author="bob")
    ada.apply(ada.plan.add_change(Node(id="n", kind=Kind.INDICATOR, title="New"), ["s"]))
    bob.reload()
    bob.apply(bob.plan.link_change("j", "n"))
    with pytest.raises(UndoRefusedError, match=r"^cannot undo: bob since linked j -> n at "):
        ada.undo()
    assert "n" in stored(url)


def test_redo_refuses_when_someone_else_since_changed_the_same_thing(url):
    ada = Store.open(url).session(author="ada")
    bob = Store.open(url).session(author="bob")
    retitle(ada, "k", "Ada's")
    ada.undo()
    bob.reload()
    retitle(bob, "k", "Bob's")
    with pytest.raises(UndoRefusedError, match=r"^cannot redo: bob since changed k \(title\)"):
        ada.redo()
    assert stored(url).node("k").title == "Bob's"
