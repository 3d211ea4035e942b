"""Numbers typed in the forms: a decimal comma is read as one only where that is certain, an
ambiguous one is refused naming the field (never guessed); the add form offers the selection."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from alignment.core.model import PlanError
from alignment.tui.modals.form import NodeFormModal
from alignment.tui.modals.prompts import CheckInModal
from alignment.tui.widgets.text import typed_number

from .conftest import TODAY, reopen, running, select, settle, shown_in


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1,5", 1.5),
        ("-0,25", -0.25),
        ("12,5000", 12.5),
        ("1.5", 1.5),
        ("1500", 1500),
        ("1,234,567", 1234567),
        ("1,234.5", 1234.5),
        (" 42 ", 42),
        ("", None),
    ],
)
def test_typed_numbers_that_mean_one_thing(typed: str, value: float | None) -> None:
    assert typed_number(typed, "baseline") == value


@pytest.mark.parametrize("typed", ["1,500", "1.234,5", "1,2,3", "12,34.5", "abc", "1,5x"])
def test_typed_numbers_that_could_mean_two_things_or_none_are_refused(typed: str) -> None:
    with pytest.raises(PlanError) as refused:
        typed_number(typed, "baseline")
    assert refused.value.field == "baseline"
    assert str(refused.value).startswith("baseline")


async def test_a_decimal_comma_in_the_form_is_stored_as_a_decimal(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NodeFormModal)
        form.query_one("#f-baseline", Input).value = "1,5"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.plan.node("bounce-rate").baseline == 1.5
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#f-target", Input).value = "1,500"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, NodeFormModal)  # refused: the form stays open
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "target" in error and "1,500" in error
        assert app.screen.query_one("#f-target", Input).has_class("-invalid")
        await pilot.press("escape")
    stored = reopen(db).node("bounce-rate")
    assert stored.baseline == 1.5 and stored.target == 40


async def test_a_decimal_comma_in_a_check_in(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckInModal)
        app.screen.query_one("#checkin-value", Input).value = "47,5"
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.plan.node("bounce-rate").current == 47.5
    assert reopen(db).node("bounce-rate").history[-1].value == 47.5
    assert reopen(db).node("bounce-rate").history[-1].at == TODAY


async def test_the_add_form_offers_the_selected_node_each_time(db: str) -> None:
    async with running(db) as (app, pilot):
        for node_id, title in [
            ("bounce-rate", "Bounce rate on entry pages"),
            ("referral-rate", "Referral rate"),
            ("reduce-cac", "Reduce CAC by 20%"),
        ]:
            await select(app, pilot, node_id)
            await pilot.press("a")
            await settle(app, pilot)
            supports = app.screen.query_one("#f-supports")
            assert title in shown_in(app, supports), shown_in(app, supports)
            await pilot.press("escape")
            await settle(app, pilot)
