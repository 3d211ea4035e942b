"""The help screen: every key, grouped, from the same table as the bindings and the palette."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from alignment.tui.commands import ACTIONS, shown_keys

__all__ = ["HelpScreen"]

ABOUT = (
    "Goals ◎ are served by strategies ◆, measured by indicators ▲\n"
    "and moved by initiatives ●.\n"
    "Every edit is saved at once; u undoes it, even after a restart."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        lines: list[Content] = [
            Content.styled("Keys", "bold $text-accent"),
            Content(ABOUT),
            Content(""),
        ]
        group = None
        for item in ACTIONS:
            if item.group != group:
                group = item.group
                lines.append(Content.styled(group, "bold underline"))
            lines.append(
                Content.assemble(
                    (f"  {shown_keys(item):<10}", "bold $text-primary"),
                    f"{item.label:<13}",
                    (item.help, "dim"),
                )
            )
        lines.append(Content.styled("Everywhere", "bold underline"))
        lines.append(
            Content.assemble(
                ("  ctrl+p    ", "bold $text-primary"),
                "Commands     ",
                ("every action by name, themes too", "dim"),
            )
        )
        lines.append(
            Content.assemble(
                ("  tab       ", "bold $text-primary"),
                "Focus        ",
                ("move between panes and fields", "dim"),
            )
        )
        with VerticalScroll(classes="modal help"):
            yield Static(Content("\n").join(lines))
            yield Static("esc close", classes="modal-hint")

    def action_close(self) -> None:
        self.dismiss(None)
