"""The top bar (plan name and views) and the status line (coverage and findings, live)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from alignment.core.analysis import Coverage, Finding

__all__ = ["PlanStatus", "TopBar", "VIEWS"]

VIEWS = (
    ("map", "1 Map"),
    ("findings", "2 Findings"),
    ("initiatives", "3 Initiatives"),
    ("metrics", "4 Metrics"),
)


class TopBar(Static):
    def show(self, plan_name: str, current: str) -> None:
        parts: list[Content | tuple[str, str] | str] = [(f" {plan_name} ", "bold $text-primary")]
        for mode, label in VIEWS:
            style = "reverse bold $primary" if mode == current else "dim"
            parts.append(" ")
            parts.append((f" {label} ", style))
        self.update(Content.assemble(*parts))


class PlanStatus(Static):
    def show(self, coverage: Coverage, findings: list[Finding], nodes: int) -> None:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in findings:
            counts[finding.severity] += 1
        self.update(
            Content.assemble(
                ("Aligned ", "dim"),
                (f"{coverage.aligned_pct:.0f}%", "bold"),
                ("  Measured ", "dim"),
                (f"{coverage.measured_pct:.0f}%", "bold"),
                ("  │  ", "dim"),
                (f"✖ {counts['error']} errors", "$error" if counts["error"] else "dim"),
                "  ",
                (f"⚠ {counts['warning']} warnings", "$warning" if counts["warning"] else "dim"),
                "  ",
                (f"ℹ {counts['info']} info", "dim"),
                ("  │  ", "dim"),
                (f"{nodes} nodes", "dim"),
            )
        )
