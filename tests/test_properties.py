"""Property tests over random valid plans.

- any valid plan survives the plan file (write, read) and the store (save, load) unchanged;
- the analysis agrees with a brute-force search of every path, written here independently.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignment.core.analysis import alignment_of, findings, traces
from alignment.core.model import MAX_ID, CheckIn, Direction, Kind, Link, Node, Status
from alignment.core.plan import Plan
from alignment.formats.plan_file import parse_plan, write_plan
from alignment.store import Store

# Moderate by default to keep the suite fast; ALIGNMENT_EXAMPLES=5000 for a deeper search.
SETTINGS = settings(
    max_examples=int(os.environ.get("ALIGNMENT_EXAMPLES", "75")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# -- random valid plans -----------------------------------------------------------------------

# Ids YAML would read as something else: they must stay ids.
TRICKY_IDS = ["yes", "no", "on", "null", "true", "010", "0x1f", "1e3", "12", "2026-01-05"]
ids = st.from_regex(rf"\A[a-z0-9][a-z0-9-]{{0,{MAX_ID - 1}}}\Z") | st.sampled_from(TRICKY_IDS)

# One line of text: no control characters or line breaks (PLAN_FORMAT.md), not blank.
line_chars = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
one_line = st.text(line_chars, min_size=1, max_size=30).filter(str.strip)
# Free text: descriptions may span lines and hold tabs, nothing else a terminal obeys.
free_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), whitelist_characters="\n\t"),
    max_size=40,
)
numbers = st.integers(-(2**53) + 1, 2**53 - 1) | st.floats(allow_nan=False, allow_infinity=False)
positive = st.integers(1, 10**6) | st.floats(min_value=1e-9, max_value=1e9)
unit_interval = st.floats(min_value=0, max_value=1) | st.sampled_from([0, 1])


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def nodes_of(draw, node_id: str, kind: Kind) -> Node:
    fields = {
        "title": draw(one_line),
        "description": draw(optional(free_text)),
        "owner": draw(optional(one_line)),
    }
    if kind is Kind.INDICATOR:
        direction = draw(optional(st.sampled_from(Direction)))
        history = draw(st.lists(st.dates(), max_size=4, unique=True))
        fields |= {
            "unit": draw(optional(one_line)),
            "direction": direction,
            "baseline": draw(optional(numbers)),
            "target": draw(optional(numbers)) if direction else None,
            "current": draw(optional(numbers)),
            "due": draw(optional(st.dates())),
            "history": tuple(CheckIn(at, draw(numbers)) for at in history),
        }
    elif kind is Kind.INITIATIVE:
        fields |= {"status": draw(st.sampled_from(Status)), "effort": draw(optional(positive))}
    return Node(id=node_id, kind=kind, **fields)


@st.composite
def plans(draw, max_nodes: int = 12) -> Plan:
    node_ids = draw(st.lists(ids, max_size=max_nodes, unique=True))
    # File order groups nodes by kind, as the plan file does (goals first).
    kinds = sorted(draw(st.lists(st.sampled_from(Kind), min_size=len(node_ids),
                                 max_size=len(node_ids))), key=lambda k: k.rank)  # fmt: skip
    nodes = [draw(nodes_of(node_id, kind)) for node_id, kind in zip(node_ids, kinds, strict=True)]
    # Acyclic by construction: a node may only support nodes before it in a random order
    # (independent of the file order), and only of its own kind or a kind nearer the top.
    order = draw(st.permutations(range(len(nodes))))
    links: list[Link] = []
    for place, index in enumerate(order):
        child = nodes[index]
        allowed = [nodes[i].id for i in order[:place] if nodes[i].kind.rank <= child.kind.rank]
        if not allowed:
            continue
        parents = draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True))
        for parent in parents:
            effect = draw(optional(numbers))
            confidence = draw(optional(unit_interval))
            links.append(Link(child.id, parent, effect, confidence))
    name = draw(one_line)
    description = draw(optional(free_text))
    return Plan.build(name, description, nodes, links)


def observable(plan: Plan) -> tuple:
    """What a user can see of a plan: name, description, nodes in order, supports in order."""
    return (
        plan.name,
        plan.description,
        plan.nodes(),
        [plan.parents(node.id) for node in plan.nodes()],
    )


# -- round trips --------------------------------------------------------------------------------


@SETTINGS
@given(plans())
def test_any_valid_plan_round_trips_through_the_plan_file(plan):
    text = write_plan(plan)
    again = parse_plan(text, "random.yaml")
    assert observable(again) == observable(plan)
    assert write_plan(again) == text


@SETTINGS
@given(plans())
def test_any_valid_plan_round_trips_through_the_store(plan):
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "plans.db")
        try:
            store.save_plan(plan)
            loaded = store.load(plan.name)
        finally:
            store.close()
    assert observable(loaded) == observable(plan)
    assert write_plan(loaded) == write_plan(plan)


# -- the analysis against brute force -------------------------------------------------------


def all_paths_to_goals(plan: Plan) -> dict[str, list[tuple[str, ...]]]:
    """Every path from each node up to a goal, by plain recursion over the links. A dropped
    initiative may start a path, but no path passes through one (PLAN_FORMAT.md)."""
    parents: dict[str, list[str]] = {node.id: [] for node in plan.nodes()}
    for link in plan.links():
        parents[link.child].append(link.parent)
    kind = {node.id: node.kind for node in plan.nodes()}
    dropped = {node.id for node in plan.nodes() if not node.is_live}

    def paths(node_id: str) -> list[tuple[str, ...]]:
        found = [(node_id,)] if kind[node_id] is Kind.GOAL else []
        for parent in parents[node_id]:
            if parent not in dropped:
                found += [(node_id, *rest) for rest in paths(parent)]
        return found

    return {node_id: paths(node_id) for node_id in parents}


def reaches(plan: Plan, start: str, target: str) -> bool:
    parents: dict[str, list[str]] = {}
    for link in plan.links():
        parents.setdefault(link.child, []).append(link.parent)
    dropped = {node.id for node in plan.nodes() if not node.is_live}
    stack, seen = [start], set()
    while stack:
        node_id = stack.pop()
        if node_id == target and node_id != start:
            return True
        if node_id in dropped and node_id != start:
            continue  # dropped work passes nothing on
        if node_id not in seen:
            seen.add(node_id)
            stack.extend(parents.get(node_id, []))
    return False


@SETTINGS
@given(plans())
def test_alignment_agrees_with_a_brute_force_path_search(plan):
    paths = all_paths_to_goals(plan)
    kind = {node.id: node.kind for node in plan.nodes()}
    aligned = {n for n, found in paths.items() if found}
    measured = {
        n
        for n, found in paths.items()
        if any(any(kind[step] is Kind.INDICATOR for step in path) for path in found)
    }
    result = alignment_of(plan)
    assert set(result.aligned) == aligned
    initiatives = {n.id for n in plan.nodes(Kind.INITIATIVE)}
    assert set(result.measured) & initiatives == measured & initiatives

    live = [n for n in plan.nodes(Kind.INITIATIVE) if n.status is not Status.DROPPED]
    expected_orphans = [n.id for n in live if n.id not in aligned]
    expected_unmeasured = [n.id for n in live if n.id in aligned and n.id not in measured]
    expected_vanity = [n.id for n in plan.nodes(Kind.INDICATOR) if n.id not in aligned]
    expected_unmoved = [
        k.id for k in plan.nodes(Kind.INDICATOR) if not any(reaches(plan, i.id, k.id) for i in live)
    ]
    found = findings(plan)
    assert [f.node for f in found if f.rule == "orphan-initiative"] == expected_orphans
    assert [f.node for f in found if f.rule == "unmeasured-initiative"] == expected_unmeasured
    assert [f.node for f in found if f.rule == "orphan-indicator"] == expected_vanity
    assert [f.node for f in found if f.rule == "unmoved-indicator"] == expected_unmoved


@SETTINGS
@given(plans(max_nodes=9))
def test_traces_are_exactly_the_paths_to_goals(plan):
    for node_id, expected in all_paths_to_goals(plan).items():
        found = traces(plan, node_id, limit=10**6)
        assert sorted(map(tuple, found)) == sorted(expected)
        assert [len(path) for path in found] == sorted(len(path) for path in found)
