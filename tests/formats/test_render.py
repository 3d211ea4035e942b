"""The real render check: every exported diagram renders with Mermaid in headless Chromium.

Each Mermaid diagram of each export (the standalone ``.mmd`` and every block of the Markdown
map) goes through ``tests/render/render.mjs``: the real ``mermaid`` package from npm, driven in
Debian's ``chromium`` by ``playwright-core`` with a fresh profile and no network. Any parse or
render error fails the test. Set-up and skipping rules: ``tests/formats/README.md``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from alignment.formats.markdown import plan_to_markdown
from alignment.formats.mermaid import plan_to_mermaid

RENDER = Path(__file__).resolve().parents[1] / "render"
PLANS = ["unit-economics", "streaming-subscriptions", "demo", "hostile", "large"]


def _missing() -> str | None:
    """Why the render check cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    for package in ("mermaid", "playwright-core"):
        if not (RENDER / "node_modules" / package / "package.json").exists():
            return f"npm package {package} is missing (npm ci --prefix tests/render)"
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return f"Chromium is not at {chromium} (apt-get install chromium, or set CHROMIUM)"
    return None


def _mermaid_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```$", markdown, flags=re.M | re.S)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, named_plan, plans) -> dict[str, dict]:
    """Render every diagram once (one browser for all of them): name -> result."""
    reason = _missing()
    if reason is not None:
        if os.environ.get("ALIGNMENT_REQUIRE_RENDER") == "1":
            pytest.fail(f"render check required but cannot run: {reason}")
        pytest.skip(f"render check skipped: {reason}")
    diagrams = []
    for name in PLANS:
        plan = named_plan(name)
        diagrams.append({"name": f"{name}.mmd", "code": plan_to_mermaid(plan)})
        blocks = _mermaid_blocks(plan_to_markdown(plan, plans.as_of))
        assert blocks, name
        diagrams += [{"name": f"{name}.md#{i}", "code": code} for i, code in enumerate(blocks)]
    work = tmp_path_factory.mktemp("render")
    source, target = work / "diagrams.json", work / "rendered.json"
    source.write_text(json.dumps(diagrams), encoding="utf-8")
    result = subprocess.run(
        ["node", str(RENDER / "render.mjs"), str(source), str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode == 2 or not target.exists():
        pytest.fail(f"the renderer could not run (exit {result.returncode}): {result.stderr}")
    results = json.loads(target.read_text(encoding="utf-8"))
    return {entry["name"]: entry for entry in results}


def test_every_diagram_renders(rendered):
    failures = {name: result.get("error") for name, result in rendered.items() if not result["ok"]}
    assert failures == {}
    assert len(rendered) >= len(PLANS) * 2


def test_rendered_labels_show_the_hostile_titles_as_text(rendered, plans):
    result = rendered["hostile.mmd"]
    # The word joiner (U+2060) that keeps "$$" from starting KaTeX math is invisible.
    first_lines = [label.split("\n")[0].replace("\u2060", "") for label in result["labels"]]
    for title in plans.hostile_titles:
        assert " ".join(title.split()) in first_lines, title
    assert result["unexpectedTags"] == []  # no <b>, <script>... made it into the SVG


def test_rendered_diagrams_draw_every_node_and_link(rendered, named_plan):
    for name in PLANS:
        plan = named_plan(name)
        result = rendered[f"{name}.mmd"]
        assert len(result["labels"]) == len(plan)
        assert result["edges"] == plan.graph.number_of_edges()
