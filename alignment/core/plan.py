"""Plan: the alignment graph and the edits that keep it valid.

Edges run from a node to the nodes it supports (child -> parent), so "what does this serve?"
is a walk along out-edges and "what serves this?" a walk along in-edges.

>>> plan = Plan("Demo")
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = plan.add(Node(id="ship", kind=Kind.INITIATIVE, title="Ship it"), supports=["grow"])
>>> [link.parent for link in plan.parents("ship")]
['grow']
>>> plan.link("grow", "ship")
Traceback (most recent call last):
...
alignment.core.errors.PlanError: a goal cannot support an initiative: links run upward \
(goal > strategy > indicator > initiative)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar, cast

import networkx as nx

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
)
from alignment.core.expressions import parse_condition, references
from alignment.core.fields import check_text
from alignment.core.model import Kind, Link, Node, Number, PlanError, Status, check_title
from alignment.core.references import (
    check_link_references,
    check_node_references,
    check_references,
    check_removal,
    implied_links,
    named_by,
)
from alignment.core.walk import post_order

C = TypeVar("C", AddNode, RemoveNode, UpdateNode, RecordCheckIn, LinkNodes, UnlinkNodes)

__all__ = ["CycleError", "Plan", "check_plan_name", "link_direction_error"]


class CycleError(PlanError):
    """A link would close a loop; ``cycle`` lists the ids around it."""

    def __init__(self, message: str, cycle: list[str]) -> None:
        super().__init__(message)
        self.cycle = cycle


def check_plan_name(name: object) -> str:
    if not isinstance(name, str):
        raise PlanError(f"plan name must be text, not {name!r}")
    try:
        return check_title(name)
    except PlanError as error:
        raise PlanError(str(error).replace("title", "plan name", 1)) from None


def check_plan_description(description: object) -> str | None:
    return None if description is None else check_text(description, "description")


def link_direction_error(child: Node, parent: Node, actual: object = None) -> str | None:
    """Why ``child`` may not support ``parent``, or None when the link runs the right way."""
    if child.kind.rank < parent.kind.rank:
        return (
            f"{child.kind.article} {child.kind} cannot support {parent.kind.article} {parent.kind}: links run upward "
            "(goal > strategy > indicator > initiative)"
        )
    if actual is not None and not (child.kind is Kind.INITIATIVE and parent.kind is Kind.INDICATOR):
        return "actual (the observed effect) is only for links from an initiative to an indicator"
    return None


def _named_first(plan: Plan) -> list[str]:
    """Every id, each before the nodes its formula, condition or measure names (namers first)."""
    names = {node.id: _names_of(node) for node in plan.nodes()}
    inputs_first = post_order(
        (node.id for node in plan.nodes()),
        lambda node_id: [n for n in names[node_id] if n in names],
    )
    return list(reversed(inputs_first))


def _names_of(node: Node) -> list[str]:
    if node.kind is Kind.GOAL and node.condition:
        try:
            return sorted(references(parse_condition(node.condition)))
        except PlanError:
            return []
    return named_by(node)


def _has_cycle(edges: list[tuple[str, str]]) -> bool:
    """Whether the directed ``edges`` (child, parent) close a loop (Kahn's algorithm)."""
    out: dict[str, list[str]] = {}
    indegree: dict[str, int] = {}
    for child, parent in edges:
        out.setdefault(child, []).append(parent)
        indegree[parent] = indegree.get(parent, 0) + 1
        indegree.setdefault(child, 0)
    ready = [node for node, count in indegree.items() if count == 0]
    done = 0
    while ready:
        done += 1
        for parent in out.get(ready.pop(), ()):
            indegree[parent] -= 1
            if indegree[parent] == 0:
                ready.append(parent)
    return done < len(indegree)


class Plan:
    """A named plan over a ``networkx.DiGraph``; every edit keeps PLAN_FORMAT.md's invariants."""

    def __init__(self, name: str, description: str | None = None) -> None:
        self.name = check_plan_name(name)
        self.description = check_plan_description(description)
        self.graph: nx.DiGraph = nx.DiGraph()
        self._next_position = 0.0
        self._ordered: list[Node] | None = None  # plan order, cached until the next change
        self._by_kind: dict[Kind, list[Node]] = {}

    # -- reading ---------------------------------------------------------------------------

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.graph

    def __len__(self) -> int:
        return len(self.graph)

    def node(self, node_id: str) -> Node:
        try:
            node: Node = self.graph._node[node_id]["node"]
        except KeyError:
            raise PlanError(f"no node {node_id!r} in plan {self.name!r}") from None
        return node

    def position(self, node_id: str) -> float:
        position: float = self.graph._node[node_id]["position"]
        return position

    def nodes(self, kind: Kind | None = None) -> list[Node]:
        """Nodes in plan order (the order of the plan file), optionally of one kind."""
        if self._ordered is None:
            data = self.graph._node  # the attribute dicts, without a view per lookup
            ordered = [
                attrs["node"]
                for attrs in sorted(data.values(), key=lambda attrs: attrs["position"])
            ]
            by_kind: dict[Kind, list[Node]] = {kind: [] for kind in Kind}
            for node in ordered:
                by_kind[node.kind].append(node)
            self._ordered, self._by_kind = ordered, by_kind
        if kind is None:
            return list(self._ordered)
        return list(self._by_kind[kind])

    def parents(self, node_id: str) -> list[Link]:
        """What ``node_id`` supports, in the order of its ``supports`` list."""
        self.node(node_id)
        return [data["link"] for data in self.graph.succ[node_id].values()]

    def children(self, node_id: str) -> list[Link]:
        """What supports ``node_id``."""
        self.node(node_id)
        return [data["link"] for data in self.graph.pred[node_id].values()]

    def supported(self, node_id: str) -> list[str]:
        """The ids ``node_id`` supports (its parents), in supports order."""
        return list(self.graph._succ[node_id])

    def supporters(self, node_id: str) -> list[str]:
        """The ids that support ``node_id`` (its children)."""
        return list(self.graph._pred[node_id])

    def is_top(self, node_id: str) -> bool:
        """Whether ``node_id`` supports nothing (a top goal, or a node left hanging)."""
        return not self.graph._succ[node_id]

    @property
    def up(self) -> Mapping[str, Mapping[str, Any]]:
        """child id -> {parent id: ...}: the links upward, for whole-plan walks. Read-only.

        The adjacency dicts themselves (no view per lookup): analyses over 100k nodes walk
        them millions of times, and a networkx view costs several times a dict lookup.
        """
        return cast(Mapping[str, Mapping[str, Any]], self.graph._succ)

    @property
    def down(self) -> Mapping[str, Mapping[str, Any]]:
        """parent id -> {child id: ...}: the links downward. Read-only, like ``up``."""
        return cast(Mapping[str, Mapping[str, Any]], self.graph._pred)

    def node_map(self) -> dict[str, Node]:
        """id -> node, for walks that look up many nodes."""
        return {node_id: attrs["node"] for node_id, attrs in self.graph._node.items()}

    def in_topological_order(self) -> list[str]:
        """Every id, each after all that support it (children before parents)."""
        return list(nx.topological_sort(self.graph))

    def links(self) -> Iterator[Link]:
        for _child, _parent, link in self.graph.edges(data="link"):
            yield link

    def implied_links(self) -> list[Link]:
        """Links a formula (its inputs) or a measure implies and ``supports`` does not list.

        They count like listed links for alignment, traces and findings; analysis's
        ``effective_links(plan)`` walks both. The plan file never writes them.
        """
        return list(implied_links(self))

    def link_between(self, child: str, parent: str) -> Link | None:
        data = self.graph.get_edge_data(child, parent)
        return None if data is None else data["link"]

    def counts(self) -> dict[Kind, int]:
        counts = dict.fromkeys(Kind, 0)
        for _node_id, node in self.graph.nodes(data="node"):
            counts[node.kind] += 1
        return counts

    # -- checks ------------------------------------------------------------------------------

    def check_link(self, link: Link) -> None:
        """Raise PlanError when ``link`` may not be added to this plan."""
        child, parent = self.node(link.child), self.node(link.parent)
        if reason := link_direction_error(child, parent, link.actual):
            raise PlanError(reason)
        if self.graph.has_edge(link.child, link.parent):
            raise PlanError(f"{link.child} already supports {link.parent}")
        if nx.has_path(self.graph, link.parent, link.child):
            path = nx.shortest_path(self.graph, link.parent, link.child)
            loop = " -> ".join([link.child, *path])
            raise CycleError(
                f"linking {link.child} to {link.parent} would make a cycle: {loop}", path
            )

    # -- edits: ``*_change`` builds a Change without touching the plan (for a session to apply);
    # the verb applies it here and returns it.

    def add_change(
        self, node: Node, supports: Iterable[str | Link] = (), position: float | None = None
    ) -> AddNode:
        """Add ``node`` supporting ``supports``; refused up front when the id is taken or a link
        runs the wrong way, so a form can say why before anything is written."""
        if node.id in self.graph:
            raise PlanError(f"id {node.id!r} is already used by {self.node(node.id).title!r}")
        links = tuple(item if isinstance(item, Link) else Link(node.id, item) for item in supports)
        for link in links:
            if link.parent != node.id and (
                reason := link_direction_error(node, self.node(link.parent), link.actual)
            ):
                raise PlanError(reason)
        return AddNode(node, links, position)

    def update_change(self, node: Node) -> UpdateNode:
        before = self.node(node.id)
        if before.kind is not node.kind:
            raise PlanError("an edit cannot change a node's kind")
        return UpdateNode(before, node)

    def remove_change(self, node_id: str) -> RemoveNode:
        node = self.node(node_id)
        links = tuple(self.parents(node_id)) + tuple(self.children(node_id))
        return RemoveNode(node, links, self.position(node_id))

    def link_change(
        self,
        child: str,
        parent: str,
        effect: Number | None = None,
        confidence: Number | None = None,
    ) -> LinkNodes:
        """Link ``child`` to ``parent``; refused (with the reason) when invalid or a cycle."""
        link = Link(child, parent, effect, confidence)
        self.check_link(link)
        return LinkNodes(link)

    def replace_change(self, new: Plan) -> Batch:
        """The change that turns this plan into ``new``: every node out, ``new``'s in (with
        their places, links and check-ins), so undo gives back exactly what was replaced.

        Nodes that formulas, conditions and measures name go in first and out last, so each
        step is valid on its own.
        """
        parts: list[Change] = []
        gone: set[str] = set()
        for node_id in _named_first(self):
            node = self.node(node_id)
            links = [link for link in self.parents(node_id) if link.parent not in gone]
            links += [link for link in self.children(node_id) if link.child not in gone]
            parts.append(RemoveNode(node, tuple(links), self.position(node_id)))
            gone.add(node_id)
        here: set[str] = set()
        for node_id in reversed(_named_first(new)):
            node = new.node(node_id)
            links = [link for link in new.parents(node_id) if link.parent in here]
            links += [link for link in new.children(node_id) if link.child in here]
            parts.append(AddNode(node, tuple(links), new.position(node_id)))
            here.add(node_id)
        if self.description != new.description:
            parts.append(EditPlan((self.name, self.description), (self.name, new.description)))
        return Batch(tuple(parts), f"replaced plan ({len(new)} nodes)")

    def edit_plan_change(self, name: str, description: str | None) -> EditPlan:
        """Rename the plan and/or change its description (an empty description removes it)."""
        name = check_plan_name(name.strip() if isinstance(name, str) else name)
        description = check_plan_description(description or None)
        return EditPlan((self.name, self.description), (name, description))

    def unlink_change(self, child: str, parent: str) -> UnlinkNodes:
        link = self.link_between(child, parent)
        if link is None:
            raise PlanError(f"{child} does not support {parent}")
        return UnlinkNodes(link)

    def status_change(self, node_id: str, status: Status | str) -> UpdateNode:
        node = self.node(node_id)
        if node.kind is not Kind.INITIATIVE:
            raise PlanError(
                f"{node_id} is {node.kind.article} {node.kind}; only initiatives have a status"
            )
        try:
            status = Status(status)
        except ValueError:
            raise PlanError(f"unknown status {status!r}") from None
        return self.update_change(node.evolve(status=status))

    def checkin_change(self, node_id: str, at: date, value: Number) -> RecordCheckIn:
        """Record (or correct) the value of an indicator on a date (see RecordCheckIn)."""
        return RecordCheckIn.of(self.indicator(node_id), at, value)

    def checkins_change(self, rows: Iterable[tuple[str, date, Number]]) -> Batch:
        """Many check-ins as one change, all saved or none (a later row for the same indicator
        and date replaces an earlier one)."""
        updated: dict[str, Node] = {}
        changes: list[RecordCheckIn] = []
        for node_id, at, value in rows:
            node = updated.get(node_id) or self.indicator(node_id)
            change = RecordCheckIn.of(node, at, value)
            updated[node_id] = change.applied_to(node)
            changes.append(change)
        count = len(updated)
        return Batch(tuple(changes), f"check-ins for {count} indicator{'s' if count != 1 else ''}")

    def indicator(self, node_id: str) -> Node:
        """The indicator ``node_id``; PlanError when there is none or it is of another kind."""
        node = self.node(node_id)
        if node.kind is not Kind.INDICATOR:
            raise PlanError(
                f"{node_id} is {node.kind.article} {node.kind}; only indicators take check-ins"
            )
        return node

    def add(
        self, node: Node, supports: Iterable[str | Link] = (), position: float | None = None
    ) -> AddNode:
        return self._applied(self.add_change(node, supports, position))

    def link(
        self,
        child: str,
        parent: str,
        effect: Number | None = None,
        confidence: Number | None = None,
    ) -> LinkNodes:
        return self._applied(self.link_change(child, parent, effect, confidence))

    def _applied(self, change: C) -> C:
        self.apply(change)
        return change

    # -- applying changes: validate everything first, then mutate, so a refusal changes nothing ----

    def apply(self, change: Change) -> None:
        match change:
            case AddNode(node, links, position):
                check_node_references(self, node)
                self._apply_add(node, links, position)
            case RemoveNode(node, links, _position):
                current = self.node(node.id)
                touching = set(self.parents(node.id)) | set(self.children(node.id))
                # Its links too: undo must be able to put back exactly what the delete removed.
                if current != node or touching != set(links):
                    raise PlanError(f"{node.id} changed since it was read; reload and try again")
                check_removal(self, node.id)
                self.graph.remove_node(node.id)
            case UpdateNode(before, after):
                current = self.node(before.id)
                if after.id != before.id or after.kind is not before.kind:
                    raise PlanError("an edit cannot change a node's id or kind")
                if current != before:
                    raise PlanError(f"{before.id} changed since it was read; reload and try again")
                if named_by(after) != named_by(before):
                    check_node_references(self, after)
                self.graph.nodes[after.id]["node"] = after
            case RecordCheckIn():
                node = self.node(change.node)
                self.graph.nodes[node.id]["node"] = change.applied_to(node)
            case LinkNodes(link):
                self.check_link(link)
                check_link_references(self, link)
                self._add_edge(link)
            case UnlinkNodes(link):
                if self.link_between(link.child, link.parent) != link:
                    raise PlanError(f"{link.child} does not support {link.parent}")
                self.graph.remove_edge(link.child, link.parent)
            case EditPlan(before, after):
                if (self.name, self.description) != before:
                    raise PlanError(
                        "the plan's name changed since it was read; reload and try again"
                    )
                self.name = check_plan_name(after[0])
                self.description = after[1]
            case Batch(changes):
                done: list[Change] = []
                try:
                    for part in changes:
                        self.apply(part)
                        done.append(part)
                except PlanError:
                    for part in reversed(done):
                        self.apply(part.inverse())
                    raise
            case _:
                raise TypeError(f"not a change: {change!r}")
        self._ordered = None

    def _apply_add(self, node: Node, links: tuple[Link, ...], position: float | None) -> None:
        if node.id in self.graph:
            raise PlanError(f"id {node.id!r} is already used by {self.node(node.id).title!r}")
        for link in links:
            if node.id not in link.key:
                raise PlanError(f"link {link.child} -> {link.parent} does not touch {node.id}")
        if position is None:
            position = self._next_position
        self.graph.add_node(node.id, node=node, position=position)
        self._next_position = max(self._next_position, position) + 1
        added: list[Link] = []
        try:
            for link in links:
                self.check_link(link)
                self._add_edge(link)
                added.append(link)
        except PlanError:
            self.graph.remove_node(node.id)
            raise

    def _add_edge(self, link: Link) -> None:
        """Add ``link`` at its rank in the child's supports (last when it has none yet)."""
        succ = self.graph._succ[link.child]  # the dict itself: views cannot be reordered
        last: float = next(reversed(succ.values()))["link"].rank if succ else -1.0
        if link.rank is None:
            link = replace(link, rank=last + 1)
        assert link.rank is not None
        self.graph.add_edge(link.child, link.parent, link=link)
        if link.rank < last:  # a link put back by undo: restore the supports order
            ordered = sorted(succ.items(), key=lambda item: item[1]["link"].rank)
            succ.clear()
            succ.update(ordered)

    # -- bulk building for loaders --------------------------------------------------------------

    @classmethod
    def build(
        cls,
        name: str,
        description: str | None,
        nodes: Iterable[Node],
        links: Iterable[Link],
        positions: Iterable[float] | None = None,
        *,
        stored: bool = False,
    ) -> Plan:
        """Build a whole plan at once: nodes in order, then links; validated as a whole.

        Links come in supports order for each child (ordered by rank when they have one).

        Faster than one ``add`` per node: it fills the graph's adjacency dicts directly (as
        ``add_node``/``add_edge`` would, without their per-call overhead) and checks for cycles
        once, among links between nodes of the same kind (the only links a cycle can use, since
        every other link runs strictly upward).
        """
        if stored:
            # Rows this program wrote: a name or description an older version let through
            # (a control character, say) must not lock the plan away; output neutralises it.
            plan = cls("-")
            plan.name, plan.description = name, description
        else:
            plan = cls(name, description)
        graph = plan.graph
        node_attrs, succ, pred = graph._node, graph._succ, graph._pred
        nodes = list(nodes)
        places = [float(i) for i in range(len(nodes))] if positions is None else list(positions)
        for node, position in zip(nodes, places, strict=True):
            node_id = node.id
            if node_id in node_attrs:
                raise PlanError(f"duplicate id {node_id!r}")
            node_attrs[node_id] = {"node": node, "position": position}
            succ[node_id] = {}
            pred[node_id] = {}
        plan._next_position = max(places, default=-1.0) + 1
        rank = {kind: kind.rank for kind in Kind}
        level: list[tuple[str, str]] = []  # links between nodes of the same kind
        for link in links:
            child, parent = link.child, link.parent
            ups, downs = succ.get(child), pred.get(parent)
            if ups is None or downs is None:
                end = child if ups is None else parent
                raise PlanError(f"{child} supports {end!r}, which is not in the plan")
            child_node, parent_node = node_attrs[child]["node"], node_attrs[parent]["node"]
            child_rank, parent_rank = rank[child_node.kind], rank[parent_node.kind]
            if child_rank < parent_rank or link.actual is not None:
                reason = link_direction_error(child_node, parent_node, link.actual)
                if reason:
                    raise PlanError(f"{child} -> {parent}: {reason}")
            if parent in ups:
                raise PlanError(f"{child} lists {parent} twice in supports")
            if link.rank is None:
                # Links arrive in supports order; a fresh Link built by a loader may be ranked
                # in place (the field is not part of its identity).
                object.__setattr__(link, "rank", float(len(ups)))
            ups[parent] = downs[child] = {"link": link}
            if child_rank == parent_rank:
                level.append((child, parent))
        if level and _has_cycle(level):
            cycle = [edge[0] for edge in nx.find_cycle(graph)]
            loop = " -> ".join([*cycle, cycle[0]])
            raise CycleError(f"the links make a cycle: {loop}", cycle)
        check_references(plan)  # formulas, conditions and measures name what they may
        return plan
