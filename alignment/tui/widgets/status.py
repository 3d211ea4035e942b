"""The top bar (plan name and views) and the status line (coverage and findings, live).

Both fit their width: the plan name is shortened before a view tab is cut, and the status
line drops words (then the node count) before any number is lost.
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static

from alignment.core.analysis import Coverage, Finding
from alignment.formats.words import plural
from alignment.tui.widgets.layout import fit
from alignment.tui.widgets.text import plain

__all__ = ["PlanFooter", "PlanStatus", "TopBar", "VIEWS"]

VIEWS = (
    ("map", "1 Map"),
    ("findings", "2 Findings"),
    ("initiatives", "3 Initiatives"),
    ("metrics", "4 Metrics"),
    ("forecast", "5 Forecast"),
)


class PlanFooter(Footer):
    """Textual's Footer, rebuilt only when the keys it shows change.

    The stock Footer recomposes at every focus change and screen switch; closing a form
    then cost ~35 ms (compose and layout) for the very same keys. Under a form it waits:
    the keys the form turns off are back when it closes.
    """

    _shown_keys: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            if screen.app.screen is not screen:
                # Under a form: the keys it turns off (typing is text there) are back when
                # it closes; the footer is looked at again then (about 20 ms each way saved).
                return
            if screen.app.app_focus:
                keys = tuple(
                    (binding.key, binding.description, enabled)
                    for _node, binding, enabled, _tooltip in screen.active_bindings.values()
                    if binding.show
                )
                if keys == self._shown_keys and self._bindings_ready:
                    return
                self._shown_keys = keys
        super().bindings_changed(screen)


class TopBar(Static):
    _shown: tuple[str, str] | None = None

    def show(self, plan_name: str, current: str) -> None:
        self._shown = (plan_name, current)
        tabs: list[Content] = []
        for mode, label in VIEWS:
            style = "reverse bold $primary" if mode == current else "dim"
            # A click on a tab opens its view (our own labels: markup is safe here).
            tab = Content.from_markup(f"[@click=app.view('{mode}')] {label} [/]")
            tabs.append(Content.assemble(" ", tab.stylize(style)))
        views = Content.assemble(*tabs)
        width = self.size.width or 80
        room = max(8, width - views.cell_length - 2)
        name = fit(plain(plan_name, "bold $text-primary"), room)
        self.update(Content.assemble(" ", name, " ", views))

    def on_resize(self, event: Resize) -> None:
        if self._shown is not None:
            self.show(*self._shown)


class PlanStatus(Static):
    _shown: tuple[Coverage, list[Finding] | None, int] | None = None

    def show(self, coverage: Coverage, findings: list[Finding] | None, nodes: int) -> None:
        """``findings`` None: not computed yet (a plan just opened), said so."""
        self._shown = (coverage, findings, nodes)
        counts: dict[str, int] | None = None
        if findings is not None:
            counts = {"error": 0, "warning": 0, "info": 0}
            for finding in findings:
                counts[finding.severity] += 1
        width = max(0, (self.size.width or 80) - 2)  # its padding
        for words, gap in ((True, "  "), (True, " "), (False, " ")):
            line = _status_line(coverage, counts, nodes, words, gap)
            if line.cell_length <= width:
                break
        self.update(fit(line, width))

    def on_resize(self, event: Resize) -> None:
        if self._shown is not None:
            self.show(*self._shown)


def _status_line(
    coverage: Coverage, counts: dict[str, int] | None, nodes: int, words: bool, gap: str
) -> Content:
    """``Aligned 82%  Measured 73%  │  ✖ 2 errors …``; narrower gaps, then no words, to fit.

    The gaps sit at the end of the previous piece, so every renderer keeps them.
    """
    bar = f"{gap}│{gap}"

    def count(mark: str, n: int, word: str, style: str) -> tuple[str, str]:
        text = f"{mark} {plural(n, word)}" if words else f"{mark} {n}"
        return (text + gap, style if n else "dim")

    if coverage.aligned_pct is None or coverage.measured_pct is None:
        covered: list[tuple[str, str]] = [("no live initiatives yet", "dim")]
    else:
        covered = [
            ("Aligned ", "dim"),
            (f"{coverage.aligned_pct:.0f}%{gap}", "bold"),
            ("Measured ", "dim"),
            (f"{coverage.measured_pct:.0f}%", "bold"),
        ]
    if counts is None:  # a plan just opened: its findings are on their way
        found = [("checking…" + gap, "dim italic")]
    else:
        found = [
            count("✖", counts["error"], "error", "$text-error"),
            count("⚠", counts["warning"], "warning", "$text-warning"),
            ("ℹ " + (plural(counts["info"], "info") if words else str(counts["info"])), "dim"),
        ]
    return Content.assemble(
        *covered, (bar, "dim"), *found, (bar, "dim"), (plural(nodes, "node"), "dim")
    )
