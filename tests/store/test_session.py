"""Editing a stored plan: one transaction per change, no lost edits, undo/redo and history."""

from __future__ import annotations

from datetime import date

import pytest

from alignment.core.model import CheckIn, Direction, Kind, Node, PlanError
from alignment.core.plan import Plan
from alignment.formats.plan_file import write_plan
from alignment.store import StaleEditError, Store, StoreError

NAME = "Test plan"


def observable(plan: Plan) -> tuple:
    return (
        plan.name,
        plan.description,
        plan.nodes(),
        [plan.parents(node.id) for node in plan.nodes()],
    )


@pytest.fixture
def db(db_url, plan_factory) -> str:
    """A database holding one small plan."""
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
    with Store.open(db_url) as store:
        store.save_plan(plan)
    return db_url


def stored(db: str) -> Plan:
    """The plan as a new process would see it."""
    with Store.open(db) as store:
        return store.load(NAME)


# A trigger that refuses every journal entry, as a full disk would, on each backend.
REFUSE_JOURNAL = {
    "sqlite": [
        "CREATE TRIGGER refuse_journal BEFORE INSERT ON change "
        "BEGIN SELECT RAISE(ABORT, 'disk is full'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_journal() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'disk is full'; END $$",
        "CREATE TRIGGER refuse_journal BEFORE INSERT ON change "
        "FOR EACH ROW EXECUTE FUNCTION refuse_journal()",
    ],
}
ALLOW_JOURNAL = {
    "sqlite": ["DROP TRIGGER refuse_journal"],
    "postgresql": ["DROP TRIGGER refuse_journal ON change"],
}


def retitle(session, node_id: str, title: str) -> None:
    session.apply(session.plan.update_change(session.plan.node(node_id).evolve(title=title)))


# -- edits persist ------------------------------------------------------------------------------


def test_each_kind_of_edit_is_saved(db):
    session = Store.open(db).session()
    plan = session.plan
    session.apply(plan.add_change(Node(id="new", kind=Kind.INDICATOR, title="New"), ["s"]))
    session.apply(plan.link_change("i", "new", effect=2, confidence=0.5))
    session.apply(plan.unlink_change("j", "s"))
    session.apply(plan.status_change("j", "dropped"))
    session.apply(plan.checkin_change("k", date(2026, 2, 2), 47))
    session.apply(plan.update_change(plan.node("g").evolve(owner="Exec")))
    session.apply(plan.remove_change("s"))
    assert observable(stored(db)) == observable(session.plan)
    assert write_plan(stored(db)) == write_plan(session.plan)
    again = stored(db)
    assert again.node("k").current == 47
    assert again.node("j").status == "dropped"
    assert [link.parent for link in again.parents("i")] == ["k", "new"]


def test_a_refused_edit_writes_nothing(db):
    session = Store.open(db).session()
    before = write_plan(stored(db))
    with pytest.raises(PlanError, match="already supports"):
        session.apply(session.plan.link_change("i", "k"))
    with pytest.raises(PlanError, match="cannot support"):
        session.apply(session.plan.link_change("g", "i"))
    assert write_plan(stored(db)) == before
    assert write_plan(session.plan) == before
    assert [entry.summary for entry in session.history()] == ["imported plan (5 nodes)"]


def test_a_change_is_one_transaction(db, sql):
    """When the journal cannot be written, the node edit made just before it is rolled back too."""
    session = Store.open(db).session()
    before = write_plan(session.plan)
    backend = db.split(":")[0].split("+")[0]
    for statement in REFUSE_JOURNAL[backend]:
        sql(db, statement)
    with pytest.raises(StoreError, match="disk is full"):
        retitle(session, "k", "Bounce rate")
    assert write_plan(stored(db)) == before, "the database is as it was"
    assert write_plan(session.plan) == before, "and so is the plan in memory"
    for statement in ALLOW_JOURNAL[backend]:
        sql(db, statement)
    retitle(session, "k", "Bounce rate")  # the session is still usable
    assert stored(db).node("k").title == "Bounce rate"


# -- two sessions on one file (two processes) -------------------------------------------------


def test_an_edit_based_on_a_stale_node_is_refused_not_overwritten(db):
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    stale = mine.plan.update_change(mine.plan.node("k").evolve(title="Mine"))
    retitle(theirs, "k", "Theirs")
    with pytest.raises(StaleEditError) as refused:
        mine.apply(stale)
    message = str(refused.value)
    assert "someone else changed the plan meanwhile" in message
    assert "k changed since it was read" in message
    assert message.endswith("The plan was reloaded.")
    assert stored(db).node("k").title == "Theirs"
    assert mine.plan.node("k").title == "Theirs", "the refused session now shows their edit"


