"""Plan invariants and edits: what a person may and may not do to a plan, and undo."""

from __future__ import annotations

from datetime import date

import pytest

from alignment.core.changes import AddNode, Batch, LinkNodes, RemoveNode, UnlinkNodes, UpdateNode
from alignment.core.model import CheckIn, Direction, Kind, Link, Node, PlanError, Status
from alignment.core.plan import CycleError, Plan
from alignment.formats.plan_file import write_plan


def snapshot(plan: Plan) -> tuple:
    """Everything a user can observe: the exported file, node order and link details."""
    return (
        write_plan(plan),
        [node.id for node in plan.nodes()],
        sorted((link.child, link.parent, link.effect, link.confidence) for link in plan.links()),
    )


@pytest.fixture
def plan(plan_factory) -> Plan:
    return plan_factory(
        "goal g",
        "goal g2",
        "strategy s -> g",
        "indicator k -> s",
        "indicator sub -> k",
        "initiative i -> k",
        "initiative j -> sub",
        fields={
            "k": {"direction": Direction.DOWN, "target": 40, "current": 49},
            "sub": {"history": (CheckIn(date(2026, 1, 5), 3),), "current": 3},
        },
    )


# -- links --------------------------------------------------------------------------------------


@pytest.mark.parametrize("child", list(Kind))
@pytest.mark.parametrize("parent", list(Kind))
def test_links_run_to_the_same_kind_or_upward_only(plan_factory, child, parent):
    plan = Plan("Kinds")
    plan.add(Node(id="parent", kind=parent, title="Parent"))
    plan.add(Node(id="child", kind=child, title="Child"))
    if child.rank >= parent.rank:
        plan.link("child", "parent")
        assert [link.parent for link in plan.parents("child")] == ["parent"]
    else:
        with pytest.raises(PlanError) as refused:
            plan.link("child", "parent")
        assert str(refused.value) == (
            f"{child.article} {child} cannot support {parent.article} {parent}: links run upward "
            "(goal > strategy > indicator > initiative)"
        )
        assert plan.parents("child") == []


def test_a_node_cannot_support_itself(plan):
    before = snapshot(plan)
    with pytest.raises(PlanError, match="^k cannot support itself$"):
        plan.link("k", "k")
    assert snapshot(plan) == before


def test_a_link_is_made_once(plan):
    before = snapshot(plan)
    with pytest.raises(PlanError, match="^i already supports k$"):
        plan.link("i", "k")
    assert snapshot(plan) == before


def test_a_cycle_is_refused_and_shown(plan):
    before = snapshot(plan)
    with pytest.raises(CycleError) as refused:
        plan.link("k", "sub")  # sub already supports k
    assert str(refused.value) == "linking k to sub would make a cycle: k -> sub -> k"
    assert snapshot(plan) == before


def test_a_longer_cycle_is_shown_all_the_way_round(plan_factory):
    plan = plan_factory("goal a", "goal b -> a", "goal c -> b")
    with pytest.raises(CycleError) as refused:
        plan.link("a", "c")
    assert str(refused.value) == "linking a to c would make a cycle: a -> c -> b -> a"
    assert refused.value.cycle == ["c", "b", "a"]


def test_linking_an_unknown_node_names_it(plan):
    with pytest.raises(PlanError, match="^no node 'nope' in plan 'Test plan'$"):
        plan.link("i", "nope")


def test_ids_are_unique_across_kinds(plan):
    before = snapshot(plan)
    with pytest.raises(PlanError, match="^id 'k' is already used by 'k'$"):
        plan.add(Node(id="k", kind=Kind.GOAL, title="Another k"))
    assert snapshot(plan) == before


def test_an_add_with_one_bad_link_adds_nothing(plan):
    before = snapshot(plan)
    with pytest.raises(PlanError, match="cannot support an initiative"):
        plan.add(Node(id="new", kind=Kind.INDICATOR, title="New"), supports=["g", "i"])
    assert "new" not in plan
    assert snapshot(plan) == before


def test_link_effect_and_confidence_are_kept(plan):
    plan.link("j", "k", effect=-2.5, confidence=0.5)
    assert plan.link_between("j", "k") == Link("j", "k", -2.5, 0.5)


@pytest.mark.parametrize("confidence", [-0.1, 1.01, True])
def test_confidence_must_be_a_number_in_0_to_1(plan, confidence):
    with pytest.raises(PlanError, match="confidence"):
        plan.link("j", "k", confidence=confidence)
    assert plan.link_between("j", "k") is None


