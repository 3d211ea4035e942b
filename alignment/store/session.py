"""PlanSession: one plan open for editing. Each change is one transaction, journalled for undo.

Concurrency: the plan row's revision moves with every change. When it moved under us (another
process edited the plan), the session reloads and re-checks the change against fresh data, so
neither side's edits are lost and an edit based on a stale node is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select, update

from alignment.core.changes import (
    AddNode,
    Batch,
    Change,
    EditPlan,
    LinkNodes,
    RemoveNode,
    UnlinkNodes,
    UpdateNode,
)
from alignment.core.model import PlanError
from alignment.core.plan import Plan
from alignment.store.journal import change_from_json, change_to_json
from alignment.store.store import (
    CHANGE,
    CHECKIN,
    LINK,
    NODE,
    PLAN,
    StaleEditError,
    Store,
    StoreError,
    current_author,
    insert_links,
    insert_nodes,
    load_plan,
    node_pks,
    node_row,
)

__all__ = ["JournalEntry", "PlanSession"]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    at: datetime
    author: str
    summary: str
    state: str


class _Conflict(Exception):
    """The plan moved on since we read it (internal: triggers reload and re-check)."""


class PlanSession:
    plan: Plan

    def __init__(self, store: Store, name: str, author: str | None = None) -> None:
        self.store = store
        self.name = name
        self.author = author or current_author()
        self.plan_id: int | None = None  # known after the first load
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

    def apply(self, change: Change) -> None:
        """Validate ``change`` on the plan, save it and journal it, all or nothing."""
        self._commit(change, journal=lambda conn: self._journal_new(conn, change))

    def undo(self) -> Change | None:
        """Undo the latest change still applied; None when there is nothing to undo."""
        self._catch_up()
        row = self._journal_row("applied", newest=True)
        if row is None:
            return None
        pk, payload, summary = row
        if not payload:
            return None  # an import: the start of the plan's history
        change = change_from_json(payload).inverse()
        self._commit(
            change, journal=lambda conn: self._set_state(conn, pk, "undone"), what=f"undo {summary}"
        )
        return change

    def redo(self) -> Change | None:
        self._catch_up()
        row = self._journal_row("undone", newest=False)
        if row is None:
            return None
        pk, payload, summary = row
        change = change_from_json(payload)
        self._commit(
            change,
            journal=lambda conn: self._set_state(conn, pk, "applied"),
            what=f"redo {summary}",
        )
        return change

    @property
    def can_undo(self) -> bool:
        row = self._journal_row("applied", newest=True)
        return row is not None and bool(row[1])

    @property
    def can_redo(self) -> bool:
        return self._journal_row("undone", newest=False) is not None

    def history(self, limit: int = 100) -> list[JournalEntry]:
        with self.store.transaction() as conn:
            rows = conn.execute(
                select(CHANGE.c.at, CHANGE.c.author, CHANGE.c.summary, CHANGE.c.state)
                .where(CHANGE.c.plan_id == self.plan_id)
                .order_by(CHANGE.c.pk.desc())
                .limit(limit)
            ).all()
        return [JournalEntry(*row) for row in rows]

    # -- internals ----------------------------------------------------------------------------

    def _catch_up(self) -> None:
        """Reload when another process changed the plan: the journal is shared, so undo and
        redo must start from the plan as it is now."""
        with self.store.transaction() as conn:
            revision = conn.execute(
                select(PLAN.c.revision).where(PLAN.c.id == self.plan_id)
            ).scalar()
        if revision != self.revision:
            self.reload()

    def _commit(self, change: Change, journal, what: str | None = None) -> None:  # type: ignore[no-untyped-def]
        try:
            self.plan.apply(change)
        except PlanError as error:
            if what:
                raise PlanError(f"cannot {what}: {error}") from None
            raise
        try:
            self._write(change, journal)
        except _Conflict:
            self._retry_after_reload(change, journal)
        except StoreError:
            self.plan.apply(change.inverse())  # the database refused: memory goes back too
            raise

    def _retry_after_reload(self, change: Change, journal) -> None:  # type: ignore[no-untyped-def]
        self.reload()
        try:
            self.plan.apply(change)
        except PlanError as error:
            raise StaleEditError(
                f"someone else changed the plan meanwhile; your edit no longer fits ({error}). "
                "The plan was reloaded."
            ) from None
        try:
            self._write(change, journal)
        except _Conflict:
            self.reload()
            raise StaleEditError(
                "someone else is changing the plan right now; the plan was reloaded, try again"
            ) from None
        except StoreError:
            self.reload()  # the database refused (read-only, a name taken...): say so as it is
            raise

    def _write(self, change: Change, journal) -> None:  # type: ignore[no-untyped-def]
        with self.store.transaction() as conn:
            bumped = conn.execute(
                update(PLAN)
                .where(PLAN.c.id == self.plan_id, PLAN.c.revision == self.revision)
                .values(revision=PLAN.c.revision + 1)
            )
            if bumped.rowcount != 1:
                raise _Conflict
            versions = dict(self.versions)
            self._write_change(conn, change, versions)
            journal(conn)
        self.revision += 1
        self.versions = versions
        self.name = self.plan.name  # follows a rename

    def _write_change(self, conn: Connection, change: Change, versions: dict[str, int]) -> None:
        plan_id = self.plan_id
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
                gone = conn.execute(
                    delete(NODE).where(
                        NODE.c.plan_id == plan_id,
                        NODE.c.node_id == node.id,
                        NODE.c.version == versions.get(node.id),
                    )
                )
                if gone.rowcount != 1:
                    raise _Conflict
                versions.pop(node.id, None)
            case UpdateNode(before, after):
                self._update_node(conn, before, after, versions)
            case LinkNodes(link):
                pks = node_pks(conn, plan_id, list(link.key))
                if len(pks) != 2:
                    raise _Conflict
                # The plan gave the link its rank (its place in the supports list) on apply.
                insert_links(conn, plan_id, pks, [self.plan.link_between(*link.key) or link])
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
            case UnlinkNodes(link):
                pks = node_pks(conn, plan_id, list(link.key))
                if len(pks) != 2:
                    raise _Conflict
                conn.execute(
                    delete(LINK).where(
                        LINK.c.child_pk == pks[link.child], LINK.c.parent_pk == pks[link.parent]
                    )
                )

    def _update_node(self, conn: Connection, before, after, versions: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
        version = versions.get(after.id)
        row = node_row(after)
        del row["node_id"], row["kind"]
        done = conn.execute(
            update(NODE)
            .where(
                NODE.c.plan_id == self.plan_id,
                NODE.c.node_id == after.id,
                NODE.c.version == version,
            )
            .values(**row, version=NODE.c.version + 1)
        )
        if done.rowcount != 1:
            raise _Conflict
        versions[after.id] = version + 1
        if before.history != after.history:
            node_pk = node_pks(conn, self.plan_id, [after.id])[after.id]
            conn.execute(delete(CHECKIN).where(CHECKIN.c.node_pk == node_pk))
            if after.history:
                conn.execute(
                    CHECKIN.insert(),
                    [{"node_pk": node_pk, "at": c.at, "value": c.value} for c in after.history],
                )

    def _journal_new(self, conn: Connection, change: Change) -> None:
        # A new edit ends the redo branch: what was undone can no longer be redone.
        conn.execute(
            update(CHANGE)
            .where(CHANGE.c.plan_id == self.plan_id, CHANGE.c.state == "undone")
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

    def _set_state(self, conn: Connection, pk: int, state: str) -> None:
        conn.execute(update(CHANGE).where(CHANGE.c.pk == pk).values(state=state))

    def _journal_row(self, state: str, newest: bool):  # type: ignore[no-untyped-def]
        order = CHANGE.c.pk.desc() if newest else CHANGE.c.pk.asc()
        with self.store.transaction() as conn:
            return conn.execute(
                select(CHANGE.c.pk, CHANGE.c.payload, CHANGE.c.summary)
                .where(CHANGE.c.plan_id == self.plan_id, CHANGE.c.state == state)
                .order_by(order)
                .limit(1)
            ).first()