def test_deleting_a_node_someone_else_just_edited_is_refused(db):
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    stale = mine.plan.remove_change("j")
    retitle(theirs, "j", "Renamed")
    with pytest.raises(StaleEditError):
        mine.apply(stale)
    assert stored(db).node("j").title == "Renamed"


def test_linking_to_a_node_someone_else_deleted_is_refused(db):
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    theirs.apply(theirs.plan.remove_change("k"))
    with pytest.raises(StaleEditError):
        mine.apply(mine.plan.link_change("j", "k"))
    assert "k" not in stored(db)
    assert "k" not in mine.plan


def test_edits_to_different_nodes_from_two_sessions_both_survive(db):
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    retitle(theirs, "k", "Theirs")
    retitle(mine, "j", "Mine")  # based on a copy that predates their edit
    again = stored(db)
    assert (again.node("k").title, again.node("j").title) == ("Theirs", "Mine")
    assert (mine.plan.node("k").title, mine.plan.node("j").title) == ("Theirs", "Mine")
    theirs.reload()
    assert observable(theirs.plan) == observable(again)


def test_checkins_on_other_dates_of_one_indicator_both_succeed(db):
    """Check-ins on different dates are independent facts: neither writer is refused."""
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    theirs.apply(theirs.plan.checkin_change("k", date(2026, 2, 2), 48))
    mine.apply(mine.plan.checkin_change("k", date(2026, 3, 2), 46))  # read before theirs
    assert [c.value for c in stored(db).node("k").history] == [50, 48, 46]
    assert stored(db).node("k").current == 46
    assert observable(mine.plan) == observable(stored(db)), "my session now shows theirs too"


def test_an_earlier_checkin_made_meanwhile_leaves_current_with_the_latest(db):
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    theirs.apply(theirs.plan.checkin_change("k", date(2026, 3, 2), 46))
    mine.apply(mine.plan.checkin_change("k", date(2026, 2, 2), 48))  # mine thought it latest
    assert stored(db).node("k").current == 46
    assert mine.plan.node("k").current == 46


def test_a_checkin_on_a_date_someone_else_just_recorded_is_refused(db):
    """The one real conflict between check-ins: the same date of the same indicator."""
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    theirs.apply(theirs.plan.checkin_change("k", date(2026, 2, 2), 48))
    with pytest.raises(StaleEditError, match="48 was recorded on 2026-02-02 meanwhile"):
        mine.apply(mine.plan.checkin_change("k", date(2026, 2, 2), 47))
    assert [c.value for c in stored(db).node("k").history] == [50, 48]
    # On the reloaded plan the same check-in says it replaces theirs, and goes through.
    change = mine.plan.checkin_change("k", date(2026, 2, 2), 47)
    assert (change.previous, change.at) == (48, date(2026, 2, 2))
    mine.apply(change)
    assert [c.value for c in stored(db).node("k").history] == [50, 47]


def test_edits_of_different_fields_of_one_node_both_survive(db):
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    stale = mine.plan.update_change(mine.plan.node("k").evolve(owner="Mine"))
    retitle(theirs, "k", "Theirs")
    theirs.apply(theirs.plan.checkin_change("k", date(2026, 2, 2), 48))
    mine.apply(stale)
    again = stored(db).node("k")
    assert (again.title, again.owner, again.current) == ("Theirs", "Mine", 48)
    assert mine.plan.node("k") == again


def test_a_write_that_finds_the_plan_moved_on_makes_the_change_again_in_place(db, monkeypatch):
    """Others' check-ins between my read and my write: my edit is made again on the plan as
    it is, inside the write (holding the plan), so it is neither refused nor retried."""
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    real_write = mine._write
    tries = []

    def someone_checks_in_first(change, journal, again):  # type: ignore[no-untyped-def]
        tries.append(change)
        day = date(2026, 2, len(tries))
        theirs.apply(theirs.plan.checkin_change("k", day, 40 + len(tries)))
        return real_write(change, journal, again)

    monkeypatch.setattr(mine, "_write", someone_checks_in_first)
    mine.apply(mine.plan.link_change("j", "k"))
    retitle(mine, "k", "Mine")  # k's version moved with their check-in
    assert len(tries) == 2, "each written at the first try"
    again = stored(db)
    assert again.link_between("j", "k") is not None
    assert (again.node("k").title, len(again.node("k").history)) == ("Mine", 3)
    assert observable(mine.plan) == observable(again)


def test_a_real_conflict_found_inside_the_write_writes_nothing(db, monkeypatch):
    mine, theirs = Store.open(db).session(), Store.open(db).session()
    real_write = mine._write
    stale = mine.plan.update_change(mine.plan.node("k").evolve(title="Mine"))

    def someone_retitles_first(change, journal, again):  # type: ignore[no-untyped-def]
        retitle(theirs, "k", "Theirs")
        return real_write(change, journal, again)

    monkeypatch.setattr(mine, "_write", someone_retitles_first)
    with pytest.raises(StaleEditError, match="its title is now 'Theirs'"):
        mine.apply(stale)
    assert stored(db).node("k").title == "Theirs"
    assert observable(mine.plan) == observable(stored(db)), "my session shows theirs"
    assert [e.summary for e in mine.history()][:2] == ["edit k (title)", "imported plan (5 nodes)"]


