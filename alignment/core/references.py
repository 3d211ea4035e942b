"""What formulas, conditions and measures name: the links they imply, and their validity.

A formula's inputs and a strategy's measure support the node naming them, as if listed in its
``supports`` (PLAN_FORMAT.md, "Implied links"). Whether each name is right can only be told with
the whole plan at hand, so the checks live here, over a Plan:

- an expression that does not parse; an id that is not in the plan; an id that is not an
  indicator; a formula that refers to itself through other formulas (or through listed links
  between indicators): a cycle;
- a ``measure`` naming anything but an indicator.

(``actual`` on a link that does not run from an initiative to an indicator is refused by the
plan with the link itself, like a link running downward.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import networkx as nx

from alignment.core.expressions import parse_condition, parse_expression, references
from alignment.core.model import Kind, Link, Node, PlanError

if TYPE_CHECKING:
    from alignment.core.plan import Plan

__all__ = [
    "check_link_references",
    "check_node_references",
    "check_references",
    "check_removal",
    "implied_links",
    "named_by",
    "reference_errors",
]


def _formula_refs(node: Node) -> set[str]:
    text = node.formula
    if not text or node.kind is not Kind.INDICATOR:
        return set()
    try:
        return references(parse_expression(text))
    except PlanError:
        return set()


def named_by(node: Node) -> list[str]:
    """The nodes ``node`` implies support it: its formula's inputs, or its measure."""
    if node.kind is Kind.INDICATOR:
        return sorted(_formula_refs(node))
    if node.kind is Kind.STRATEGY:
        measure = node.measure
        return [measure] if measure else []
    return []


def implied_links(plan: Plan) -> Iterator[Link]:
    """Links implied by formulas and measures and not listed in ``supports``.

    Only valid ones: names of indicators of the plan, other than the node itself.
    """
    nodes, succ = plan.node_map(), plan.up
    named: list[tuple[str, list[str]]] = [
        (node.id, sorted(_formula_refs(node)))
        for node in plan.nodes(Kind.INDICATOR)
        if node.formula
    ]
    named.extend((node.id, [node.measure]) for node in plan.nodes(Kind.STRATEGY) if node.measure)
    for node_id, children in named:
        for child in children:
            if child == node_id or child not in nodes:
                continue
            if nodes[child].kind is not Kind.INDICATOR:
                continue
            if node_id in succ[child]:
                continue  # listed as well: one link
            yield Link(child, node_id)


def _error(node: Node, field: str, message: str) -> PlanError:
    """An error a plan-file reader can point at: the node and field it is about."""
    return PlanError(f"{field}: {message}", node=node.id, field=field)


def _name_errors(plan: Plan, node: Node, field: str, names: set[str]) -> Iterator[PlanError]:
    for name in sorted(names):
        if name not in plan:
            yield _error(node, field, f"{name} is not in the plan")
            continue
        other = plan.node(name)
        if other.kind is not Kind.INDICATOR:
            yield _error(
                node,
                field,
                f"{name} is {other.kind.article} {other.kind}, not an indicator",
            )
        elif name == node.id:
            yield _error(node, field, f"{name} refers to itself")


def reference_errors(plan: Plan) -> list[PlanError]:
    """Every invalid expression, name and measure of the plan, in plan order (a cycle last)."""
    errors: list[PlanError] = []
    formulas: dict[str, set[str]] = {}
    for node in plan.nodes():
        if not (node.formula or node.condition or node.measure):
            continue
        if node.kind is Kind.INDICATOR and (text := node.formula):
            try:
                names = references(parse_expression(text))
            except PlanError as error:
                errors.append(_error(node, "formula", str(error)))
                continue
            found = list(_name_errors(plan, node, "formula", names))
            errors.extend(found)
            if not found:
                formulas[node.id] = names
        elif node.kind is Kind.GOAL and (text := node.condition):
            try:
                names = references(parse_condition(text))
            except PlanError as error:
                errors.append(_error(node, "condition", str(error)))
                continue
            errors.extend(_name_errors(plan, node, "condition", names))
        elif node.kind is Kind.STRATEGY and (measure := node.measure):
            if measure not in plan:
                errors.append(_error(node, "measure", f"{measure} is not in the plan"))
            elif (other := plan.node(measure)).kind is not Kind.INDICATOR:
                errors.append(
                    _error(
                        node,
                        "measure",
                        f"{measure} is {other.kind.article} {other.kind}, not an indicator",
                    )
                )
    if formulas and (cycle := _formula_cycle(plan, formulas)):
        first = min((node_id for node_id in cycle if node_id in formulas), key=plan.position)
        loop = " -> ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first])
        errors.append(_error(plan.node(first), "formula", f"the formulas make a cycle: {loop}"))
    return errors