# -- nodes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"id": "Bad Id"}, "id 'Bad Id' must be lower-case letters, digits and dashes"),
        ({"id": "-lead"}, "id '-lead' must be lower-case"),
        ({"id": "x" * 65}, "is longer than 64 characters"),
        ({"title": ""}, "title must not be empty"),
        ({"title": "   "}, "title must not be empty"),
        ({"title": "two\nlines"}, "title must be one line"),
        ({"title": "red \x1b[31malert"}, "control characters"),
        ({"title": "x" * 201}, "title is longer than 200 characters"),
        ({"target": 3, "direction": None}, "a target needs a direction"),
        ({"direction": "sideways"}, "direction must be up or down, not 'sideways'"),
        ({"baseline": True}, "baseline must be a number, not True"),
        ({"baseline": "52"}, "baseline must be a number, not '52'"),
        ({"current": float("nan")}, "current must be a finite number"),
        ({"history": (CheckIn(date(2026, 1, 1), 1), CheckIn(date(2026, 1, 1), 2))},
         "two check-ins on 2026-01-01"),
        ({"status": "active"}, "status is only for initiatives, not an indicator"),
    ],
)  # fmt: skip
def test_an_invalid_indicator_cannot_exist(fields, reason):
    values = {"id": "k", "kind": Kind.INDICATOR, "title": "K", "direction": Direction.UP, **fields}
    with pytest.raises(PlanError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        Node(**values)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"effort": 0}, "effort must be greater than 0, not 0"),
        ({"effort": -1.5}, "effort must be greater than 0, not -1.5"),
        (
            {"status": "maybe"},
            "status must be candidate, planned, active, done or dropped, not 'maybe'",
        ),
        ({"target": 4}, "target is only for indicators"),
    ],
)
def test_an_invalid_initiative_cannot_exist(fields, reason):
    with pytest.raises(PlanError, match=reason):
        Node(id="i", kind=Kind.INITIATIVE, title="I", **fields)


def test_an_initiative_is_a_candidate_until_told_otherwise():
    assert Node(id="i", kind=Kind.INITIATIVE, title="I").status is Status.CANDIDATE


def test_integral_numbers_read_as_integers():
    node = Node(id="k", kind=Kind.INDICATOR, title="K", direction="up", baseline=52.0, target=40.5)
    assert (node.baseline, type(node.baseline)) == (52, int)
    assert node.target == 40.5


def test_plan_name_must_be_a_one_line_title():
    with pytest.raises(PlanError, match="^plan name must not be empty$"):
        Plan("")
    with pytest.raises(PlanError, match="^plan name must not contain control characters"):
        Plan("x\x1b[0m")


def test_nodes_keep_their_order_within_and_across_kinds(plan):
    assert [n.id for n in plan.nodes()] == ["g", "g2", "s", "k", "sub", "i", "j"]
    assert [n.id for n in plan.nodes(Kind.INDICATOR)] == ["k", "sub"]


def test_parents_keep_the_order_of_the_supports_list(plan_factory):
    plan = plan_factory("goal b", "goal a", "goal c", "strategy s -> c a b")
    assert [link.parent for link in plan.parents("s")] == ["c", "a", "b"]


# -- each edit and its inverse -----------------------------------------------------------------


def edits(plan: Plan) -> dict[str, object]:
    k = plan.node("k")
    return {
        "add-leaf": plan.add_change(Node(id="new", kind=Kind.INITIATIVE, title="New"), ["k", "g2"]),
        "add-with-children": plan.add_change(
            Node(id="mid", kind=Kind.STRATEGY, title="Mid"),
            [Link("mid", "g"), Link("k", "mid", 1, 0.5)],
            2.5,
        ),
        "remove-leaf": plan.remove_change("j"),
        "remove-middle": plan.remove_change("k"),
        "update": plan.update_change(k.evolve(title="Bounce rate", owner="Marketing")),
        "link": plan.link_change("j", "k", effect=-3, confidence=0.25),
        "unlink": plan.unlink_change("sub", "k"),
        "status": plan.status_change("i", "dropped"),
        "checkin": plan.checkin_change("sub", date(2026, 2, 2), 4),
        "batch": Batch(
            (plan.checkin_change("k", date(2026, 3, 1), 47), plan.status_change("j", "done")),
            "two edits",
        ),
    }


@pytest.mark.parametrize(
    "name",
    ["add-leaf", "add-with-children", "remove-leaf", "remove-middle", "update", "link",
     "unlink", "status", "checkin", "batch"],
)  # fmt: skip
def test_an_edit_changes_the_plan_and_its_inverse_restores_it(plan, name):
    change = edits(plan)[name]
    before = snapshot(plan)
    plan.apply(change)
    after = snapshot(plan)
    assert after != before
    plan.apply(change.inverse())
    assert snapshot(plan) == before
    plan.apply(change)  # and redo gives the same result again
    assert snapshot(plan) == after


@pytest.mark.parametrize("edit", ["unlink", "remove"])
def test_undo_restores_the_order_of_a_supports_list(plan_factory, edit):
    plan = plan_factory("goal a", "goal b", "strategy s -> a b")
    before = write_plan(plan)
    change = plan.unlink_change("s", "a") if edit == "unlink" else plan.remove_change("a")
    plan.apply(change)
    plan.apply(change.inverse())
    assert write_plan(plan) == before


