"""What one change leaves as it was (core/incremental.py).

The TUI shows an edit from ``alignment_after`` (grown from the change when it only adds) and
keeps the numbers when ``keeps_numbers`` says they cannot move: on random plans with
formulas, measures and dropped work, and random changes, both must agree with computing
everything again from scratch.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from alignment.core.analysis import alignment_of
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
from alignment.core.incremental import alignment_after, keeps_alignment, keeps_numbers
from alignment.core.model import Kind, Link, Node, PlanError, Status
from alignment.core.plan import Plan
from alignment.core.values import metric_values

SETTINGS = settings(
    max_examples=int(os.environ.get("ALIGNMENT_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# The growth walk has few lines and many cases (dropped work in the way, formulas naming a
# new indicator): a deliberately broken walk is caught within ~1000 examples, so more here.
DEEPER = settings(SETTINGS, max_examples=int(os.environ.get("ALIGNMENT_EXAMPLES", "1500")))
IDS = [f"n{i}" for i in range(10)]


@st.composite
def nodes(draw, node_id: str, kind: Kind, others: list[str]) -> Node:
    """A node of ``kind``; a formula or a measure may name any of ``others`` (some of them
    may not be indicators, or not exist yet: the plan refuses those, and so do we)."""
    fields: dict[str, object] = {}
    if kind is Kind.INITIATIVE:
        fields["status"] = draw(st.sampled_from(Status))
    if kind is Kind.INDICATOR:
        fields["baseline"] = draw(st.none() | st.integers(1, 100))
        fields["direction"] = "up"
        fields["target"] = draw(st.none() | st.integers(1, 100))
        if others and draw(st.booleans()):
            inputs = draw(st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True))
            fields["formula"] = " + ".join(f"${{{i}}}" for i in inputs)
            fields["baseline"] = fields["target"] = None
    if kind is Kind.STRATEGY and others and draw(st.booleans()):
        fields["measure"] = draw(st.sampled_from(others))
        fields["change"] = "-20%"
    try:
        return Node(id=node_id, kind=kind, title=node_id.upper(), **fields)
    except PlanError:  # e.g. a formula that names the node itself
        assume(False)
        raise


@st.composite
def plans(draw) -> Plan:
    """A plan with a goal first; formulas and measures name its indicators."""
    count = draw(st.integers(2, len(IDS) - 2))
    ids = IDS[:count]
    kinds = [
        Kind.GOAL,
        *draw(st.lists(st.sampled_from(Kind), min_size=count - 1, max_size=count - 1)),
    ]
    kinds.sort(key=lambda kind: kind.rank)
    indicators = [i for i, kind in zip(ids, kinds, strict=True) if kind is Kind.INDICATOR]
    made = [
        draw(nodes(node_id, kind, [i for i in indicators if i != node_id]))
        for node_id, kind in zip(ids, kinds, strict=True)
    ]
    order = draw(st.permutations(range(count)))
    links = []
    for place, index in enumerate(order):
        child = made[index]
        allowed = [made[i].id for i in order[:place] if made[i].kind.rank <= child.kind.rank]
        if allowed:
            for parent in draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True)):
                links.append(Link(child.id, parent))
    try:
        return Plan.build("random", None, made, links)
    except PlanError:  # a formula and the links make a loop
        assume(False)
        raise


@st.composite
def additions(draw, plan: Plan, new_id: str) -> Change:
    """A change that only adds: a node (its links either way), a link, or several. Links run
    the way the rules allow (to a kind nearer the top); loops are refused by the plan."""
    ids = [node.id for node in plan.nodes()]
    rank = {node.id: node.kind.rank for node in plan.nodes()}
    indicators = [node.id for node in plan.nodes(Kind.INDICATOR)]
    what = draw(st.sampled_from(["node", "node", "link", "batch"]))
    if what == "link":
        child, parent = sorted(draw(st.permutations(ids))[:2], key=lambda i: -rank[i])
        return LinkNodes(Link(child, parent))
    kind = draw(st.sampled_from(Kind))
    node = draw(nodes(new_id, kind, indicators))
    above = [i for i in ids if rank[i] <= kind.rank]
    below = [i for i in ids if rank[i] >= kind.rank]
    parents = draw(st.lists(st.sampled_from(above), max_size=2, unique=True)) if above else []
    children = draw(st.lists(st.sampled_from(below), max_size=2, unique=True)) if below else []
    children = [c for c in children if c not in parents]
    if what == "batch":
        links = [LinkNodes(Link(new_id, p)) for p in parents]
        links += [LinkNodes(Link(c, new_id)) for c in children]
        return Batch((AddNode(node), *links), "several")
    return AddNode(
        node, (*[Link(new_id, p) for p in parents], *[Link(c, new_id) for c in children])
    )


@st.composite
def other_changes(draw, plan: Plan) -> Change:
    """Anything else a user does: edits of fields and status, unlinks, deletes, check-ins."""
    node = draw(st.sampled_from(plan.nodes()))
    what = draw(
        st.sampled_from(["status", "title", "unlink", "remove", "checkin", "formula", "rename"])
    )
    if what == "status" and node.kind is Kind.INITIATIVE:
        return UpdateNode(node, node.evolve(status=draw(st.sampled_from(Status))))
    if what == "unlink" and plan.parents(node.id):
        return UnlinkNodes(draw(st.sampled_from(plan.parents(node.id))))
    if what == "rename":
        return EditPlan(("random", None), ("renamed", None))
    if what == "remove":
        touching = [*plan.parents(node.id), *plan.children(node.id)]
        return RemoveNode(node, tuple(touching), plan.position(node.id))
    if what == "checkin" and node.kind is Kind.INDICATOR and node.formula is None:
        return plan.checkin_change(node.id, date(2026, 3, 1), draw(st.integers(1, 100)))
    if what == "formula" and node.kind is Kind.INDICATOR:
        others = [n.id for n in plan.nodes(Kind.INDICATOR) if n.id != node.id]
        formula = f"${{{draw(st.sampled_from(others))}}} * 2" if others else None
        try:
            edited = node.evolve(formula=formula, baseline=None, target=None, current=None)
        except PlanError:
            assume(False)
            raise
        return UpdateNode(node, edited)
    return UpdateNode(node, node.evolve(title=node.title + " again"))


def applied(plan: Plan, change: Change) -> bool:
    try:
        plan.apply(change)
    except PlanError:
        return False
    return True


@DEEPER
@given(st.data())
def test_alignment_grown_from_an_addition_is_alignment_computed_again(data):
    plan = data.draw(plans())
    before = alignment_of(plan)
    change = data.draw(additions(plan, "new"))
    assume(applied(plan, change))
    assert alignment_after(plan, before, change) == alignment_of(plan)


@SETTINGS
@given(st.data())
def test_alignment_after_any_other_change_is_alignment_computed_again(data):
    plan = data.draw(plans())
    assume(len(plan) > 0)
    before = alignment_of(plan)
    change = data.draw(other_changes(plan))
    assume(applied(plan, change))
    assert alignment_after(plan, before, change) == alignment_of(plan)


@SETTINGS
@given(st.data())
def test_numbers_said_to_be_kept_are_the_numbers_computed_again(data):
    plan = data.draw(plans())
    assume(len(plan) > 0)
    before = metric_values(plan)
    change = data.draw(additions(plan, "new") | other_changes(plan))
    assume(applied(plan, change))
    if keeps_numbers(change):
        assert metric_values(plan) == before


def test_an_addition_is_grown_not_walked_again():
    """The point of it: a new initiative under an aligned indicator reuses what was known
    (the walk visits the new node only), and the result is a new value, not the old one."""
    plan = Plan("p")
    plan.add(Node(id="goal", kind=Kind.GOAL, title="Goal"))
    plan.add(Node(id="ind", kind=Kind.INDICATOR, title="Ind"), ["goal"])
    before = alignment_of(plan)
    change = plan.add(Node(id="work", kind=Kind.INITIATIVE, title="Work"), ["ind"])
    after = alignment_after(plan, before, change)
    assert after.aligned == {"goal", "ind", "work"}
    assert after.measured == {"ind", "work"}
    assert after.moved == {"goal", "ind"}
    assert after == alignment_of(plan)


@pytest.mark.parametrize(
    ("change", "keeps"),
    [
        (RecordCheckIn("ind", date(2026, 1, 1), 3), True),
        (EditPlan(("p", None), ("q", None)), True),
        (LinkNodes(Link("a", "b")), False),
    ],
)
def test_what_keeps_alignment(change, keeps):
    assert keeps_alignment(change) is keeps
