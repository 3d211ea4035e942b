"""Quick-add, siblings, link numbers and check-in history: the screen and the database."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, OptionList, Static

from alignment.core.model import Direction, Kind, Status
from alignment.tui.modals.drafting import HistoryModal, LinkNumbersModal, QuickAddModal
from alignment.tui.modals.form import NodeFormModal
from alignment.tui.modals.prompts import CheckInModal
from alignment.tui.widgets.plan_tree import PlanTree

from .conftest import burst, on_screen, reopen, running, screen_lines, select, settle


async def test_quick_add_lines_in_one_burst_and_a_bad_line_writes_nothing(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "reduce-cac")
        before = len(app.plan)
        lines = [
            "Churn % 5 -> 3 by 2027-06-30",  # an indicator: the kind under a strategy
            "+ Fix the signup form",  # + : under the node added just before (not saved yet)
            "- ini Ads on podcasts @Growth effort 2 under bounce-rate",  # - : back up a level
            "ind Flat 5 -> 5",  # refused: no direction can be read
        ]
        keys = [":"]
        for line in lines:
            keys += [*line, "enter"]
        await burst(app, pilot, *keys)
        assert isinstance(app.screen, QuickAddModal)
        error = str(app.screen.query_one("#quick-error", Static).render())
        assert error == "⚠ baseline and target are equal: say up or down (which way is better)"
        assert app.screen.query_one("#quick-line", Input).value == "ind Flat 5 -> 5"  # kept
        assert on_screen(app, "✓ initiative Ads on podcasts (ads-on-podcasts) under bounce-rate")
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(app.plan) == before + 3
    stored = reopen(db)
    churn = stored.node("churn")
    assert (churn.kind, churn.unit, churn.baseline, churn.target) == (Kind.INDICATOR, "%", 5, 3)
    assert churn.direction is Direction.DOWN and churn.due == date(2027, 6, 30)
    assert stored.supported("churn") == ["reduce-cac"]
    assert stored.node("fix-the-signup-form").kind is Kind.INITIATIVE
    assert stored.supported("fix-the-signup-form") == ["churn"]
    ads = stored.node("ads-on-podcasts")
    assert (ads.owner, ads.effort, stored.supported(ads.id)) == ("Growth", 2, ["bounce-rate"])
    assert "flat" not in stored


async def test_quick_add_completes_kind_words_and_ids(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "reduce-cac")
        await pilot.press(":", *"ini", "right", *" Retarget under regis", "right")
        line = app.screen.query_one("#quick-line", Input)
        assert line.value == "initiative Retarget under registration-rate"
        await pilot.press("enter", "escape")
        await settle(app, pilot)
    assert reopen(db).supported("retarget") == ["registration-rate"]


async def test_add_a_sibling_of_the_selection(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "registration-rate")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, NodeFormModal)
        assert str(app.screen.query_one("#form-title", Static).render()) == "Add an indicator"
        await pilot.press(*"Trial starts", "ctrl+s")
        await settle(app, pilot)
        assert on_screen(app, "b Sibling") and on_screen(app, ": Quick add")
    assert reopen(db).supported("trial-starts") == reopen(db).supported("registration-rate")[:1]


async def test_link_picker_then_the_numbers(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        await pilot.press("l", *"registration rate", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LinkNumbersModal)
        assert on_screen(app, "Effect (%)")
        await pilot.press(*"0,3", "enter", *"0.7", "enter")
        await settle(app, pilot)
    link = reopen(db).link_between("page-speed", "registration-rate")
    assert link is not None and (link.effect, link.confidence) == (0.3, 0.7)


async def test_link_without_numbers_is_one_more_enter(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        await pilot.press("l", *"registration rate", "enter", "enter")
        await settle(app, pilot)
    link = reopen(db).link_between("page-speed", "registration-rate")
    assert link is not None and (link.effect, link.confidence) == (None, None)


async def test_edit_a_links_numbers_from_the_selection_and_undo(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "analytics-tool")  # supports both strategies: choose one
        order = [link.parent for link in app.plan.parents("analytics-tool")]
        await pilot.press("L")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        options.highlighted = 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LinkNumbersModal)
        effect = app.screen.query_one("#link-effect", Input)
        effect.value = ""
        await pilot.press(*"2.5", "tab", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, LinkNumbersModal)
        saved = reopen(db).link_between("analytics-tool", order[1])
        assert saved is not None and saved.effect == 2.5
        assert [link.parent for link in reopen(db).parents("analytics-tool")] == order
        await pilot.press("u")
        await settle(app, pilot)
    undone = reopen(db).link_between("analytics-tool", order[1])
    assert undone is not None and undone.effect != 2.5
    assert [link.parent for link in reopen(db).parents("analytics-tool")] == order


async def test_the_actual_effect_is_asked_of_done_work_only(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        await pilot.press("L")
        await settle(app, pilot)
        assert not app.screen.query("#link-actual")
        await pilot.press("escape", "s")
        await settle(app, pilot)
        app.screen.query_one(OptionList).highlighted = [s.value for s in Status].index("done")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        assert app.screen.query("#link-actual")
        app.screen.query_one("#link-actual", Input).value = "-4"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    link = reopen(db).link_between("page-speed", "bounce-rate")
    assert link is not None and (link.effect, link.actual) == (-6, -4)


async def test_history_lists_corrects_and_deletes_one_check_in(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("H")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryModal)
        assert on_screen(app, "Check-ins · Bounce rate on entry pages (6)")
        assert on_screen(app, "2026-11-16   48.5 %")
        await pilot.press("d")  # the newest: current falls back to the one before
        await settle(app, pilot)
        assert on_screen(app, "(5)") and not on_screen(app, "48.5 %")
        stored = reopen(db).node("bounce-rate")
        assert (len(stored.history), stored.current) == (5, 49.5)
        await pilot.press("e")  # now the newest is 2026-11-02, 49.5
        await settle(app, pilot)
        assert isinstance(app.screen, CheckInModal)
        value = app.screen.query_one("#checkin-value", Input)
        assert value.value == "49.5"
        value.value = "49"
        await pilot.press("enter")
        await settle(app, pilot)
        assert on_screen(app, "2026-11-02   49 %")
        assert reopen(db).node("bounce-rate").current == 49
        await pilot.press("escape", "u", "u")  # undo the correction, then the deletion
        await settle(app, pilot)
    restored = reopen(db).node("bounce-rate")
    assert (len(restored.history), restored.current) == (6, 48.5)


async def test_view_tabs_open_their_view_on_a_click(db: str) -> None:
    async with running(db) as (app, pilot):
        for label, mode in (("2 Findings", "findings"), ("4 Metrics", "metrics"), ("1 Map", "map")):
            top = screen_lines(app)[0]
            await pilot.click(offset=(top.index(label) + 2, 0))
            await settle(app, pilot)
            assert app.current_mode == mode
            assert on_screen(app, label)


async def test_one_click_on_a_tree_node_selects_it_and_leaves_it_open_or_closed(db: str) -> None:
    async with running(db) as (app, pilot):
        tree = app.view_screen().query_one(PlanTree)
        lines = screen_lines(app)
        row = next(i for i, line in enumerate(lines) if "Bounce rate on entry pages" in line)
        column = lines[row].index("Bounce rate on entry pages") + 3
        await pilot.click(offset=(column, row))
        await settle(app, pilot)
        assert app.view_screen().selected_node() == "bounce-rate"
        assert tree.cursor_node is not None and tree.cursor_node.is_expanded  # as it was
        assert on_screen(app, "INDICATOR · bounce-rate")  # its details
        await pilot.click(offset=(column, row), times=2)  # a double click closes it
        await settle(app, pilot)
        assert not tree.cursor_node.is_expanded


async def test_quick_add_refuses_a_level_that_does_not_exist(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "reduce-cac")
        await pilot.press(":", *"- Churn % 5 -> 3", "enter")
        error = str(app.screen.query_one("#quick-error", Static).render())
        assert error.startswith("⚠ -: there is no level up")
        await pilot.press("escape")
        await settle(app, pilot)
    assert "churn" not in reopen(db)
