"""Findings: what is unaligned, unmeasured or weak, grouped by severity; enter shows it on the map."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from alignment.core.analysis import Severity
from alignment.tui.screens.base import PlanView
from alignment.tui.widgets.charts import KIND_ICONS

__all__ = ["FindingsScreen"]

MARK = {Severity.ERROR: "✖", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}
HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}
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
        plan = self.app.plan  # type: ignore[attr-defined]
        options: list[Option | None] = []
        for severity in Severity:
            group = [f for f in self.app.analysis.findings if f.severity is severity]  # type: ignore[attr-defined]
            if not group:
                continue
            if options:
                options.append(None)
            options.append(
                Option(
                    Content.styled(
                        f"{MARK[severity]} {HEADINGS[severity]} ({len(group)})", f"bold ${severity}"
                    ),
                    disabled=True,
                )
            )
            for index, finding in enumerate(group[:SHOWN_PER_SEVERITY]):
                kind = plan.node(finding.node).kind
                options.append(
                    Option(
                        Content.assemble(
                            (f" {MARK[severity]} ", f"${severity}"),
                            (f"{KIND_ICONS[kind]} ", "dim"),
                            (finding.title, "bold"),
                            "\n     ",
                            (f"{finding.rule}: ", "dim"),
                            (finding.message, "italic"),
                        ),
                        id=f"{finding.node}#{finding.rule}#{index}",
                    )
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
                        "No findings: everything serves a goal and is measured.", "$success"
                    ),
                    disabled=True,
                )
            )
        findings_list.set_options(options)
        self._restore(previous)
        findings_list.focus()

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
            self.app.reveal(node_id)  # type: ignore[attr-defined]
