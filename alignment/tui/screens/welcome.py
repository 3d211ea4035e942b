"""The welcome screen: open a plan, a sample plan, an empty plan, or import a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from alignment.samples import sample_plan_paths
from alignment.tui.screens.base import PlanAppScreen
from alignment.tui.widgets.text import plain

if TYPE_CHECKING:
    from alignment.store.store import PlanSummary
    from alignment.tui.app import AlignmentApp

__all__ = ["WelcomeScreen"]

INTRO = (
    "Trace every piece of tech work back to a business goal.\n"
    "Goals ◎ → strategies ◆ → indicators ▲ → initiatives ●:\n"
    "see what each initiative serves, and what serves nothing."
)
VERB_WIDTH = 8  # "Sample", "Open", "New", "Import" in one column


def _sample_title(path: Path) -> str:
    """The plan's name from its file (cheap: the `plan:` line), else the file name."""
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("plan:"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return path.stem


def _verb(verb: str, style: str = "bold") -> tuple[str, str]:
    return (verb.ljust(VERB_WIDTH), style)


class WelcomeScreen(PlanAppScreen):
    """Shown when no plan is open."""

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="welcome"):
            yield Static(Content.styled("◎ alignment", "bold $text-accent"), id="welcome-title")
            yield Static(INTRO, id="welcome-intro")
            yield OptionList(id="welcome-choices")
            yield Static("↑↓ choose · enter open", id="welcome-hint")
            yield Static("", id="welcome-error")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_choices()

    def on_screen_resume(self) -> None:
        self.refresh_choices()

    def refresh_choices(self) -> None:
        """The choices: the database's plans (read in the app's lane: a locked or unreachable
        database never freezes this screen), the samples, new, import."""
        if self.plan_app.store is None:
            self._show_choices([])
        else:
            self.plan_app.read_store(
                lambda store: store.summaries(),
                self._show_choices,
                "Cannot list plans",
                lambda: self._show_choices([]),
            )

    def _show_choices(self, summaries: list[PlanSummary]) -> None:
        if not self.is_mounted:
            return
        app = self.plan_app
        options: list[Option | None] = []
        if summaries:
            for summary in summaries:
                count = sum(summary.counts.values())
                label = Content.assemble(
                    _verb("Open"), plain(summary.name), (f"  · {count} nodes", "dim")
                )
                options.append(Option(label, id=f"plan:{summary.name}"))
        if options:
            options.append(None)
        for path in sample_plan_paths():
            label = Content.assemble(
                _verb("Sample", "bold $text-success"), plain(_sample_title(path))
            )
            options.append(Option(label, id=f"sample:{path}"))
        options.append(None)
        options.append(Option(Content.assemble(_verb("New"), "an empty plan"), id="new"))
        options.append(
            Option(Content.assemble(_verb("Import"), "a plan file (YAML)…"), id="import")
        )
        choices = self.query_one(OptionList)
        choices.set_options(options)
        choices.highlighted = 0
        choices.focus()
        error = app.store_error
        self.query_one("#welcome-error", Static).update(
            plain(f"⚠ {error}", "$text-error") if error else ""
        )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        app = self.plan_app
        if app.store is None and choice != "import":
            app.notify("The database could not be opened", severity="error")
            return
        actions = cast("AlignmentApp", app)  # the welcome screen belongs to that app
        kind, _, value = choice.partition(":")
        if kind == "plan":
            app.load_plan(value)
        elif kind == "sample":
            actions.open_sample(Path(value))
        elif kind == "new":
            actions.action_new_plan()
        elif kind == "import":
            actions.action_import_plan()
