"""The headless layers never import the TUI; `alignment check FILE` needs no database layer either.

Keeps command-line start-up fast and the core usable without a terminal UI (STYLE.md).
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from click.testing import CliRunner
import alignment.cli, alignment.core, alignment.store, alignment.formats.plan_file
import alignment.formats.quick_add, alignment.formats.outline, alignment.formats.numbers
headless = "textual" not in sys.modules
result = CliRunner().invoke(alignment.cli.main, ["check", sys.argv[1]])
print(json.dumps({"exit": result.exit_code, "textual": sorted(m for m in sys.modules
                  if m.split(".")[0] == "textual"), "headless_imports": headless}))
"""

CHECK_ONLY = """
import json, sys
from alignment.cli import main
try:
    main(["check", sys.argv[1]])
except SystemExit as done:
    code = done.code
loaded = {top for top in ("textual", "sqlmodel", "sqlalchemy") if top in sys.modules}
print(json.dumps({"exit": code, "loaded": sorted(loaded)}), file=sys.stderr)
"""


def probe(script: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(
        (result.stdout if script is PROBE else result.stderr).strip().splitlines()[-1]
    )


def test_headless_modules_and_check_never_import_textual(samples):
    report = probe(PROBE, str(samples["unit-economics"]))
    assert report["headless_imports"], "importing cli/core/store/plan_file loaded textual"
    assert report["exit"] == 1
    assert report["textual"] == []


def test_check_of_a_file_loads_no_database_layer(samples):
    report = probe(CHECK_ONLY, str(samples["unit-economics"]))
    assert report == {"exit": 1, "loaded": []}
