"""PlanSession: one plan open for editing. Each change is one transaction, journalled for undo.

Several writers. Every write first takes the plan row (bumping its revision), so the writes to
one plan are serialised and each sees what the others committed. A check-in is then written
against the one value it replaces (on its date), whatever else moved: check-ins on other dates
and edits of other nodes never refuse it. Any other change is written on the plan it was made
on: when others wrote since it was read, the write reads the plan again inside its own
transaction (still holding the plan row, so nobody moves it on meanwhile) and makes the change
again there (``rebase``: an edit keeps only the fields it changed). Only a real conflict is
refused, saying what: the same field of the same node, or a check-in on the same date, changed
since it was read. A write held back for a passing reason (an undo that found the plan moved
on, a database busy or a transaction that collided) is tried again on the plan read afresh, up
to TRIES times, after a short random pause.

Undo and redo are per author: each takes back the author's own last change (or puts back the
last one undone), and is refused, naming who and what, when a later change by someone else
touches the same thing.
"""

from __future__ import annotations

import getpass
import os
import random
import subprocess
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, select, update

from alignment.core.changes import (
    AddNode,
    Batch,
    Change,
    EditPlan,
    LinkNodes,
    RecordCheckIn,
    RemoveNode,
    UnlinkNodes,
    UpdateNode,
    changed_fields,
    overlaps,
    rebase,
    touches,
)
from alignment.core.model import CheckIn, Node, PlanError
from alignment.core.plan import Plan
from alignment.store.errors import DatabaseError, StaleEditError, StoreError
from alignment.store.journal import change_from_json, change_to_json
from alignment.store.rows import (
    CHANGE,
    CHECKIN,
    LINK,
    NODE,
    PLAN,
    insert_links,
    insert_nodes,
    load_plan,
    node_pks,
    node_row,
)

if TYPE_CHECKING:
    from alignment.store.store import Store

__all__ = ["JournalEntry", "PlanSession", "UndoRefusedError", "check_author", "current_author"]

# A write that found the plan moved on is made again on the fresh plan, this many times in all,
# after a random pause in this range (seconds), so that writers that collided spread out.
TRIES = 5
PAUSE = (0.02, 0.2)
MAX_AUTHOR = 80
# Zero-width (non-)joiners are format characters that names need (Persian, Indic scripts).
_JOINERS = frozenset("\u200c\u200d")


def current_author(explicit: str | None = None) -> str:
    """Who is editing: ``explicit`` (``--author``), else ``ALIGNMENT_AUTHOR``, else git's
    ``user.name``, else the user of the operating system. A name given that cannot be one
    (control characters, too long) is refused with PlanError; such a name from git is passed
    over."""
    given = (("--author", explicit), ("ALIGNMENT_AUTHOR", os.environ.get("ALIGNMENT_AUTHOR")))
    for source, name in given:
        if name is not None and name.strip():
            return check_author(name, f"the author ({source})")
    from_git = _git_user_name()
    if from_git:
        try:
            return check_author(from_git)
        except PlanError:
            pass
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def check_author(name: str, what: str = "the author name") -> str:
    """``name`` without surrounding spaces; PlanError when it cannot name an author."""
    name = name.strip()
    if not name:
        raise PlanError(f"{what} must not be empty")
    if len(name) > MAX_AUTHOR:
        raise PlanError(f"{what} is longer than {MAX_AUTHOR} characters ({len(name)})")
    if any(
        unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in _JOINERS
        for char in name
    ):
        raise PlanError(f"{what} must be one line without control characters")
    return name


