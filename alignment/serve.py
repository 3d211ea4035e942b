"""``alignment serve``: the terminal UI in a web browser, through textual-serve.

textual-serve starts one app process per browser connection, from a shell command line. This
module builds that command line (``python -m alignment tui --db ... --plan ... --author ...``)
and runs the server, with the guards textual-serve leaves to its users:

- the database is passed as a path or URL on the command line, except a URL with a password,
  which goes through the environment (a command line is visible to every local user);
- the page and the log never show the command line, only the plan's name;
- a browser connection is accepted only from a page of this server: the Origin of the
  WebSocket must be the Host the page was loaded from, and a server bound to this machine
  only answers to this machine's names (no other web site, even one that resolves its
  name to 127.0.0.1, can drive the app from a visitor's browser). Behind a reverse proxy
  (``--public-url``) the Origin must be the public address instead.

textual and textual-serve are imported only when serving.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from alignment.core.model import PlanError
from alignment.store.session import check_author

__all__ = [
    "AppCommand",
    "address",
    "allowed_connection",
    "app_command",
    "ask_author",
    "check_author",
    "check_public_url",
    "exposure_warning",
    "is_local",
    "serve",
]


def ask_author(answer: str) -> str:
    """``check_author`` for a prompt: a bad answer is asked again (click.BadParameter)."""
    import click

    try:
        return check_author(answer)
    except PlanError as error:
        raise click.BadParameter(str(error)) from None


def is_local(host: str) -> bool:
    """Is ``host`` (a name or an address) reachable from this machine only?"""
    host = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass(frozen=True, slots=True)
class AppCommand:
    """What textual-serve runs for each browser: a shell command line and its environment."""

    line: str
    environment: dict[str, str]


def app_command(
    db_url: str,
    plan: str,
    *,
    author: str | None,
    read_only: bool = False,
    python: str = sys.executable,
) -> AppCommand:
    """The command that runs the app on plan ``plan`` of database ``db_url`` for one browser.

    Every argument is quoted for the shell textual-serve starts it with; a database URL with
    a password is passed as ``ALIGNMENT_DB`` instead of ``--db``.
    """
    if author is not None:
        author = check_author(author)
    argv = [python, "-m", "alignment", "tui"]
    environment: dict[str, str] = {}
    if _has_password(db_url):
        environment["ALIGNMENT_DB"] = db_url
    else:
        argv += ["--db", db_url]
    argv += ["--plan", plan]
    if read_only:
        argv.append("--read-only")
    if author is not None:
        argv += ["--author", author]
    return AppCommand(shlex.join(argv), environment)


def _has_password(db_url: str) -> bool:
    if "://" not in db_url:
        return False
    from sqlalchemy.engine import make_url

    return make_url(db_url).password is not None


def allowed_connection(
    host: str,
    port: int,
    request_host: str | None,
    origin: str | None,
    public_url: str | None = None,
) -> bool:
    """May a WebSocket with these Host and Origin headers drive the app?

    The Origin (sent by every browser) must name the same host and port as the Host header;
    a server bound to this machine accepts only this machine's names in the Host header.
    Behind a reverse proxy (``public_url``) the Origin must be the public address.
    """
    if public_url is not None:
        return origin is None or same_site(origin, public_url)
    if not request_host:
        return False
    if origin is not None and urlsplit(origin).netloc.lower() != request_host.lower():
        return False
    if is_local(host):
        name = urlsplit(f"//{request_host}").hostname or ""
        request_port = urlsplit(f"//{request_host}").port
        return is_local(name) and request_port == port
    return True


def same_site(origin: str, url: str) -> bool:
    """Do the Origin header ``origin`` and the address ``url`` name the same scheme and host?"""
    a, b = urlsplit(origin), urlsplit(url)
    return (a.scheme.lower(), a.netloc.lower()) == (b.scheme.lower(), b.netloc.lower())


def check_public_url(url: str) -> str:
    """An http(s) address without a path: what people open when a proxy is in front."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise PlanError(f"--public-url must be like https://plans.example.com, not {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def exposure_warning(host: str, port: int, plan: str, read_only: bool) -> str | None:
    """What to tell the person serving on an address other machines may reach."""
    if is_local(host):
        return None
    can = "read" if read_only else "edit"
    return (
        f"anyone who can reach port {port} on {host} can {can} {plan!r}: "
        "there is no login and no encryption"
    )


def address(host: str, port: int) -> str:
    """The URL to open for a server bound to ``host``:``port``."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve(
    command: AppCommand,
    host: str,
    port: int,
    plan: str,
    read_only: bool,
    public_url: str | None = None,
) -> None:
    """Serve ``command`` on ``host``:``port`` until Ctrl+C or SIGTERM; ``public_url`` is the
    address people open when a reverse proxy is in front.

    OSError when the address cannot be bound (in use, not an address of this machine).
    """
    mode = "read-only" if read_only else "editable"
    where = address(host, port) + (f" (opened as {public_url})" if public_url else "")
    announce = f"alignment: serving {plan!r} ({mode}) on {where}; Ctrl+C stops"
    from aiohttp import web
    from textual_serve.server import Server

    class AppServer(Server):
        async def on_startup(self, app: web.Application) -> None:
            self.console.print(announce, markup=False, highlight=False, soft_wrap=True)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if public_url is None:
                if not allowed_connection(host, port, request.host, None):
                    raise web.HTTPForbidden(text="alignment serve: unknown host name")
                # The page connects back to the address the browser used (textual-serve
                # would name the bound address, which is no address at all for 0.0.0.0).
                self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)  # type: ignore[no-any-return]

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            origin = request.headers.get("Origin")
            if not allowed_connection(host, port, request.host, origin, public_url):
                raise web.HTTPForbidden(text="alignment serve: connection from another site")
            return await super().handle_websocket(request)

    os.environ.update(command.environment)  # textual-serve passes its environment on
    title = f"alignment: {plan}"
    AppServer(command.line, host, port, title=title, public_url=public_url).serve()