def _formula_cycle(plan: Plan, formulas: dict[str, set[str]]) -> list[str] | None:
    """A loop through formula inputs (and listed links between indicators), or None.

    Listed links alone are acyclic (the plan keeps them so), so a loop uses a formula.
    Returned as the ids along the loop, each supporting the next.
    """
    graph: nx.DiGraph = nx.DiGraph()
    for node_id, names in formulas.items():
        graph.add_edges_from((name, node_id) for name in names)
    succ = plan.up
    # Listed links that can close a loop: between indicators reachable from a formula input.
    frontier = list(graph.nodes)
    seen = set(frontier)
    while frontier:
        node_id = frontier.pop()
        for parent in succ[node_id]:
            if plan.node(parent).kind is Kind.INDICATOR:
                graph.add_edge(node_id, parent)
                if parent not in seen:
                    seen.add(parent)
                    frontier.append(parent)
    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    return [child for child, _parent in edges]


def check_references(plan: Plan) -> None:
    """Raise the first of ``reference_errors(plan)``, if any."""
    errors = reference_errors(plan)
    if errors:
        raise errors[0]


# -- checks for one change (a form, the TUI, a session): cheaper than the whole plan ----------


def _implied_parents(plan: Plan, skip: str | None = None) -> dict[str, list[str]]:
    """indicator id -> the formula indicators that read it (``skip``'s formula left out)."""
    parents: dict[str, list[str]] = {}
    for node_id, node in plan.node_map().items():
        if node_id == skip:
            continue
        for name in _formula_refs(node):
            parents.setdefault(name, []).append(node_id)
    return parents


def _up_path(
    plan: Plan, start: str, targets: set[str], implied: dict[str, list[str]]
) -> list[str] | None:
    """A path of indicators from ``start`` up to one of ``targets`` (listed links and formula
    inputs), or None. Links run upward, so such a path never leaves the indicators."""
    nodes, succ = plan.node_map(), plan.up
    came_from: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        node_id = frontier.pop()
        if node_id in targets:
            path = [node_id]
            while (before := came_from[path[-1]]) is not None:
                path.append(before)
            return path[::-1]
        ups = [*succ.get(node_id, ()), *implied.get(node_id, ())]
        for parent in ups:
            if parent not in came_from and nodes[parent].kind is Kind.INDICATOR:
                came_from[parent] = node_id
                frontier.append(parent)
    return None


def check_node_references(plan: Plan, node: Node) -> None:
    """Refuse ``node`` (new, or the new version of one in ``plan``) when its formula,
    condition or measure names what it may not, or its formula would close a cycle."""
    field, names = "", set()
    if node.kind is Kind.INDICATOR and node.formula:
        field, names = "formula", references(parse_expression(node.formula))
    elif node.kind is Kind.GOAL and node.condition:
        field, names = "condition", references(parse_condition(node.condition))
    elif node.kind is Kind.STRATEGY and node.measure:
        field, names = "measure", {node.measure}
    if not names:
        return
    for error in _name_errors(plan, node, field, names):
        raise error
    if field == "formula" and node.id in plan:
        loop = _up_path(plan, node.id, names, _implied_parents(plan, skip=node.id))
        if loop is not None:
            text = " -> ".join([*loop, node.id])
            raise _error(node, field, f"the formulas make a cycle: {text}")


def check_removal(plan: Plan, node_id: str) -> None:
    """Refuse to delete a node that a formula, condition or measure names."""
    for other in plan.nodes():
        if other.id == node_id:
            continue
        if other.kind is Kind.INDICATOR and node_id in _formula_refs(other):
            field = "formula"
        elif other.kind is Kind.GOAL and other.condition and node_id in _condition_refs(other):
            field = "condition"
        elif other.kind is Kind.STRATEGY and other.measure == node_id:
            field = "measure"
        else:
            continue
        raise PlanError(
            f"{node_id} is named by the {field} of {other.id}: change that first",
            node=node_id,
        )


def _condition_refs(node: Node) -> set[str]:
    try:
        return references(parse_condition(node.condition or ""))
    except PlanError:
        return set()


def check_link_references(plan: Plan, link: Link) -> None:
    """Refuse a listed link between indicators that would close a loop through a formula."""
    nodes = plan.node_map()
    if link.child not in nodes or link.parent not in nodes:
        return
    if nodes[link.child].kind is not Kind.INDICATOR:
        return
    if nodes[link.parent].kind is not Kind.INDICATOR:
        return
    implied = _implied_parents(plan)
    if not implied:
        return
    loop = _up_path(plan, link.parent, {link.child}, implied)
    if loop is not None:
        text = " -> ".join([link.child, *loop])
        raise PlanError(
            f"linking {link.child} to {link.parent} would make a cycle through a formula: {text}",
            node=link.child,
            field="supports",
        )