def test_changes_apply_to_the_plan(plan):
    plan.add(Node(id="new", kind=Kind.INITIATIVE, title="New"), supports=["k"])
    plan.link("new", "sub")
    plan.apply(plan.unlink_change("new", "k"))
    plan.apply(plan.status_change("new", "active"))
    plan.apply(plan.checkin_change("k", date(2026, 4, 1), 45))
    plan.apply(plan.update_change(plan.node("g").evolve(title="Grow")))
    plan.apply(plan.remove_change("j"))
    assert [link.parent for link in plan.parents("new")] == ["sub"]
    assert plan.node("new").status is Status.ACTIVE
    assert plan.node("k").current == 45
    assert plan.node("g").title == "Grow"
    assert "j" not in plan


def test_removing_a_node_removes_its_links(plan):
    plan.apply(plan.remove_change("k"))
    assert plan.parents("i") == []
    assert plan.children("s") == []


def test_a_stale_update_is_refused_and_changes_nothing(plan):
    stale = plan.update_change(plan.node("k").evolve(title="Mine"))
    plan.apply(plan.update_change(plan.node("k").evolve(title="Theirs")))
    before = snapshot(plan)
    with pytest.raises(PlanError, match="^k changed since it was read; reload and try again$"):
        plan.apply(stale)
    assert snapshot(plan) == before


def test_an_update_cannot_change_kind(plan):
    with pytest.raises(PlanError, match="cannot change a node's id or kind"):
        plan.apply(UpdateNode(plan.node("g2"), Node(id="g2", kind=Kind.STRATEGY, title="g2")))


def test_a_batch_that_fails_part_way_changes_nothing(plan):
    before = snapshot(plan)
    batch = Batch(
        (plan.status_change("i", "done"), LinkNodes(Link("k", "sub"))),  # the link is a cycle
        "two edits",
    )
    with pytest.raises(CycleError):
        plan.apply(batch)
    assert snapshot(plan) == before


@pytest.mark.parametrize(
    "change",
    [
        RemoveNode(Node(id="ghost", kind=Kind.GOAL, title="Ghost")),
        UnlinkNodes(Link("i", "s")),
        LinkNodes(Link("ghost", "g")),
        AddNode(Node(id="x", kind=Kind.GOAL, title="X"), (Link("i", "k"),)),
    ],
    ids=["remove-missing", "unlink-missing", "link-missing", "add-with-foreign-link"],
)
def test_an_impossible_change_is_refused_and_changes_nothing(plan, change):
    before = snapshot(plan)
    with pytest.raises(PlanError):
        plan.apply(change)
    assert snapshot(plan) == before


def test_status_only_for_initiatives(plan):
    with pytest.raises(PlanError, match="^k is an indicator; only initiatives have a status$"):
        plan.apply(plan.status_change("k", "done"))
    with pytest.raises(PlanError, match="unknown status 'maybe'"):
        plan.apply(plan.status_change("i", "maybe"))


# -- check-ins ----------------------------------------------------------------------------------


def test_a_checkin_on_the_latest_date_becomes_current(plan):
    plan.apply(plan.checkin_change("sub", date(2026, 2, 1), 2.5))
    node = plan.node("sub")
    assert node.current == 2.5
    assert node.history == (CheckIn(date(2026, 1, 5), 3), CheckIn(date(2026, 2, 1), 2.5))


def test_a_checkin_on_an_earlier_date_keeps_current(plan):
    plan.apply(plan.checkin_change("sub", date(2025, 12, 1), 9))
    node = plan.node("sub")
    assert node.current == 3
    assert node.history == (CheckIn(date(2025, 12, 1), 9), CheckIn(date(2026, 1, 5), 3))


def test_a_second_checkin_on_one_date_replaces_the_first(plan):
    plan.apply(plan.checkin_change("sub", date(2026, 1, 5), 7))
    node = plan.node("sub")
    assert node.history == (CheckIn(date(2026, 1, 5), 7),)
    assert node.current == 7


def test_the_first_checkin_sets_current(plan):
    plan.apply(plan.checkin_change("k", date(2026, 1, 5), 48))
    assert plan.node("k").current == 48
    assert plan.node("k").history == (CheckIn(date(2026, 1, 5), 48),)


def test_checkins_only_for_indicators(plan):
    before = snapshot(plan)
    with pytest.raises(PlanError, match="^i is an initiative; only indicators take check-ins$"):
        plan.apply(plan.checkin_change("i", date(2026, 1, 5), 1))
    with pytest.raises(PlanError, match="^g is a goal; only indicators take check-ins$"):
        plan.apply(plan.checkin_change("g", date(2026, 1, 5), 1))
    assert snapshot(plan) == before


def test_many_checkins_are_one_change(plan):
    batch = plan.checkins_change(
        [("k", date(2026, 1, 1), 50), ("k", date(2026, 2, 1), 48), ("sub", date(2026, 2, 1), 2)]
    )
    assert batch.describe() == "check-ins for 2 indicators"
    before = snapshot(plan)
    plan.apply(batch)
    assert plan.node("k").current == 48
    assert [c.value for c in plan.node("k").history] == [50, 48]
    plan.apply(batch.inverse())
    assert snapshot(plan) == before