def _git_user_name() -> str | None:
    try:
        done = subprocess.run(
            ["git", "config", "user.name"],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


@dataclass(frozen=True, slots=True)
class JournalEntry:
    at: datetime
    author: str
    summary: str
    state: str


class UndoRefusedError(PlanError):
    """Undo or redo would take back a change that someone else's later change depends on."""


class _Moved(Exception):
    """What the change depends on moved on since it was read (internal: reload and retry)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    pk: int
    payload: str
    summary: str


class PlanSession:
    plan: Plan

    def __init__(self, store: Store, name: str, author: str | None = None) -> None:
        self.store = store
        self.name = name
        self.author = current_author(author)
        self.plan_id: int | None = None  # known after the first load
        self._in_memory: Change | None = None  # the change being written, made in memory
        self.reload()

    def reload(self) -> None:
        with self.store.transaction() as conn:
            # By id, so a rename elsewhere is followed; by name after a --replace (a new id).
            found = conn.execute(select(PLAN.c.id).where(PLAN.c.id == self.plan_id)).scalar()
            if found is None:
                found = conn.execute(select(PLAN.c.id).where(PLAN.c.name == self.name)).scalar()
            if found is None:
                raise StoreError(f"plan {self.name!r} no longer exists in the database")
            self.plan_id = found
            self.plan, self.revision, self.versions = load_plan(conn, found)
            self.name = self.plan.name

    # -- editing ------------------------------------------------------------------------------

    def apply(self, change: Change) -> Change:
        """Validate ``change`` on the plan, save it and journal it, all or nothing.

        Returns the change as saved: made again on the fresh plan when another writer moved
        the plan on meanwhile. StaleEditError (the session has reloaded) for a real conflict.
        """

        def make(retry: bool) -> Change:
            nonlocal change
            if not retry:
                self.plan.apply(change)
                return change
            try:
                change = rebase(change, self.plan)
                self.plan.apply(change)
            except PlanError as error:
                raise StaleEditError(
                    f"someone else changed the plan meanwhile; your edit no longer fits ({error}). "
                    "The plan was reloaded."
                ) from None
            return change

        made = self._commit(make, self._journal_new)
        assert made is not None
        return made

    def undo(self) -> Change | None:
        """Take back this author's latest change still applied: returns the change that did it
        (the inverse), None when there is nothing to undo; UndoRefusedError when a later change
        by someone else depends on it."""
        return self._step("undo")

    def redo(self) -> Change | None:
        """Make again this author's change undone last; None when there is none."""
        return self._step("redo")

    @property
    def can_undo(self) -> bool:
        entry = self._own_entry("undo")
        return entry is not None and bool(entry.payload)

    @property
    def can_redo(self) -> bool:
        return self._own_entry("redo") is not None

    def history(self, limit: int = 100) -> list[JournalEntry]:
        with self.store.transaction() as conn:
            rows = conn.execute(
                select(CHANGE.c.at, CHANGE.c.author, CHANGE.c.summary, CHANGE.c.state)
                .where(CHANGE.c.plan_id == self.plan_id)
                .order_by(CHANGE.c.pk.desc())
                .limit(limit)
            ).all()
        return [JournalEntry(*row) for row in rows]

    # -- undo and redo ------------------------------------------------------------------------

    def _step(self, which: str) -> Change | None:
        before, after = ("applied", "undone") if which == "undo" else ("undone", "applied")
        entry: _Entry | None = None

        def make(retry: bool) -> Change | None:
            nonlocal entry
            if not retry:
                self._catch_up()
            entry = self._own_entry(which)
            if entry is None or not entry.payload:
                return None  # nothing of ours; an import is the start of the plan's history
            try:
                original = change_from_json(entry.payload)
            except ValueError as error:  # a payload from a newer version
                raise PlanError(f"cannot {which} {entry.summary!r}: {error}") from None
            self._refuse_if_depended_on(which, entry, original)
            change = original.inverse() if which == "undo" else original
            try:
                change = rebase(change, self.plan)
                self.plan.apply(change)
            except PlanError as error:
                raise PlanError(f"cannot {which} {entry.summary!r}: {error}") from None
            return change

        def journal(conn: Connection, _change: Change) -> None:
            assert entry is not None
            done = conn.execute(
                update(CHANGE)
                .where(CHANGE.c.pk == entry.pk, CHANGE.c.state == before)
                .values(state=after)
            )
            if done.rowcount != 1:  # the same author, in another process, got there first
                raise _Moved

        # Not made again inside the write: finding the entry and what depends on it reads the
        # journal, so a retry starts over (a reload and a short pause).
        return self._commit(make, journal, again_in_place=False)

    def _own_entry(self, which: str) -> _Entry | None:
        """This author's latest change still applied (undo), or the earliest undone (redo)."""
        state, order = (
            ("applied", CHANGE.c.pk.desc()) if which == "undo" else ("undone", CHANGE.c.pk)
        )
        with self.store.transaction() as conn:
            row = conn.execute(
                select(CHANGE.c.pk, CHANGE.c.payload, CHANGE.c.summary)
                .where(
                    CHANGE.c.plan_id == self.plan_id,
                    CHANGE.c.author == self.author,
                    CHANGE.c.state == state,
                )
                .order_by(order)
                .limit(1)
            ).first()
        return None if row is None else _Entry(*row)

    def _refuse_if_depended_on(self, which: str, entry: _Entry, original: Change) -> None:
        """UndoRefusedError naming the latest change by someone else, made after ``entry`` and
        still applied, that touches what ``original`` touches."""
        mine = touches(original)
        with self.store.transaction() as conn:
            later = conn.execute(
                select(CHANGE.c.at, CHANGE.c.author, CHANGE.c.summary, CHANGE.c.payload)
                .where(
                    CHANGE.c.plan_id == self.plan_id,
                    CHANGE.c.pk > entry.pk,
                    CHANGE.c.state == "applied",
                    CHANGE.c.author != self.author,
                    CHANGE.c.payload != "",
                )
                .order_by(CHANGE.c.pk.desc())
            ).all()
        for at, author, summary, payload in later:
            try:
                theirs = touches(change_from_json(payload))
            except ValueError:  # from a newer version: assume the worst
                theirs = mine
            if overlaps(mine, theirs):
                raise UndoRefusedError(
                    f"cannot {which}: {author} since {_past(summary)} at {_when(at)}"
                )

    # -- writing ------------------------------------------------------------------------------

    def _commit(
        self,
        make: Callable[[bool], Change | None],
        journal: Callable[[Connection, Change], None],
        again_in_place: bool = True,
    ) -> Change | None:
        """Make the change on the plan in memory (``make``, told whether this is a retry on a
        reloaded plan) and write it with its journal entry; retried while the plan moved on.

        ``again_in_place``: ``make(True)`` touches only memory, so a write that finds the plan
        moved on may make the change again inside its own transaction (see ``_write``).
        """
        for attempt in range(TRIES):
            if attempt:
                time.sleep(random.uniform(*PAUSE))
                self.reload()
            change = make(attempt > 0)
            if change is None:
                return None
            self._in_memory = change
            again = (lambda: make(True)) if again_in_place else None
            try:
                change, moved = self._write(change, journal, again)
            except _Moved:
                continue  # the next attempt reloads
            except DatabaseError as error:
                if error.retryable and attempt < TRIES - 1:
                    continue  # busy, or collided with another writer: as above
                self._put_back()
                raise
            except StoreError:
                self._put_back()
                raise
            if moved:
                self.reload()  # others wrote meanwhile: show their work too
            return change
        self.reload()
        raise StaleEditError(
            f"others are changing the plan right now; your edit was tried {TRIES} times. "
            "The plan was reloaded: try again"
        )

    def _put_back(self) -> None:
        """The database refused the change made in memory: the plan goes back too."""
        if self._in_memory is None:
            return  # it was refused before it was made (the plan in memory is as stored)
        try:
            self.plan.apply(self._in_memory.inverse())
        except PlanError:
            self.reload()

    def _write(
        self,
        change: Change,
        journal: Callable[[Connection, Change], None],
        again: Callable[[], Change | None] | None,
    ) -> tuple[Change, bool]:
        """Write ``change`` and its journal entry in one transaction: the change as written,
        and whether others' work is missing from the plan in memory. _Moved when it cannot be
        written on the plan as it is now."""
        with self.store.transaction() as conn:
            # Taking the plan row first serialises the writers of this plan (a row lock on
            # PostgreSQL, the write lock on SQLite): what is read below is what is committed.
            conn.execute(
                update(PLAN).where(PLAN.c.id == self.plan_id).values(revision=PLAN.c.revision + 1)
            )
            revision = conn.execute(
                select(PLAN.c.revision).where(PLAN.c.id == self.plan_id)
            ).scalar()
            if revision is None:
                raise _Moved  # replaced or deleted: the reload says which
            moved = revision != self.revision + 1
            if moved and not _only_checkins(change):
                if again is None:
                    raise _Moved
                # Others wrote since the plan was read: read it again here, holding the plan
                # row, so that nobody moves it on before this write, and make the change on it
                # (StaleEditError, with nothing written, when it no longer fits).
                assert self.plan_id is not None
                self._in_memory = None
                self.plan, _, self.versions = load_plan(conn, self.plan_id)
                self.revision, self.name = revision - 1, self.plan.name
                remade = again()
                assert remade is not None
                change = self._in_memory = remade
                moved = False
            versions = dict(self.versions)
            self._write_change(conn, change, versions)
            journal(conn, change)
        self.revision = revision
        self.versions = versions
        self.name = self.plan.name  # follows a rename
        return change, moved

    def _write_change(self, conn: Connection, change: Change, versions: dict[str, int]) -> None:
        plan_id = self.plan_id
        assert plan_id is not None
        match change:
            case AddNode(node, links, _position):
                insert_nodes(conn, plan_id, self.plan, [node])
                versions[node.id] = 1
                pks = node_pks(
                    conn, plan_id, [node.id, *(end for link in links for end in link.key)]
                )
                # The plan ranked each link (its place in a supports list) on apply.
                ranked = [self.plan.link_between(*link.key) or link for link in links]
                insert_links(conn, plan_id, pks, ranked)
            case RemoveNode(node, _links, _position):
                # The plan is as read (see _needs_the_plan_as_read): the row is the one we know.
                conn.execute(
                    delete(NODE).where(NODE.c.plan_id == plan_id, NODE.c.node_id == node.id)
                )
                versions.pop(node.id, None)
            case UpdateNode(before, after):
                self._update_node(conn, before, after, versions)
            case RecordCheckIn():
                self._record_checkin(conn, change, versions)
            case LinkNodes(link):
                pks = node_pks(conn, plan_id, list(link.key))
                # The plan gave the link its rank (its place in the supports list) on apply.
                insert_links(conn, plan_id, pks, [self.plan.link_between(*link.key) or link])
            case UnlinkNodes(link):
                pks = node_pks(conn, plan_id, list(link.key))
                conn.execute(
                    delete(LINK).where(
                        LINK.c.child_pk == pks[link.child], LINK.c.parent_pk == pks[link.parent]
                    )
                )
            case EditPlan(_before, (name, description)):
                taken = conn.execute(
                    select(PLAN.c.id).where(PLAN.c.name == name, PLAN.c.id != plan_id)
                ).scalar()
                if taken is not None:
                    raise StoreError(f"a plan named {name!r} already exists")
                conn.execute(
                    update(PLAN)
                    .where(PLAN.c.id == plan_id)
                    .values(name=name, description=description)
                )
            case Batch(changes):
                for part in changes:
                    self._write_change(conn, part, versions)

    def _update_node(
        self, conn: Connection, before: Node, after: Node, versions: dict[str, int]
    ) -> None:
        """Write the fields the edit changed, if the node is still the version we read."""
        assert self.plan_id is not None
        version = versions[after.id]
        row = node_row(after)
        changed = {name: row[name] for name in changed_fields(before, after) if name in row}
        done = conn.execute(
            update(NODE)
            .where(
                NODE.c.plan_id == self.plan_id,
                NODE.c.node_id == after.id,
                NODE.c.version == version,
            )
            .values(**changed, version=NODE.c.version + 1)
        )
        # The version read is the one stored: a plan that moved on was read again (``_write``).
        assert done.rowcount == 1, f"{after.id}: version {version} is not the stored one"
        versions[after.id] = version + 1
        if before.history != after.history:
            node_pk = node_pks(conn, self.plan_id, [after.id])[after.id]
            conn.execute(delete(CHECKIN).where(CHECKIN.c.node_pk == node_pk))
            if after.history:
                conn.execute(
                    CHECKIN.insert(),
                    [{"node_pk": node_pk, "at": c.at, "value": c.value} for c in after.history],
                )

    def _record_checkin(
        self, conn: Connection, change: RecordCheckIn, versions: dict[str, int]
    ) -> None:
        """One check-in row, and the node's current value when the latest check-in moved;
        whatever else happened to the plan meanwhile. _Moved when the date no longer holds
        the value the change replaces (or the indicator is gone): the rebase says which."""
        found = conn.execute(
            select(NODE.c.pk, NODE.c.current).where(
                NODE.c.plan_id == self.plan_id, NODE.c.node_id == change.node
            )
        ).first()
        if found is None:
            raise _Moved
        node_pk, current = found
        on_date = (CHECKIN.c.node_pk == node_pk, CHECKIN.c.at == change.at)
        stored = conn.execute(select(CHECKIN.c.value).where(*on_date)).scalar()
        if stored != change.previous:
            raise _Moved
        if change.value is None:
            conn.execute(delete(CHECKIN).where(*on_date))
        elif stored is None:
            conn.execute(CHECKIN.insert().values(node_pk=node_pk, at=change.at, value=change.value))
        else:
            conn.execute(update(CHECKIN).where(*on_date).values(value=change.value))
        latest = conn.execute(
            select(CHECKIN.c.at, CHECKIN.c.value)
            .where(CHECKIN.c.node_pk == node_pk)
            .order_by(CHECKIN.c.at.desc())
            .limit(1)
        ).first()
        current = change.current_after(current, None if latest is None else CheckIn(*latest))
        conn.execute(
            update(NODE)
            .where(NODE.c.pk == node_pk)
            .values(current=current, version=NODE.c.version + 1)
        )
        if change.node in versions:
            versions[change.node] += 1

    def _journal_new(self, conn: Connection, change: Change) -> None:
        # A new edit ends this author's redo branch: what they undid can no longer be redone.
        conn.execute(
            update(CHANGE)
            .where(
                CHANGE.c.plan_id == self.plan_id,
                CHANGE.c.author == self.author,
                CHANGE.c.state == "undone",
            )
            .values(state="discarded")
        )
        conn.execute(
            CHANGE.insert().values(
                plan_id=self.plan_id,
                at=datetime.now(UTC),
                author=self.author,
                summary=change.describe(),
                payload=change_to_json(change),
                state="applied",
            )
        )

    def revision_in_store(self) -> int | None:
        """The plan's revision as stored now (one small query): when it is not ``revision``,
        another writer changed the plan; None when the plan no longer exists."""
        with self.store.transaction() as conn:
            revision: int | None = conn.execute(
                select(PLAN.c.revision).where(PLAN.c.id == self.plan_id)
            ).scalar()
        return revision

    def _catch_up(self) -> None:
        """Reload when another process changed the plan: undo and redo start from the plan as
        it is now."""
        with self.store.transaction() as conn:
            revision = conn.execute(
                select(PLAN.c.revision).where(PLAN.c.id == self.plan_id)
            ).scalar()
        if revision != self.revision:
            self.reload()


def _only_checkins(change: Change) -> bool:
    """Check-ins are written on the plan as it is, whatever else moved: each checks its own row
    (the value on its date). Any other change is written on the plan it was made on (a field
    edit names its node's version; links, cycles and ranks depend on the whole plan)."""
    match change:
        case RecordCheckIn():
            return True
        case Batch(changes):
            return all(_only_checkins(part) for part in changes)
    return False


_PAST = {
    "add": "added",
    "delete": "deleted",
    "edit": "changed",
    "link": "linked",
    "unlink": "unlinked",
    "rename": "renamed",
    "remove": "removed",
    "check-in": "recorded check-in",
    "check-ins": "recorded check-ins",
}


def _past(summary: str) -> str:
    """'edit cac (target)' -> 'changed cac (target)', for a sentence about what someone did."""
    verb, _, rest = summary.partition(" ")
    return f"{_PAST[verb]} {rest}" if verb in _PAST else f"made {summary!r}"


def _when(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    today = datetime.now(UTC).date()
    return f"{at:%H:%M}" if at.date() == today else f"{at:%Y-%m-%d %H:%M}"