def test_a_write_the_database_calls_retryable_is_tried_again(db, monkeypatch):
    from alignment.store.errors import DatabaseError

    session = Store.open(db).session()
    real_write = session._write
    failures = [DatabaseError("the database is busy; try again", retryable=True)]

    def busy_once(change, journal, again):  # type: ignore[no-untyped-def]
        if failures:
            raise failures.pop()
        return real_write(change, journal, again)

    monkeypatch.setattr(session, "_write", busy_once)
    retitle(session, "k", "Saved at the second try")
    assert stored(db).node("k").title == "Saved at the second try"

    failures.append(DatabaseError("the database is read-only"))
    before = write_plan(session.plan)
    with pytest.raises(DatabaseError, match="read-only"):
        retitle(session, "k", "Never saved")
    assert write_plan(session.plan) == before, "a refusal that is not retryable is not retried"


# -- undo, redo, history ------------------------------------------------------------------------


def test_undo_and_redo(db):
    session = Store.open(db).session()
    original = write_plan(session.plan)
    assert not session.can_undo, "an import is where history starts"
    retitle(session, "k", "First")
    session.apply(session.plan.link_change("j", "k"))
    after = write_plan(session.plan)
    assert session.can_undo and not session.can_redo

    assert session.undo().describe() == "unlink j -> k"
    assert session.undo().describe() == "edit k (title)"
    assert session.undo() is None
    assert write_plan(session.plan) == original
    assert write_plan(stored(db)) == original
    assert session.can_redo and not session.can_undo

    session.redo()
    session.redo()
    assert session.redo() is None
    assert write_plan(session.plan) == after
    assert write_plan(stored(db)) == after


def test_undo_and_redo_survive_a_restart(db):
    first = Store.open(db).session()
    original = write_plan(first.plan)
    first.apply(first.plan.remove_change("k"))
    first.store.close()

    second = Store.open(db).session()
    assert second.can_undo
    second.undo()
    assert write_plan(stored(db)) == original
    assert stored(db).node("k").history == (CheckIn(date(2026, 1, 5), 50),)
    assert [link.child for link in stored(db).children("k")] == ["i"]
    second.store.close()

    third = Store.open(db).session()
    assert third.can_redo
    third.redo()
    assert "k" not in stored(db)


def test_a_new_edit_discards_the_redo_branch(db):
    session = Store.open(db).session()
    retitle(session, "k", "Undone")
    session.undo()
    retitle(session, "j", "New branch")
    assert not session.can_redo
    assert session.redo() is None
    assert stored(db).node("k").title == "k"
    assert [(e.summary, e.state) for e in session.history()] == [
        ("edit j (title)", "applied"),
        ("edit k (title)", "discarded"),
        ("imported plan (5 nodes)", "applied"),
    ]


def test_history_says_who_changed_what_newest_first(db, monkeypatch):
    session = Store.open(db).session()
    retitle(session, "k", "Bounce rate")
    monkeypatch.setenv("ALIGNMENT_AUTHOR", "ada")
    other = Store.open(db).session()
    other.apply(other.plan.checkin_change("k", date(2026, 2, 2), 47))
    other.undo()
    entries = Store.open(db).session().history()
    assert [(e.author, e.summary, e.state) for e in entries] == [
        ("ada", "check-in k: 47 on 2026-02-02", "undone"),
        ("tester", "edit k (title)", "applied"),
        ("tester", "imported plan (5 nodes)", "applied"),
    ]
    assert entries[0].at >= entries[1].at >= entries[2].at
    assert len(session.history(limit=1)) == 1


def test_a_batch_is_saved_and_undone_as_one(db):
    session = Store.open(db).session()
    before = write_plan(session.plan)
    session.apply(
        session.plan.checkins_change([("k", date(2026, 2, 2), 48), ("k", date(2026, 3, 2), 46)])
    )
    assert [c.value for c in stored(db).node("k").history] == [50, 48, 46]
    session.undo()
    assert write_plan(stored(db)) == before
    assert session.history()[0].state == "undone"


def test_a_session_on_a_deleted_plan_says_so(db):
    session = Store.open(db).session()
    Store.open(db).delete_plan(NAME)
    with pytest.raises(StoreError, match="no longer exists"):
        session.reload()


