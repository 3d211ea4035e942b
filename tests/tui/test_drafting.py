"""Drafting in the node form: each flow checks the screen and what the database holds."""

from __future__ import annotations

from textual.widgets import Input, Static

from alignment.core.model import Direction, Kind
from alignment.tui.modals.form import NodeFormModal
from alignment.tui.modals.pickers import ParentsPickerModal

from .conftest import burst, on_screen, reopen, running, select, settle, shown_in


def heading(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#form-title", Static).render())


async def test_enter_walks_the_declared_fields_and_saves_on_the_last_in_one_burst(
    db: str,
) -> None:
    """A strategy's fields in declaration order (owner, measure, change, aim), typed in one
    burst of keys without a pause: every value lands in its own field."""
    async with running(db) as (app, pilot):
        await select(app, pilot, "break-even")
        keys = ["a", *"Grow ARR", "enter", *"Sales", "enter", *"cac", "enter", *"-20%"]
        await burst(app, pilot, *keys, "enter", "enter")  # the last enter is on aim: save
        assert not isinstance(app.screen, NodeFormModal)
        assert app.view_screen().selected_node() == "grow-arr"
    node = reopen(db).node("grow-arr")
    assert (node.kind, node.owner, node.measure, node.change) == (
        Kind.STRATEGY,
        "Sales",
        "cac",
        "-20%",
    )
    assert [link.parent for link in reopen(db).parents("grow-arr")] == ["break-even"]


async def test_add_and_edit_forms_have_the_same_stops(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NodeFormModal)
        edit_stops = [w.id for w in form.stops()]
        await pilot.press("escape")
        await select(app, pilot, "reduce-cac")
        await pilot.press("a")
        await pilot.pause()
        assert heading(app) == "Add an indicator"
        assert [w.id for w in form.stops()] == edit_stops
        assert edit_stops[:4] == ["f-title", "f-owner", "f-role", "f-unit"]
        await pilot.press("escape")


async def test_the_kind_follows_the_selection_and_ctrl_k_switches_it(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "reduce-cac")
        await pilot.press("a", *"Try ads", "ctrl+k")
        await pilot.pause()
        form = app.screen
        assert heading(app) == "Add an initiative"
        assert form.query_one("#row-effort").display and not form.query_one("#row-unit").display
        await pilot.press("ctrl+k")
        assert heading(app) == "Add a goal"
        await pilot.press("ctrl+k", "ctrl+k", "ctrl+k")  # round to initiative again
        assert heading(app) == "Add an initiative"
        assert form.query_one("#f-title", Input).value == "Try ads"  # kept across kinds
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    stored = reopen(db)
    assert stored.node("try-ads").kind is Kind.INITIATIVE
    assert [link.parent for link in stored.parents("try-ads")] == ["reduce-cac"]


async def test_supports_picks_several_parents_with_the_fuzzy_search(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("a", *"Faster pages")
        form = app.screen
        form.query_one("#f-supports").press()
        await settle(app, pilot)
        assert isinstance(app.screen, ParentsPickerModal)
        await pilot.press(*"referral", "enter", *"activation rate", "enter")
        await pilot.pause()
        assert on_screen(app, "Supports (3)")
        await pilot.press("escape")
        await pilot.pause()
        shown = shown_in(app, form.query_one("#f-supports"))
        assert "Bounce rate" in shown and "Referral rate" in shown
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    parents = [link.parent for link in reopen(db).parents("faster-pages")]
    assert parents == ["bounce-rate", "referral-rate", "activation-rate"]


async def test_the_direction_is_read_from_baseline_and_target_and_said(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "reduce-cac")
        # title, owner, role, unit, formula, better, baseline, target
        keys = [*"Churn", "enter", "enter", "enter", "%", "enter", "enter", "enter", "5"]
        await pilot.press("a", *keys, "enter", "3")
        await pilot.pause()
        form = app.screen
        note = str(form.query_one("#form-note", Static).render())
        assert note == "Better: ↓ down, read from baseline -> target: down (3 is below 5)"
        assert on_screen(app, "read from baseline -> target")
        assert str(form.query_one("#form-error", Static).render()) == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    node = reopen(db).node("churn")
    assert (node.unit, node.baseline, node.target, node.direction) == ("%", 5, 3, Direction.DOWN)


async def test_a_formula_is_checked_as_typed_and_completes_indicator_ids(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "reduce-cac")
        await pilot.press("a", *"Ratio", "enter", "enter", "enter", "enter", *"${lt")
        await pilot.pause()
        form = app.screen
        formula = form.query_one("#f-formula", Input)
        assert app.screen.focused is formula
        assert on_screen(app, "${ltv}")  # the suggestion, shown after the cursor
        await pilot.press("right", *" / ${nope}")  # right accepts the suggestion
        await pilot.pause()
        assert formula.value == "${ltv} / ${nope}"
        error = str(form.query_one("#form-error", Static).render())
        assert error == "⚠ formula: no indicator 'nope'" and formula.has_class("-invalid")
        await pilot.press(*["backspace"] * 7, *"(${cac")
        await pilot.pause()
        assert "formula" in str(form.query_one("#form-error", Static).render())  # unclosed
        await pilot.press("right", ")")
        await pilot.pause()
        assert formula.value == "${ltv} / (${cac})"
        assert str(form.query_one("#form-error", Static).render()) == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert reopen(db).node("ratio").formula == "${ltv} / (${cac})"


async def test_ctrl_n_saves_and_opens_the_form_again_under_the_same_parent(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        keys = ["a", *"Smaller images", "ctrl+n", *"Fewer fonts", "ctrl+n", *"Cache pages"]
        await burst(app, pilot, *keys, "ctrl+s")
        assert not isinstance(app.screen, NodeFormModal)
    stored = reopen(db)
    for node_id in ("smaller-images", "fewer-fonts", "cache-pages"):
        assert [link.parent for link in stored.parents(node_id)] == ["bounce-rate"]
        assert stored.node(node_id).kind is Kind.INITIATIVE


async def test_keys_typed_right_after_the_first_opening_land_in_the_form(db: str) -> None:
    """The form's first opening mounts it: the keys behind `a` wait for it, none are lost."""
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await burst(app, pilot, "a", *"Quick win", "tab", *"Growth", "ctrl+s")
    node = reopen(db).node("quick-win")
    assert (node.title, node.owner) == ("Quick win", "Growth")
