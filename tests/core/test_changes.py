"""Changes as values: a check-in of its own, what a change touches, and making a change again
on a plan that moved on (the rules several writers and per-author undo rest on)."""

from __future__ import annotations

from datetime import date

import pytest

from alignment.core.changes import RecordCheckIn, UpdateNode, overlaps, rebase, touches
from alignment.core.model import CheckIn, Kind, Link, Node, PlanError

D1, D2, D3 = date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2)


def indicator(current=None, history=()) -> Node:  # type: ignore[no-untyped-def]
    return Node(
        id="k",
        kind=Kind.INDICATOR,
        title="K",
        direction="down",
        target=40,
        current=current,
        history=tuple(CheckIn(at, value) for at, value in history),
    )


@pytest.mark.parametrize(
    ("node", "at", "value", "current"),
    [
        (indicator(), D1, 50, 50),  # the first check-in sets current
        (indicator(49.5), D1, 50, 50),  # over a current typed by hand
        (indicator(50, [(D1, 50)]), D2, 48, 48),  # a later date moves current
        (indicator(48, [(D2, 48)]), D1, 50, 48),  # an earlier date leaves it
        (indicator(48, [(D1, 50), (D2, 48)]), D2, 47, 47),  # replacing the latest
    ],
)
def test_a_checkin_and_its_inverse(node, at, value, current):
    change = RecordCheckIn.of(node, at, value)
    after = change.applied_to(node)
    assert dict((c.at, c.value) for c in after.history)[at] == value
    assert after.current == current
    assert change.inverse().applied_to(after) == node, "undo puts back exactly what was"


def test_a_checkin_says_what_it_replaces():
    node = indicator(31.5, [(D1, 31.5)])
    assert RecordCheckIn.of(node, D1, 30).previous == 31.5
    assert RecordCheckIn.of(node, D2, 30).previous is None
    assert (
        RecordCheckIn.of(node, D1, 30).describe() == "check-in k: 30 on 2026-01-05 (replaces 31.5)"
    )


def test_a_checkin_is_refused_when_its_date_changed_meanwhile():
    node = indicator(50, [(D1, 50)])
    change = RecordCheckIn.of(node, D2, 48)
    theirs = RecordCheckIn.of(node, D2, 47).applied_to(node)
    with pytest.raises(
        PlanError, match="k changed since it was read: 47 was recorded on 2026-02-02"
    ):
        change.applied_to(theirs)
    elsewhere = RecordCheckIn.of(node, D3, 45).applied_to(node)
    assert rebase(change, _Nodes(elsewhere)).applied_to(elsewhere).current == 45, (
        "on another date it still applies, and current stays with the latest"
    )


def test_removing_the_latest_checkin_puts_back_the_latest_left():
    node = indicator(50, [(D1, 50)])
    mine = RecordCheckIn.of(node, D3, 44)
    theirs = RecordCheckIn.of(node, D2, 47)  # made meanwhile, on an earlier date
    both = theirs.applied_to(mine.applied_to(node))
    assert both.current == 44
    assert mine.inverse().applied_to(both).current == 47


def test_an_edit_made_again_keeps_others_fields_and_refuses_the_same_field():
    node = indicator(50, [(D1, 50)])
    mine = UpdateNode(node, node.evolve(owner="Mine"))
    theirs = node.evolve(title="Theirs")
    again = rebase(mine, _Nodes(theirs))
    assert isinstance(again, UpdateNode)
    assert (again.after.title, again.after.owner) == ("Theirs", "Mine")
    with pytest.raises(PlanError, match="k changed since it was read: its owner is now 'Bob'"):
        rebase(mine, _Nodes(node.evolve(owner="Bob")))


def test_what_overlaps():
    node = indicator(50, [(D1, 50)])
    on_d2, on_d3 = RecordCheckIn.of(node, D2, 48), RecordCheckIn.of(node, D3, 47)
    assert not overlaps(touches(on_d2), touches(on_d3)), "check-ins on other dates are independent"
    assert overlaps(touches(on_d2), touches(RecordCheckIn.of(node, D2, 49)))
    by_hand = UpdateNode(node, node.evolve(current=45))
    assert overlaps(touches(on_d2), touches(by_hand)), "current typed by hand vs a check-in"
    retitle = UpdateNode(node, node.evolve(title="New"))
    assert not overlaps(touches(on_d2), touches(retitle))
    assert not overlaps(touches(UpdateNode(node, node.evolve(owner="X"))), touches(retitle))
    from alignment.core.changes import AddNode, LinkNodes

    added = AddNode(Node(id="n", kind=Kind.INITIATIVE, title="N"), (Link("n", "k"),))
    assert overlaps(touches(added), touches(LinkNodes(Link("n", "x"))))
    assert not overlaps(touches(added), touches(retitle)), "a link to k is not k's title"


class _Nodes:
    """A plan of one node, for rebase."""

    def __init__(self, node: Node) -> None:
        self._node = node

    def node(self, node_id: str) -> Node:
        assert node_id == self._node.id
        return self._node
