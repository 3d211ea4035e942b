"""Plan actions of the app: open another plan, create one, import a file, export to a file."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from alignment.bulk import gc_paused
from alignment.core.model import PlanError
from alignment.core.plan import Plan, check_plan_name
from alignment.files import write_atomically
from alignment.formats.export import EXPORT_FORMATS, render
from alignment.tui.modals.pickers import ChoiceModal
from alignment.tui.modals.prompts import (
    ConfirmModal,
    PathInputModal,
    PlanDetailsModal,
    TextPromptModal,
)
from alignment.tui.state import PlanApp

if TYPE_CHECKING:
    from alignment.store import PlanSession, Store
    from alignment.store.store import PlanSummary

__all__ = ["PlanActions"]


def file_stem(name: str) -> str:
    from alignment.core.edits import slugify

    return slugify(name)


class PlanActions(PlanApp):
    """Mixed into AlignmentApp."""

    def action_switch_plan(self) -> None:
        self.read_store(lambda store: store.summaries(), self._choose_plan, "Cannot list plans")

    def _choose_plan(self, summaries: list[PlanSummary]) -> None:
        if not summaries:
            self.notify("No plans yet: create or import one", severity="warning")
            return
        choices = [(s.name, f"{s.name}  ({sum(s.counts.values())} nodes)") for s in summaries]
        current = self.session.name if self.session else None

        def chosen(name: str | None) -> None:
            if name is not None and name != current:
                self.load_plan(name)

        self.push_screen(ChoiceModal("Open plan", choices, highlight=current), chosen)

    def _with_plan_names(self, then: Callable[[list[str]], None], title: str) -> None:
        """``then(the names of the database's plans)``, read in the lane (see read_store)."""
        self.read_store(lambda store: store.plan_names(), then, title)

    def action_new_plan(self) -> None:
        self._with_plan_names(self._name_new_plan, "Cannot add a plan")

    def _name_new_plan(self, taken: list[str]) -> None:
        def check(name: str) -> None:
            name = check_plan_name(name.strip())
            if name in taken:
                raise PlanError(f"a plan named {name!r} already exists")

        def named(name: str | None) -> None:
            if name:
                self.save_and_open(Plan(name))

        prompt = TextPromptModal("New plan", "its name, e.g. Break even by FY27", check)
        self.push_screen(prompt, named)

    def action_edit_plan(self) -> None:
        if self.session is not None:
            self._with_plan_names(self._edit_plan, "Cannot edit")

    def _edit_plan(self, taken: list[str]) -> None:
        if self.session is None:
            return
        plan = self.session.plan

        def check(name: str) -> None:
            name = check_plan_name(name)
            if name != plan.name and name in taken:
                raise PlanError(f"a plan named {name!r} already exists")

        def chosen(result: tuple[str, str | None] | None) -> None:
            if result is None or self.session is None:
                return
            name, description = result
            if (name, description) == (plan.name, plan.description):
                return
            change = self.plan.edit_plan_change(name, description)
            self.apply_change(change, lambda _: self.notify(f"Plan details saved ({name!r})"))

        self.push_screen(PlanDetailsModal(plan.name, plan.description, check), chosen)

    def action_import_plan(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self.import_file(path)

        modal = PathInputModal("Import a plan file", str(Path.cwd()) + "/", must_exist=True)
        self.push_screen(modal, chosen)

    @work(thread=True, exclusive=True, group="import")
    def import_file(self, path: Path) -> None:
        from alignment.formats.plan_file import read_plan_file

        try:
            plan = read_plan_file(path)
        except (PlanError, OSError) as error:
            self.call_from_thread(
                self.notify, str(error), title="Not imported", severity="error", timeout=10
            )
            return
        self.call_from_thread(self._imported, plan)

    def _imported(self, plan: Plan) -> None:
        def known(taken: list[str]) -> None:
            if plan.name not in taken:
                self.save_and_open(plan)
                return

            def replace(yes: bool | None) -> None:
                if yes:
                    self.save_and_open(plan, replace=True)

            body = f"A plan named {plan.name!r} exists. Replace it with the file's version?\n(Its undo history goes with it.)"
            self.push_screen(ConfirmModal("Replace plan?", body, confirm="Replace"), replace)

        self._with_plan_names(known, "Not imported")

    def save_and_open(self, plan: Plan, replace: bool = False) -> None:
        """Store ``plan`` (a new, imported or sample plan) in a worker, then open it."""
        assert self.store is not None  # the welcome screen offers nothing without one
        if not self.refuses_writes():
            self._save_plan(self.store, plan, replace)

    @work(thread=True, group="save-plan")
    def _save_plan(self, store: Store, plan: Plan, replace: bool) -> None:
        try:
            with gc_paused():
                store.save_plan(plan, replace=replace, author=self.author)
        except PlanError as error:
            self.post_message(self.PlanSaved(plan, str(error)))
            return
        self.post_message(self.PlanSaved(plan))

    class PlanSaved(Message):
        """A new, imported or sample plan was stored (or refused: ``problem`` says why)."""

        def __init__(self, plan: Plan, problem: str | None = None) -> None:
            super().__init__()
            self.plan, self.problem = plan, problem

    @on(PlanSaved)
    def _plan_saved(self, message: PlanSaved) -> None:
        plan = message.plan
        if message.problem is not None:
            self.notify(message.problem, title="Not saved", severity="error")
            return
        self.notify(f"Opened {plan.name!r} ({len(plan)} nodes)")
        self.load_plan(plan.name)

    def open_sample(self, path: Path) -> None:
        from alignment.formats.plan_file import read_plan_file

        try:
            plan = read_plan_file(path)
        except PlanError as error:
            self.notify(str(error), severity="error")
            return

        def known(taken: list[str]) -> None:
            if plan.name in taken:
                self.load_plan(plan.name)
            else:
                self.save_and_open(plan)

        self._with_plan_names(known, "Sample not opened")

    def action_export_plan(self) -> None:
        formats = EXPORT_FORMATS

        def format_chosen(kind: str | None) -> None:
            if kind is None:
                return
            if self.is_web:  # in a browser (alignment serve): a download, no file on the server
                name = file_stem(self.plan.name) + formats[kind][1]
                text = render(self.plan, kind, self.today())
                self.deliver_text(io.StringIO(text), save_filename=name)
                self.notify(f"Downloading {name}", title="Exported")
                return
            default = Path.cwd() / (file_stem(self.plan.name) + formats[kind][1])

            def path_chosen(path: Path | None) -> None:
                if path is not None:
                    self.export_to(kind, path)

            title = f"Export {formats[kind][0]} to"
            modal = PathInputModal(title, str(default), suffixes=(formats[kind][1],))
            self.push_screen(modal, path_chosen)

        choices = [(key, label) for key, (label, _) in formats.items()]
        self.push_screen(ChoiceModal("Export as", choices), format_chosen)

    def export_to(self, kind: str, path: Path) -> None:
        """Render and write in a worker, after the edits made before it (they are in the file)."""
        assert self.session is not None
        self.run_in_lane(partial(self._export, self.session, kind, self.today(), path))

    def _export(self, session: PlanSession, kind: str, today: date, path: Path) -> Message:
        try:
            with gc_paused():
                text = render(session.plan, kind, today)
            write_atomically(path, text)
        except OSError as error:
            return self.Exported(path, f"cannot write {path}: {error.strerror or error}")
        return self.Exported(path)

    class Exported(Message):
        """An export was written to ``path``, or refused (``problem`` says why)."""

        def __init__(self, path: Path, problem: str | None = None) -> None:
            super().__init__()
            self.path, self.problem = path, problem

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        if message.problem is not None:
            self.notify(message.problem, title="Not exported", severity="error")
        else:
            self.notify(f"Exported to {message.path}", title="Exported", timeout=8)
        self.lane_done()
