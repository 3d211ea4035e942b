"""Every user action in one table: the key bindings, the command palette and the help screen."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider

__all__ = ["ACTIONS", "OPENS_INPUT", "Action", "AlignmentCommands", "app_bindings"]


@dataclass(frozen=True, slots=True)
class Action:
    keys: str  # Textual key names, comma separated; the first is shown
    action: str
    label: str
    help: str
    group: str
    footer: bool = False
    # Opens a form or picker that the next keys are typed into: handled as soon as it
    # arrives (a priority binding), not after the keys queued behind it (a paste, a macro).
    opens_input: bool = False


ACTIONS: tuple[Action, ...] = (
    Action("a", "add", "Add", "Add a node that supports the selection", "Edit", True, True),
    Action("e", "edit", "Edit", "Edit the selected node in a form", "Edit", True, True),
    Action("l", "link", "Link", "Link the selection to a parent it supports", "Edit", True, True),
    Action(
        "colon",
        "quick_add",
        "Quick add",
        "Add nodes one line each: [kind] title [unit] [52 -> 40] [by DATE] [under ids]",
        "Edit",
        True,
        True,
    ),
    Action("b", "add_sibling", "Sibling", "Add a node next to the selection", "Edit", True, True),
    Action(
        "L",
        "link_numbers",
        "Link numbers",
        "Edit the expected effect and confidence of the selection's links",
        "Edit",
        opens_input=True,
    ),
    Action(
        "H",
        "history",
        "History",
        "An indicator's check-ins: correct or delete one",
        "Edit",
        opens_input=True,
    ),
    Action("x", "unlink", "Unlink", "Remove one of the selection's links to a parent", "Edit"),
    Action("d,delete", "delete", "Delete", "Delete the selection (asks first)", "Edit", True),
    Action("s", "status", "Status", "Change an initiative's status", "Edit"),
    Action("D", "drop", "Drop", "Mark an initiative as dropped", "Edit"),
    Action("c", "checkin", "Check-in", "Record a value on a date", "Edit", opens_input=True),
    Action("u,ctrl+z", "undo", "Undo", "Undo the last edit (survives restarts)", "Edit", True),
    Action("r,ctrl+y", "redo", "Redo", "Redo what was undone", "Edit"),
    Action("slash", "search", "Search", "Jump to a node by title or id", "Go", True, True),
    Action("1", "view('map')", "Map", "The alignment map: goals and what supports them", "Go"),
    Action("2", "view('findings')", "Findings", "What is unaligned, unmeasured or weak", "Go"),
    Action("3", "view('initiatives')", "Initiatives", "All initiatives in a table", "Go"),
    Action("4", "view('metrics')", "Metrics", "All indicators with progress", "Go"),
    Action(
        "5",
        "view('forecast')",
        "Forecast",
        "What if: toggle initiatives and see goals, strategies and indicators follow",
        "Go",
    ),
    Action("o", "switch_plan", "Open plan", "Switch to another plan in the database", "Plan"),
    Action("n", "new_plan", "New plan", "Create an empty plan", "Plan"),
    Action("P", "edit_plan", "Plan details", "Rename the plan or edit its description", "Plan"),
    Action("i", "import_plan", "Import", "Import a plan file (YAML)", "Plan"),
    Action("w", "export_plan", "Export", "Export to YAML, Markdown, JSON, Mermaid or DOT", "Plan"),
    Action("t", "toggle_theme", "Light/dark", "Switch between the light and dark theme", "App"),
    Action("question_mark", "help", "Help", "Show every key", "App", True),
    Action("q", "quit", "Quit", "Quit (everything is already saved)", "App", True),
)

OPENS_INPUT = frozenset(item.action for item in ACTIONS if item.opens_input)
KEY_NAMES = {"colon": ":", "slash": "/", "question_mark": "?", "delete": "Del"}


def shown_keys(action: Action) -> str:
    return " ".join(KEY_NAMES.get(key, key) for key in action.keys.split(","))


# The footer shows its keys in this order and cuts what does not fit: at 80 columns the
# first six fit, so Help (every key) and Quit come right after the four drafting keys.
FOOTER_FIRST = ("add", "edit", "link", "quick_add", "help", "quit")


def app_bindings() -> list[BindingType]:
    def place(item: Action) -> int:
        return FOOTER_FIRST.index(item.action) if item.action in FOOTER_FIRST else len(ACTIONS)

    return [
        Binding(
            item.keys,
            item.action,
            item.label,
            show=item.footer,
            tooltip=item.help,
            key_display=KEY_NAMES.get(item.keys.split(",")[0]),
            priority=item.opens_input,
        )
        for item in sorted(ACTIONS, key=place)  # stable: the rest keep the table's order
    ]


def _with_keys(item: Action) -> str:
    """The palette teaches the keys: "Add a node that supports the selection  (a)"."""
    return f"{item.help}  ({shown_keys(item)})"


class AlignmentCommands(Provider):
    """One palette entry per action, named by its label and help text."""

    def _available(self) -> list[Action]:
        app = self.app
        return [
            item for item in ACTIONS if app.check_action(item.action.split("(")[0], ()) is not False
        ]

    async def discover(self) -> Hits:
        for item in self._available():
            yield DiscoveryHit(
                item.label, partial(self.app.run_action, item.action), help=_with_keys(item)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for item in self._available():
            score = matcher.match(f"{item.label} {item.help}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(item.label),
                    partial(self.app.run_action, item.action),
                    help=_with_keys(item),
                )
