"""`alignment` with no command opens the TUI, on the --db and --plan given to the main group."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import alignment.tui.app
from alignment.cli import main

from .conftest import UNIT_ECONOMICS, make_db


class FakeApp:
    store = None  # never opened
    return_code: int | None = 0

    def __init__(self, calls: list[tuple[str | None, str | None]], db, plan) -> None:  # type: ignore[no-untyped-def]
        calls.append((db, plan))

    def run(self) -> None:
        pass


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, str | None]]:
    """The (db, plan) of every app the CLI made (none is run)."""
    calls: list[tuple[str | None, str | None]] = []
    monkeypatch.setattr(
        alignment.tui.app,
        "make_app",
        lambda db=None, plan=None, **_options: FakeApp(calls, db, plan),
    )
    return calls


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--db", "X.db"], ("X.db", None)),
        (["--db", "X.db", "--plan", "Grow"], ("X.db", "Grow")),
        ([], (None, None)),
        (["tui", "--db", "Y.db"], ("Y.db", None)),
    ],
)
def test_no_command_opens_the_tui_on_the_given_database(
    opened: list[tuple[str | None, str | None]], args: list[str], expected: tuple
) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert opened == [expected]


def test_main_group_db_reaches_a_subcommand(tmp_path, opened) -> None:  # type: ignore[no-untyped-def]
    db = make_db(tmp_path / "plans.db", UNIT_ECONOMICS)
    result = CliRunner().invoke(main, ["--db", db, "plans"])
    assert result.exit_code == 0, result.output
    assert "Break even on unit economics" in result.output
    assert opened == []


def test_a_crashed_app_exits_non_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    class Crashed(FakeApp):
        return_code = 1  # what Textual sets when the app ended on an exception

    calls: list[tuple[str | None, str | None]] = []
    monkeypatch.setattr(
        alignment.tui.app, "make_app", lambda db=None, plan=None, **_: Crashed(calls, db, plan)
    )
    result = CliRunner().invoke(main, ["--db", "X.db"])
    assert result.exit_code == 1
