"""`alignment serve` without a browser: the command line it runs, its defaults and its guards."""

from __future__ import annotations

import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment import serve as web
from alignment.cli import main
from alignment.core.model import PlanError

SAMPLE = Path(__file__).resolve().parents[2] / "sample_plans" / "unit-economics.yaml"
PLAN = "Break even on unit economics"


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "plans.db")
    result = CliRunner().invoke(main, ["import", str(SAMPLE), "--db", path])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Calls of alignment.serve.serve, instead of serving."""
    calls: list[tuple] = []
    monkeypatch.setattr(web, "serve", lambda *args: calls.append(args))
    return calls


# -- the command line textual-serve runs for each browser --------------------------------------


def test_the_command_runs_the_tui_on_the_plan_with_the_author():
    command = web.app_command("sqlite:////data/p.db", PLAN, author="Ada", python="/usr/bin/py")
    assert shlex.split(command.line) == [
        "/usr/bin/py", "-m", "alignment", "tui",
        "--db", "sqlite:////data/p.db", "--plan", PLAN, "--author", "Ada",
    ]  # fmt: skip
    assert command.environment == {}


def test_read_only_adds_the_switch_and_needs_no_author():
    command = web.app_command("sqlite:////p.db", PLAN, author=None, read_only=True)
    argv = shlex.split(command.line)
    assert "--read-only" in argv and "--author" not in argv


def test_the_shell_receives_every_argument_exactly(tmp_path: Path):
    """textual-serve runs the line with /bin/sh: quotes, $(...) and ; stay text."""
    echo = tmp_path / "echo-argv"
    echo.write_text(
        f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -c "
        "'import json, sys; print(json.dumps(sys.argv[1:]))' \"$@\"\n"
    )
    echo.chmod(0o755)
    author = 'O\'Brien "Bob" $(touch pwned); `id` & \\'
    plan = "Plan; rm -rf / #"
    db_path = str(tmp_path / "my plans $HOME.db")
    command = web.app_command(db_path, plan, author=author, python=str(echo))
    out = subprocess.run(
        ["/bin/sh", "-c", command.line], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [
        "-m", "alignment", "tui", "--db", db_path, "--plan", plan, "--author", author,
    ]  # fmt: skip
    assert not (tmp_path / "pwned").exists()


def test_a_database_password_goes_through_the_environment_not_the_command_line():
    url = "postgresql+psycopg://team:s3cret@db.example/plans"
    command = web.app_command(url, PLAN, author="Ada")
    assert "s3cret" not in command.line and "--db" not in shlex.split(command.line)
    assert command.environment == {"ALIGNMENT_DB": url}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("Ada\nroot", "one line"),
        ("Ada\x1b[31m", "control characters"),
        ("Ada\u202eevil", "control characters"),
        ("x" * 81, "longer than 80"),
    ],
)
def test_an_author_name_must_be_one_plain_line(name, problem):
    with pytest.raises(PlanError, match=problem):
        web.check_author(name)


def test_an_author_name_is_trimmed():
    assert web.check_author("  Ada Lovelace ") == "Ada Lovelace"


def test_an_author_name_may_need_a_zero_width_joiner():
    assert web.check_author("Mehr\u200cdad") == "Mehr\u200cdad"  # Persian names use ZWNJ


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("127.example.com", False),
    ],
)
def test_which_hosts_are_this_machine_only(host, local):
    assert web.is_local(host) is local


@pytest.mark.parametrize(
    ("bound", "host_header", "origin", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", "http://127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", "http://localhost:8000", True),
        ("127.0.0.1", "127.0.0.1:8000", None, True),  # not a browser
        ("127.0.0.1", "127.0.0.1:8000", "http://evil.example", False),  # another site
        ("127.0.0.1", "127.0.0.1:8000", "null", False),  # a sandboxed frame or a file
        ("127.0.0.1", "evil.example:8000", "http://evil.example:8000", False),  # rebinding
        ("127.0.0.1", "127.0.0.1:9999", "http://127.0.0.1:9999", False),  # another port
        ("127.0.0.1", None, None, False),
        ("0.0.0.0", "plans.example:8000", "http://plans.example:8000", True),
        ("0.0.0.0", "plans.example:8000", "http://evil.example", False),
    ],
)
def test_which_browser_connections_may_drive_the_app(bound, host_header, origin, allowed):
    assert web.allowed_connection(bound, 8000, host_header, origin) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://plans.example.com", True),
        ("https://PLANS.example.com", True),
        (None, True),  # not a browser
        ("http://plans.example.com", False),  # not the scheme people use
        ("http://127.0.0.1:8000", False),  # behind a proxy, the page is the public one
        ("https://evil.example", False),
    ],
)
def test_behind_a_proxy_only_the_public_address_may_connect(origin, allowed):
    public = "https://plans.example.com"
    assert web.allowed_connection("127.0.0.1", 8000, "127.0.0.1:8000", origin, public) is allowed


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://plans.example.com", "https://plans.example.com"),
        ("http://10.0.0.5:8080/", "http://10.0.0.5:8080"),
        ("plans.example.com", None),
        ("ftp://plans.example.com", None),
        ("https://plans.example.com/alignment", None),  # textual-serve serves from the root
        ("https://", None),
    ],
)
def test_a_public_url_is_an_http_address_of_a_site(url, expected):
    if expected is None:
        with pytest.raises(PlanError, match="--public-url must be like"):
            web.check_public_url(url)
    else:
        assert web.check_public_url(url) == expected


# -- the CLI ---------------------------------------------------------------------------------


def test_serve_listens_on_this_machine_only_by_default(db, recorded):
    result = CliRunner().invoke(main, ["serve", "--db", db, "--author", "Ada"])
    assert result.exit_code == 0, result.output
    [(command, host, port, plan, read_only, public_url)] = recorded
    assert (host, port, plan, read_only, public_url) == ("127.0.0.1", 8000, PLAN, False, None)
    assert shlex.split(command.line)[-2:] == ["--author", "Ada"]
    assert "warning" not in result.stderr


def test_serve_on_another_address_warns_that_anyone_can_edit(db, recorded):
    result = CliRunner().invoke(main, ["serve", "--db", db, "--author", "Ada", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert recorded[0][1] == "0.0.0.0"
    assert "anyone who can reach port 8000 on 0.0.0.0 can edit" in result.stderr


def test_serve_read_only_warns_that_anyone_can_read(db, recorded):
    result = CliRunner().invoke(main, ["serve", "--db", db, "--read-only", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "can read" in result.stderr
    assert "--read-only" in shlex.split(recorded[0][0].line)


def test_serve_without_an_author_and_no_terminal_to_ask_refuses_to_start(db, recorded):
    result = CliRunner().invoke(main, ["serve", "--db", db])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "alignment: give --author NAME: edits made in the browser are by that name"
    )
    assert recorded == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--plan", "Nope", "--author", "Ada"], "no plan named 'Nope'"),
        (["--author", "Ada\x1b[2J"], "control characters"),
        (["--author", "Ada", "--port", "0"], "0 is not in the range"),
        (["--author", "Ada", "--public-url", "plans.example.com"], "--public-url must be like"),
    ],
)
def test_serve_refuses_bad_input_in_one_line(db, recorded, options, message):
    result = CliRunner().invoke(main, ["serve", "--db", db, *options])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert recorded == []


def test_serve_refuses_a_database_that_does_not_exist(tmp_path, recorded):
    missing = tmp_path / "missing.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(missing), "--author", "Ada"])
    assert result.exit_code == 2 and recorded == []
    assert not missing.exists()


def test_tui_refuses_a_bad_author_before_opening(db):
    result = CliRunner().invoke(main, ["tui", "--db", db, "--author", " "])
    assert result.exit_code == 2
    assert result.stderr.strip() == "alignment: the author name must not be empty"


# -- a real server, without a browser ----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "ALIGNMENT_DB"}


def test_the_server_asks_for_the_author_on_a_terminal_and_reports_a_busy_port(db, tmp_path):
    """On a terminal a missing --author is asked (again after a blank answer); a port in use
    is one line and exit 2."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        primary, secondary = os.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "alignment", "serve", "--db", db, "--port", str(port)],
            stdin=secondary,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(),
        )
        os.close(secondary)
        try:
            os.write(primary, b"   \nAda Lovelace\n")
            out, err = process.communicate(timeout=60)
        finally:
            os.close(primary)
    prompts = out.decode().count("Author of edits made in the browser:")
    assert prompts == 2, out
    assert "the author name must not be empty" in out.decode()
    assert process.returncode == 2
    assert err.decode().strip().startswith(f"alignment: cannot listen on 127.0.0.1:{port}:")


UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


@contextmanager
def live_server(db: str, cwd: Path, *options: str) -> Iterator[tuple[int, list[str]]]:
    """A served read-only plan: its port, and (once stopped) its output in the list."""
    port = _free_port()
    command = [sys.executable, "-m", "alignment", "serve", "--db", db, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--read-only", *options],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_environment(),
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        yield port, output
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=15)
        output.append(out.decode())
    assert process.returncode == 0, output


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode() if response.status == 200 else ""
    finally:
        connection.close()


def test_the_server_refuses_pages_and_connections_of_other_sites(db, tmp_path):
    with live_server(db, tmp_path) as (port, output):
        here = f"127.0.0.1:{port}"
        status, page = _get(port, "/", {"Host": here})
        assert status == 200 and f"ws://{here}/ws" in page
        assert f"<div>alignment: {PLAN}</div>" in page  # the plan's name, not the command line
        status, page = _get(port, "/", {"Host": f"localhost:{port}"})
        assert status == 200 and f"ws://localhost:{port}/ws" in page  # back where it came from
        assert _get(port, "/", {"Host": f"evil.example:{port}"})[0] == 403
        assert (
            _get(port, "/ws", {**UPGRADE, "Host": here, "Origin": "http://evil.example"})[0] == 403
        )
        rebound = {
            **UPGRADE,
            "Host": f"evil.example:{port}",
            "Origin": f"http://evil.example:{port}",
        }
        assert _get(port, "/ws", rebound)[0] == 403
        assert _get(port, "/ws", {**UPGRADE, "Host": here, "Origin": f"http://{here}"})[0] == 101
    text = output[0]
    assert f"alignment: serving '{PLAN}' (read-only) on http://{here}; Ctrl+C stops" in text
    assert "tui --db" not in text  # the log names the plan, not the command line


def test_behind_a_proxy_the_page_connects_to_the_public_address(db, tmp_path):
    public = "https://plans.example.com"
    with live_server(db, tmp_path, "--public-url", public) as (port, output):
        proxied = {"Host": f"127.0.0.1:{port}"}  # what a proxy passes on by default
        status, page = _get(port, "/", proxied)
        assert status == 200 and "wss://plans.example.com/ws" in page
        assert _get(port, "/ws", {**UPGRADE, **proxied, "Origin": public})[0] == 101
        assert _get(port, "/ws", {**UPGRADE, **proxied, "Origin": "https://evil.example"})[0] == 403
    assert f"(opened as {public})" in output[0]