def test_undo_in_a_session_that_fell_behind_catches_up_first(db):
    mine = Store.open(db).session()
    theirs = Store.open(db).session()
    retitle(theirs, "k", "Theirs")  # another process edits; my session has not seen it
    assert mine.plan.node("k").title != "Theirs"

    assert mine.undo().describe() == "edit k (title)"
    assert mine.plan.node("k").title == stored(db).node("k").title != "Theirs"


@pytest.mark.parametrize("edit", ["unlink", "remove"])
def test_undo_puts_a_link_back_in_its_place_in_the_store_too(db_url, plan_factory, edit):
    plan = plan_factory("goal a", "goal b", "goal c", "strategy s -> a b c")
    store = Store.open(db_url)
    store.save_plan(plan)
    session = store.session()
    original = write_plan(session.plan)
    change = (
        session.plan.unlink_change("s", "b")
        if edit == "unlink"
        else session.plan.remove_change("b")
    )
    session.apply(change)
    session.undo()
    assert write_plan(session.plan) == original
    assert write_plan(Store.open(db_url).load(plan.name)) == original


def test_renaming_the_plan_is_saved_undoable_and_followed_by_other_sessions(db):
    session = Store.open(db).session()
    other = Store.open(db).session()
    session.apply(session.plan.edit_plan_change("Renamed", "Now with a description"))
    assert Store.open(db).plan_names() == ["Renamed"]
    assert session.name == "Renamed"
    assert Store.open(db).load("Renamed").description == "Now with a description"

    other.apply(other.plan.status_change("j", "active"))  # reloads and follows the rename
    assert other.name == "Renamed"

    session.undo()  # undoes the status change first
    session.undo()
    assert Store.open(db).plan_names() == [NAME]


def test_a_rename_to_a_taken_name_is_refused_and_changes_nothing(db, plan_factory):
    store = Store.open(db)
    store.save_plan(plan_factory("goal x", name="Other"))
    session = store.session(NAME)
    with pytest.raises(StoreError, match="a plan named 'Other' already exists"):
        session.apply(session.plan.edit_plan_change("Other", None))
    assert session.plan.name == NAME
    assert sorted(store.plan_names()) == ["Other", NAME]


def test_a_delete_based_on_stale_links_is_refused_and_their_link_survives(db):
    mine = Store.open(db).session()
    theirs = Store.open(db).session()
    delete_k = mine.plan.remove_change("k")  # read before they link j to k
    theirs.apply(theirs.plan.link_change("j", "k"))
    with pytest.raises(StaleEditError, match="k changed since it was read"):
        mine.apply(delete_k)
    assert stored(db).link_between("j", "k") is not None
    assert mine.plan.link_between("j", "k") is not None  # my session was reloaded


# -- who is editing ---------------------------------------------------------------------------


def test_the_author_is_given_else_the_environment_else_git_else_the_login(monkeypatch):
    import getpass

    from alignment.store import session as session_module
    from alignment.store.session import current_author

    monkeypatch.setattr(session_module, "_git_user_name", lambda: "Grace Hopper")
    monkeypatch.setenv("ALIGNMENT_AUTHOR", "env-name")
    assert current_author("  given  ") == "given"
    assert current_author() == "env-name"
    monkeypatch.delenv("ALIGNMENT_AUTHOR")
    assert current_author() == "Grace Hopper"
    monkeypatch.setattr(session_module, "_git_user_name", lambda: "bad\x1b[31m")
    assert current_author() == getpass.getuser(), (
        "a name from git that cannot be one is passed over"
    )
    monkeypatch.setattr(session_module, "_git_user_name", lambda: None)
    assert current_author() == getpass.getuser()
    monkeypatch.setenv("ALIGNMENT_AUTHOR", "\x1b]0;title\x07")
    with pytest.raises(PlanError, match=r"the author \(ALIGNMENT_AUTHOR\) must be one line"):
        current_author()


def test_the_session_does_not_import_the_store_module():
    """One direction between the two: store.py builds sessions, session.py needs no Store
    at run time (the type only), so there is no import cycle."""
    import ast
    import inspect

    from alignment.store import session as session_module

    tree = ast.parse(inspect.getsource(session_module))
    runtime_imports = [
        node.module
        for node in tree.body  # module level; ``if TYPE_CHECKING:`` blocks are not imports
        if isinstance(node, ast.ImportFrom)
    ]
    assert "alignment.store.store" not in runtime_imports
    assert "alignment.store.rows" in runtime_imports


def test_a_checkin_goes_through_the_journal_unchanged():
    from alignment.core.changes import Batch, RecordCheckIn
    from alignment.store.journal import change_from_json, change_to_json

    first = RecordCheckIn("k", date(2026, 2, 2), 47.5, None, 50)
    replace = RecordCheckIn("k", date(2026, 2, 2), 46, 47.5, 50)
    for change in (first, first.inverse(), Batch((first, replace), "check-ins for 1 indicator")):
        assert change_from_json(change_to_json(change)) == change
