"""Pilot-driven flows: each checks what the user sees and what the database holds afterwards."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList, Static

from alignment.core.model import Kind, Status
from alignment.formats.plan_file import read_plan_file
from alignment.store import Store
from alignment.tui.modals.form import NodeFormModal
from alignment.tui.modals.pickers import LinkPickerModal
from alignment.tui.modals.prompts import ConfirmModal
from alignment.tui.widgets.plan_tree import PlanTree
from alignment.tui.widgets.status import PlanStatus

from .conftest import (
    TODAY,
    UNIT_ECONOMICS,
    notifications,
    reopen,
    running,
    select,
    settle,
    shown_in,
    type_text,
)


def unaligned_ids(app) -> list[str]:  # type: ignore[no-untyped-def]
    tree = app.view_screen().query_one(PlanTree)
    return [child.data for child in tree._branch.children]


def status_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.view_screen().query_one(PlanStatus).render())


def errors_count(app) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for f in app.analysis.findings if f.severity == "error")


async def test_first_run_opens_a_sample_in_one_keypress(empty_db: str) -> None:
    async with running(empty_db) as (app, pilot):
        assert app.current_mode == "welcome"
        choices = app.screen.query_one(OptionList)
        assert "Break even on unit economics" in str(choices.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "map"
        tree = app.screen.query_one(PlanTree)
        assert [c.data for c in tree.root.children][:1] == ["break-even"]
        assert "frontend-rewrite" in unaligned_ids(app)
    assert len(reopen(empty_db)) == len(read_plan_file(UNIT_ECONOMICS))


async def test_first_run_new_empty_plan_then_its_first_goal(empty_db: str) -> None:
    async with running(empty_db, (80, 24)) as (app, pilot):
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Grow ARR")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "map" and len(app.plan) == 0
        assert status_text(app).startswith("no live initiatives yet")
        assert "Press a to add a goal" in str(app.screen.query_one("#detail-body").render())
        await pilot.press("a")
        await pilot.pause()
        assert str(app.screen.query_one("#form-title", Static).render()) == "Add a goal"
        supports = app.screen.query_one("#f-supports")
        assert "nothing: a goal is the top of the plan" in shown_in(app, supports)
        await type_text(pilot, "Reach 10M ARR")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.view_screen().selected_node() == "reach-10m-arr"
        assert status_text(app).rstrip().endswith("1 node")
    assert [n.id for n in reopen(empty_db, "Grow ARR").nodes()] == ["reach-10m-arr"]


async def test_add_an_initiative_under_the_selected_indicator(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NodeFormModal)
        await type_text(pilot, "Lazy load images")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "lazy-load-images" in app.plan
        assert app.view_screen().selected_node() == "lazy-load-images"
    stored = reopen(db)
    assert stored.node("lazy-load-images").title == "Lazy load images"
    assert [link.parent for link in stored.parents("lazy-load-images")] == ["bounce-rate"]


async def test_add_an_unaligned_draft_by_declining_the_prefilled_parent(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert str(form.query_one("#form-title", Static).render()) == "Add an initiative"
        await type_text(pilot, "Try a chatbot")
        form.query_one("#f-supports").press()  # the parents picker: enter takes one off
        await settle(app, pilot)
        await type_text(pilot, "bounce-rate")
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert "nothing yet" in shown_in(app, form.query_one("#f-supports"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "try-a-chatbot" in unaligned_ids(app)
        assert app.view_screen().selected_node() == "try-a-chatbot"
        assert "✖ 3 errors" in status_text(app)
    assert reopen(db).parents("try-a-chatbot") == []


async def test_form_refuses_invalid_values_with_the_reason(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-target").value = "forty"
        await pilot.pause()
        assert "target must be a number" in str(form.query_one("#form-error", Static).render())
        assert form.query_one("#f-target").has_class("-invalid")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not saved
        await pilot.press("escape")
    assert reopen(db).node("bounce-rate").target == 40


async def test_the_reused_form_never_shows_leftovers(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#f-target").value == "40"
        assert form.query_one("#f-target").parent.display
        form.query_one("#f-target").value = "forty"
        await pilot.pause()
        assert "target must be a number" in str(form.query_one("#form-error").render())
        await pilot.press("escape")
        await select(app, pilot, "page-speed")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is form  # the same form, loaded again
        assert str(form.query_one("#form-title").render()) == "Edit initiative · page-speed"
        assert form.query_one("#f-title").value.startswith("Rework entry pages")
        assert form.query_one("#f-effort").value == "3"
        assert str(form.query_one("#form-error").render()) == ""
        assert not form.query(".-invalid")
        assert not form.query_one("#f-target").parent.display  # an initiative has no target
        assert form.query_one("#f-id").disabled
        await pilot.press("escape")
        await select(app, pilot, "bounce-rate")
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is form
        assert (form.query_one("#f-title").value, form.query_one("#f-id").value) == ("", "")
        assert form.query_one("#f-target").value == "" and form.query_one("#f-effort").value == ""
        assert not form.query_one("#f-id").disabled
        assert "Bounce rate on entry pages" in shown_in(app, form.query_one("#f-supports"))
        await type_text(pilot, "Shorter pages")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.view_screen().selected_node() == "shorter-pages"
    assert [link.parent for link in reopen(db).parents("shorter-pages")] == ["bounce-rate"]


async def test_edit_a_node(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-title").value = "Page speed above 95"
        form.query_one("#f-effort").value = "4"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        tree = app.view_screen().query_one(PlanTree)
        assert "Page speed above 95" in str(tree.cursor_node.label)
    node = reopen(db).node("page-speed")
    assert (node.title, node.effort) == ("Page speed above 95", 4)


async def test_link_an_orphan_and_watch_it_leave_unaligned(db: str) -> None:
    async with running(db) as (app, pilot):
        assert "frontend-rewrite" in unaligned_ids(app)
        errors_before = errors_count(app)
        assert errors_before == 2 and "✖ 2 errors" in status_text(app)
        await select(app, pilot, "frontend-rewrite")
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LinkPickerModal)
        await type_text(pilot, "bounce-rate")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")  # then its numbers: none
        await settle(app, pilot)
        assert "frontend-rewrite" not in unaligned_ids(app)
        assert errors_count(app) == errors_before - 1
        assert "✖ 2 errors" not in status_text(app)
        assert "✖ 1 error " in status_text(app)
        assert app.view_screen().selected_node() == "frontend-rewrite"
    assert [link.parent for link in reopen(db).parents("frontend-rewrite")] == ["bounce-rate"]


async def test_undo_a_link_puts_the_orphan_back_and_says_what_was_undone(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "frontend-rewrite")
        await pilot.press("l")
        await pilot.pause()
        await type_text(pilot, "bounce-rate")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")  # then its numbers: none
        await settle(app, pilot)
        assert "frontend-rewrite" not in unaligned_ids(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert "frontend-rewrite" in unaligned_ids(app)
        assert app.view_screen().selected_node() == "frontend-rewrite"
        # The notice names the edit undone, not the inverse that undid it.
        assert "Undone: link frontend-rewrite -> bounce-rate" in notifications(app)[-1]
        assert "✖ 2 errors" in status_text(app)
    assert reopen(db).parents("frontend-rewrite") == []


async def test_a_link_that_makes_a_cycle_is_refused_with_the_reason(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "cac")
        await pilot.press("l")
        await pilot.pause()
        await type_text(pilot, "bounce-rate")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LinkPickerModal)
        assert "cycle" in str(app.screen.query_one("#picker-error", Static).render())
        await pilot.press("escape")
    assert reopen(db).link_between("cac", "bounce-rate") is None


async def test_unlink_a_parent(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "analytics-tool")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # the first parent: reduce-cac
        await settle(app, pilot)
        assert [link.parent for link in app.plan.parents("analytics-tool")] == ["increase-ltv"]
    assert [link.parent for link in reopen(db).parents("analytics-tool")] == ["increase-ltv"]


async def test_delete_lists_what_would_be_orphaned(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "referral-rate")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "refer-a-friend" in app.screen.body
        await pilot.press("y")
        await settle(app, pilot)
        assert "referral-rate" not in app.plan
        assert "refer-a-friend" in unaligned_ids(app)
    stored = reopen(db)
    assert "referral-rate" not in stored
    assert stored.parents("refer-a-friend") == []


async def test_undo_and_redo_survive_a_restart(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        await pilot.press("D")  # drop
        await settle(app, pilot)
        assert app.plan.node("page-speed").status is Status.DROPPED
    assert reopen(db).node("page-speed").status is Status.DROPPED
    async with running(db) as (app, pilot):
        await pilot.press("u")
        await settle(app, pilot)
        assert app.plan.node("page-speed").status is Status.PLANNED
    assert reopen(db).node("page-speed").status is Status.PLANNED
    async with running(db) as (app, pilot):
        await pilot.press("r")
        await settle(app, pilot)
        assert app.plan.node("page-speed").status is Status.DROPPED
    assert reopen(db).node("page-speed").status is Status.DROPPED


async def test_record_a_checkin(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "47.5")
        await pilot.press("enter")
        await settle(app, pilot)
        detail = str(app.view_screen().query_one("#detail-body", Static).render())
        assert "47.5" in detail
    node = reopen(db).node("bounce-rate")
    assert node.history[-1].at == TODAY
    assert (node.history[-1].value, node.current) == (47.5, 47.5)


async def test_findings_enter_jumps_to_the_node_on_the_map(db: str) -> None:
    async with running(db) as (app, pilot):
        await pilot.press("2")
        await settle(app, pilot)
        assert app.current_mode == "findings"
        first = app.screen.selected_node()
        assert first == app.analysis.findings[0].node
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "map"
        assert app.view_screen().selected_node() == first


async def test_fix_an_orphan_from_the_findings(db: str) -> None:
    async with running(db) as (app, pilot):
        await pilot.press("2")
        await settle(app, pilot)
        assert app.screen.selected_node() == "daily-memes"
        await pilot.press("D")  # drop it: a dropped initiative is no longer an orphan
        await settle(app, pilot)
        assert "daily-memes" not in {f.node for f in app.analysis.findings if f.severity == "error"}
        assert app.screen.selected_node() == "frontend-rewrite"
        await pilot.press("l")
        await pilot.pause()
        await type_text(pilot, "registration")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")  # then its numbers: none
        await settle(app, pilot)
        assert errors_count(app) == 0
        texts = [str(o.prompt) for o in app.screen.query_one(OptionList)._options]
        assert not any("Errors" in text for text in texts)
    stored = reopen(db)
    assert stored.node("daily-memes").status is Status.DROPPED
    assert [link.parent for link in stored.parents("frontend-rewrite")] == ["registration-rate"]


async def test_search_jumps_to_a_node(db: str) -> None:
    async with running(db) as (app, pilot):
        await pilot.press("slash")
        await pilot.pause()
        await type_text(pilot, "refer friend")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view_screen().selected_node() == "refer-a-friend"


async def test_filter_and_sort_initiatives(db: str) -> None:
    async with running(db) as (app, pilot):
        await pilot.press("3")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(app.plan.nodes(Kind.INITIATIVE))
        app.screen.query_one("#filter-owner").value = "Growth"
        await settle(app, pilot)
        assert table.row_count == 2
        app.screen.query_one("#filter-status").value = "candidate"
        await settle(app, pilot)
        assert {str(k.value) for k in table.rows} == {"prompt-to-subscribe", "refer-a-friend"}
        app.screen.sort_by("title")  # by title again: reversed
        await settle(app, pilot)
        assert [k.value for k in table.rows] == ["refer-a-friend", "prompt-to-subscribe"]


async def test_metrics_filter_by_owner(db: str) -> None:
    async with running(db) as (app, pilot):
        await pilot.press("4")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(app.plan.nodes(Kind.INDICATOR))
        app.screen.query_one("#filter-owner").value = "Growth"
        await settle(app, pilot)
        growth = [n for n in app.plan.nodes(Kind.INDICATOR) if n.owner == "Growth"]
        assert table.row_count == len(growth) > 0


async def test_export_yaml_to_a_file(db: str, tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    async with running(db) as (app, pilot):
        app.export_to("yaml", target)
        await settle(app, pilot)
        assert any(str(target) in str(n.message) for n in app._notifications)
    assert len(read_plan_file(target)) == len(read_plan_file(UNIT_ECONOMICS))


async def test_export_through_the_keys(db: str, tmp_path: Path) -> None:
    target = tmp_path / "map.md"
    async with running(db) as (app, pilot):
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("down", "enter")  # YAML, then Markdown
        await pilot.pause()
        assert app.screen.query_one("#path").value.endswith("break-even-on-unit-economics.md")
        app.screen.query_one("#path").value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        assert any(str(target) in str(n.message) for n in app._notifications)
    assert target.read_text().startswith("#")


async def test_an_edit_of_another_field_of_a_node_someone_changed_keeps_both(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        other = Store.open(db).session("Break even on unit economics")
        # Another process edits the same node meanwhile, another field: no conflict.
        other.apply(other.plan.update_change(other.plan.node("page-speed").evolve(title="Theirs")))
        await pilot.press("D")
        await settle(app, pilot)
        assert app.plan.node("page-speed").title == "Theirs"
        assert app.plan.node("page-speed").status is Status.DROPPED
    stored = reopen(db).node("page-speed")
    assert (stored.title, stored.status) == ("Theirs", Status.DROPPED)


async def test_rename_the_plan_and_undo_it(db: str) -> None:
    from alignment.core.plan import Plan
    from alignment.tui.widgets.status import TopBar

    Store.open(db).save_plan(Plan("Other plan"))
    async with running(db, plan="Break even on unit economics") as (app, pilot):
        await pilot.press("P")
        await pilot.pause()
        name = app.screen.query_one("#plan-name")
        name.value = "Other plan"  # taken: refused in the form
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already exists" in str(app.screen.query_one(".prompt-error").render())
        name.value = "Unit economics FY27"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Unit economics FY27" in str(app.view_screen().query_one(TopBar).render())
        assert reopen(db, "Unit economics FY27").description == app.plan.description

        await pilot.press("u")
        await settle(app, pilot)
        assert "Break even on unit economics" in str(app.view_screen().query_one(TopBar).render())
    assert reopen(db).name == "Break even on unit economics"
