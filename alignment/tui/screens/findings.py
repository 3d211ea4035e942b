"""Findings: what is unaligned, unmeasured or weak, grouped by severity; enter shows it on the map."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from alignment.core.analysis import Severity
from alignment.tui.screens.base import PlanView
from alignment.tui.widgets.charts import SEVERITY_MARKS, SEVERITY_STYLES, kind_icon
from alignment.tui.widgets.layout import hang
from alignment.tui.widgets.text import plain

__all__ = ["FindingsScreen"]

MARK = SEVERITY_MARKS
SHOWN_PER_SEVERITY = 500


class FindingsScreen(PlanView):
    MODE = "findings"
    NEEDS_FINDINGS = True
    BINDINGS = [Binding("enter", "jump", "Show on map", show=True)]

    def body(self) -> ComposeResult:
        yield Static(
            "enter show on map · l link to… · D drop · d delete · e edit",
            id="findings-hint",
        )
        yield OptionList(id="findings-list")

    def rebuild(self) -> None:
        findings_list = self.query_one(OptionList)
        previous = self.selected_node()
        plan = self.plan_app.plan
        width = findings_list.scrollable_content_region.width or self.plan_app.size.width - 3
        self._width = width
        options: list[Option | None] = []
        for severity in Severity:
            group = [f for f in self.plan_app.analysis.findings if f.severity is severity]
            if not group:
                continue
            if options:
                options.append(None)
            options.append(
                Option(
                    Content.styled(
                        f"{MARK[severity]} {severity.heading} ({len(group)})",
                        f"bold {SEVERITY_STYLES[severity]}",
                    ),
                    disabled=True,
                )
            )
            for index, finding in enumerate(group[:SHOWN_PER_SEVERITY]):
                kind = plan.node(finding.node).kind
                lead = Content.assemble(
                    (f" {MARK[severity]} ", SEVERITY_STYLES[severity]), kind_icon(kind)
                )
                lines = hang(lead, plain(finding.title, "bold"), width)
                rule = Content.assemble(
                    (f"{finding.rule}: ", "dim"), plain(finding.message, "italic")
                )
                lines += hang(Content("     "), rule, width)
                options.append(
                    Option(Content("\n").join(lines), id=f"{finding.node}#{finding.rule}#{index}")
                )
            if len(group) > SHOWN_PER_SEVERITY:
                options.append(
                    Option(
                        Content.styled(f"   … {len(group) - SHOWN_PER_SEVERITY} more", "dim"),
                        disabled=True,
                    )
                )
        if not options:
            options.append(
                Option(
                    Content.styled(
                        "No findings: everything serves a goal and is measured.", "$text-success"
                    ),
                    disabled=True,
                )
            )
        findings_list.set_options(options)
        self._restore(previous)
        findings_list.focus()

    def findings_updated(self) -> None:
        """The findings caught up with the edits (made in another view a moment ago)."""
        super().findings_updated()
        self.rebuild()

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self._rewrap)

    def _rewrap(self) -> None:
        """Long titles and messages are wrapped for the list's width: again after a resize."""
        width = self.query_one(OptionList).scrollable_content_region.width
        if width and width != getattr(self, "_width", width) and self.plan_app.session is not None:
            self.rebuild()

    def _restore(self, node_id: str | None) -> None:
        findings_list = self.query_one(OptionList)
        for index in range(findings_list.option_count):
            option = findings_list.get_option_at_index(index)
            if option.id and (node_id is None or option.id.split("#")[0] == node_id):
                findings_list.highlighted = index
                return
        for index in range(findings_list.option_count):
            if not findings_list.get_option_at_index(index).disabled:
                findings_list.highlighted = index
                return

    def selected_node(self) -> str | None:
        findings_list = self.query_one(OptionList)
        option = findings_list.highlighted_option
        if option is None or not option.id:
            return None
        return option.id.split("#")[0]

    @on(OptionList.OptionSelected)
    def action_jump(self) -> None:
        node_id = self.selected_node()
        if node_id is not None:
            self.plan_app.reveal(node_id)
