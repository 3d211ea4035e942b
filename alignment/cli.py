"""The command line: a thin layer that opens, calls and reports.

Heavy imports (textual, sqlmodel) happen inside the commands that need them, so
`alignment check plan.yaml` starts fast and never loads the TUI or the database layer.
"""

from __future__ import annotations

import functools
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from alignment.bulk import gc_paused
from alignment.core.model import Kind, PlanError
from alignment.formats.escape import json_text, printable
from alignment.formats.words import plural

if TYPE_CHECKING:
    from alignment.store import Store

EXIT_FINDINGS = 1
EXIT_INVALID = 2
# A bug of ours (EX_SOFTWARE in sysexits.h): never 1, which a CI gate reads as error findings.
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
# One line on stderr, however long the input it echoes (a message names what, not all of it).
MAX_MESSAGE = 1000
# Kept in step with alignment.formats.export.EXPORT_FORMATS (a test checks), so that --help
# does not import the export modules.
EXPORT_FORMATS = ("yaml", "markdown", "json", "mermaid", "dot", "brief")
DIFF_FORMATS = ("text", "json", "markdown")  # = alignment.formats.diff_report.DIFF_FORMATS


class _Count(click.IntRange):
    """A count of 1 or more; its help says so, not the 64-bit limit the database sets."""

    def _describe_range(self) -> str:
        return "x>=1, at most 2**63-1"


class InvalidInput(click.ClickException):
    """Bad usage or invalid input: one line on stderr, exit status 2."""

    exit_code = EXIT_INVALID

    def show(self, file: Any = None) -> None:
        click.echo(f"alignment: {one_line(self.format_message())}", err=True)


class InternalError(InvalidInput):
    """A bug in alignment, not in the input: one line, no traceback, exit status 70."""

    exit_code = EXIT_INTERNAL


class Interrupted(InvalidInput):
    exit_code = EXIT_INTERRUPTED


def one_line(message: str) -> str:
    """A message as one printable line of bounded length."""
    if len(message) > MAX_MESSAGE:
        message = f"{message[:MAX_MESSAGE]}… ({len(message)} chars)"
    return printable(message)


class SafetyNet(click.Group):
    """The command group; whatever escapes a command ends as one line and a distinct status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None
        except BrokenPipeError:
            _drop_stdout()  # the reader went away (`| head`): nothing more to say to anyone
            ctx.exit(141)  # 128 + SIGPIPE, as when a shell command dies of a closed pipe
        except Exception as error:  # a bug: say so in one line, never exit 1 (findings)
            raise InternalError(
                f"internal error ({type(error).__name__}: {error}), please report it"
            ) from None


def _drop_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test runner)
        pass


def reports_errors(command):  # type: ignore[no-untyped-def]
    """Turn PlanError (and its store/file subclasses) into one line and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return command(*args, **kwargs)
        except PlanError as error:
            raise InvalidInput(str(error)) from None

    return wrapper


db_option = click.option(
    "--db",
    metavar="DB",
    help="Database path or SQLAlchemy URL [env: ALIGNMENT_DB; default: a file in your data dir].",
)


def date_option(help: str):  # type: ignore[no-untyped-def]
    """``--date YYYY-MM-DD`` (as ``as_of``): the day the time rules judge by."""
    return click.option("--date", "as_of", type=click.DateTime(["%Y-%m-%d"]), help=help)


plan_option = click.option(
    "--plan",
    "plan_name",
    metavar="NAME",
    help="The plan to use; may be left out when the database holds one plan.",
)
author_option = click.option(
    "--author",
    metavar="NAME",
    help="Who makes the change [env: ALIGNMENT_AUTHOR; default: git user.name, else your login].",
)


def open_store(db: str | None, create: bool = False, read_only: bool = False) -> Store:
    """The database; only commands that store something may create it, and a command that only
    reads (``read_only``) writes nothing at all. Closed when the command ends (SQLite: the WAL
    is folded into the file, so copying the file copies the plan)."""
    from alignment.store import Store

    store = Store.open(db, create=create, read_only=read_only)
    click.get_current_context().call_on_close(store.close)
    return store


def write_output(text: str, output: str | None) -> None:
    """Write to stdout, or to a file atomically (a temp file renamed into place)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from alignment.files import write_atomically

    try:
        target = write_atomically(output, text)
    except OSError as error:
        raise InvalidInput(f"{output}: cannot write ({error.strerror or error})") from None
    click.echo(f"wrote {printable(str(target))}", err=True)


@click.group(
    cls=SafetyNet,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="alignment")
@db_option
@plan_option
@click.pass_context
def main(ctx: click.Context, db: str | None, plan_name: str | None) -> None:
    """Trace every piece of tech work back to a business goal.

    With no command, opens the terminal UI (on --db and --plan when given).
    """
    given = {key: value for key, value in (("db", db), ("plan_name", plan_name)) if value}
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui, **given)
    elif given:  # `alignment --db X plans` means what `alignment plans --db X` does
        ctx.default_map = {name: dict(given) for name in main.commands}


@main.command()
@db_option
@plan_option
@click.option("--read-only", is_flag=True, help="Refuse every edit (look, don't touch).")
@click.option("--author", metavar="NAME", help="Name your edits in the history [default: you].")
@reports_errors
def tui(db: str | None, plan_name: str | None, read_only: bool, author: str | None) -> None:
    """Open the terminal UI (the default command)."""
    from alignment.tui.app import make_app

    if author is not None:
        from alignment.serve import check_author

        author = check_author(author)
    app = make_app(db, plan_name, read_only=read_only, author=author)
    try:
        app.run()
    finally:
        if app.store is not None:
            app.store.close()  # SQLite: the WAL folded into the file, which now holds the plan
    if app.return_code:  # the app failed (Textual has shown the traceback): not a success
        sys.exit(app.return_code)


@main.command()
@db_option
@plan_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option("--read-only", is_flag=True, help="Refuse every edit: share the plan for reading.")
@click.option("--author", metavar="NAME", help="Who edits made in the browser are by [asked].")
@click.option("--public-url", metavar="URL", help="The address people open, behind a proxy.")
@reports_errors
def serve(
    db: str | None,
    plan_name: str | None,
    host: str,
    port: int,
    read_only: bool,
    author: str | None,
    public_url: str | None,
) -> None:
    """Open the terminal UI in a web browser (one app per browser tab), until Ctrl+C."""
    from alignment import serve as web
    from alignment.store import resolve_url

    public_url = web.check_public_url(public_url) if public_url is not None else None
    plan = open_store(db, read_only=True).resolve_plan(plan_name)  # refused here, not later
    if not read_only and author is None:
        if not sys.stdin.isatty():
            raise InvalidInput("give --author NAME: edits made in the browser are by that name")
        author = click.prompt("Author of edits made in the browser", value_proc=web.ask_author)
    command = web.app_command(resolve_url(db), plan, author=author, read_only=read_only)
    if (warning := web.exposure_warning(host, port, plan, read_only)) is not None:
        click.echo(f"alignment: warning: {warning}", err=True)
    try:
        web.serve(command, host, port, plan, read_only, public_url)
    except OSError as error:
        raise InvalidInput(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@db_option
@click.option("--replace", is_flag=True, help="Replace a stored plan of the same name.")
@reports_errors
def import_(files: tuple[str, ...], db: str | None, replace: bool) -> None:
    """Import plan files (YAML), or outlines (.md: an indented bullet list, one
    '- KIND: TITLE ...' per node, nesting = supports). All files are checked before anything
    is written."""
    from alignment.formats.outline import OUTLINE_SUFFIXES, read_outline
    from alignment.formats.plan_file import read_plan_file

    plans = [
        read_outline(path) if path.lower().endswith(OUTLINE_SUFFIXES) else read_plan_file(path)
        for path in files
    ]
    names = [plan.name for plan in plans]
    for name in names:
        if names.count(name) > 1:
            raise InvalidInput(f"two of the files define the plan {name!r}")
    store = open_store(db, create=True)
    store.save_plans(plans, replace=replace)
    for path, plan in zip(files, plans, strict=True):
        counts = _counts_text(plan.counts())
        click.echo(f"imported {plan.name!r} from {printable(path)}: {counts}")


def _counts_text(counts: dict[Kind, int]) -> str:
    return ", ".join(plural(counts[kind], str(kind)) for kind in Kind)


@main.command()
@db_option
@plan_option
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="yaml", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@date_option("As-of date for the Markdown map (default: --as-of, else today).")
@click.option(
    "--as-of",
    "history_day",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The plan as it was at the end of this day (UTC), rebuilt from its history.",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="brief: what changed after this date (check-ins and edits) [default: 30 days before].",
)
@click.option("--diagram", is_flag=True, help="brief: add the Mermaid map.")
@reports_errors
def export(
    db: str | None,
    plan_name: str | None,
    fmt: str,
    output: str | None,
    as_of: Any,
    history_day: Any,
    since: Any,
    diagram: bool,
) -> None:
    """Export a stored plan as YAML, JSON, Markdown, Mermaid, Graphviz DOT or a board brief.

    The brief is one page of Markdown for the board: the North Star and goals, strategies
    against their aims, what needs attention, what changed, what we stop and what we ask for.
    """
    from alignment.formats.export import render

    if fmt != "brief" and (since is not None or diagram):
        raise InvalidInput("--since and --diagram are options of --format brief")

    with gc_paused():
        store = open_store(db, read_only=True)
        name = store.resolve_plan(plan_name)
        if history_day is not None:
            from alignment.store.history import plan_as_of

            plan = plan_as_of(store, name, history_day.date())
        else:
            plan = store.load(name)
        day = as_of or history_day
        today = day.date() if day else date.today()
        journal = _journal_lines(store, name, today) if fmt == "brief" else []
        text = render(
            plan,
            fmt,
            today,
            since=since.date() if since else None,
            journal=journal,
            diagram=diagram,
        )
    write_output(text, output)


def _journal_lines(store: Any, name: str, until: date) -> list[Any]:
    """The plan's journalled edits up to ``until``, for the brief's "what changed"."""
    from alignment.formats.brief import JournalLine

    entries = store.session(name).history(limit=1000)
    return [
        JournalLine(entry.at, entry.author, entry.summary)
        for entry in entries
        if entry.state == "applied" and entry.at.date() <= until
    ]


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@db_option
@plan_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="github: GitHub Actions annotations; sarif: a SARIF 2.1.0 log for code scanning.",
)
@click.option("--strict", is_flag=True, help="Also fail (exit 1) on warnings.")
@date_option(
    "Judge the time rules (overdue, behind schedule, stale) as of this date [default: today]."
)
@reports_errors
def check(
    files: tuple[str, ...],
    db: str | None,
    plan_name: str | None,
    fmt: str,
    strict: bool,
    as_of: Any,
) -> None:
    """Lint plan files, or a stored plan, for unaligned work and gaps.

    Exit status: 0 no error finding, 1 an error finding (with --strict, also a warning),
    2 bad usage or invalid input, 70 an internal error (a bug: please report it).
    """
    from alignment.core.analysis import alignment_of, coverage, findings

    if files and (db is not None or plan_name is not None):
        raise InvalidInput("check takes either a FILE or --db/--plan, not both")
    if len(files) > 1 and fmt == "json":
        raise InvalidInput("--format json reports on one plan: give one FILE")
    day = as_of.date() if as_of else date.today()
    checked = []
    with gc_paused():
        for file in files or (None,):
            lines: dict[str, int] = {}  # node id -> its line in the file
            if file is not None:
                from alignment.formats.plan_file import read_plan_file

                plan = read_plan_file(file, lines)
            else:
                store = open_store(db, read_only=True)
                plan = store.load(store.resolve_plan(plan_name))
            aligned = alignment_of(plan)
            found = findings(plan, aligned, day)
            checked.append((file, plan, found, coverage(plan, aligned), lines))
    failing = 0
    for _file, plan, found, cover, _lines in checked:
        summary = _check_summary(plan, found, cover)
        failing += summary["errors"] + (summary["warnings"] if strict else 0)
        if fmt == "json":
            report = {
                "plan": plan.name,
                "as_of": day.isoformat(),
                "findings": [f.as_dict() for f in found],
            }
            click.echo(json_text({**report, "summary": summary}, indent=2))
        elif fmt == "text":
            click.echo(_check_text(plan.name, found, summary, cover.live_initiatives))
    if fmt in ("github", "sarif"):
        from alignment.formats.annotations import CheckedPlan, github_annotations, sarif_text

        plans = [
            CheckedPlan(p.name, file, tuple(found), lines) for file, p, found, _, lines in checked
        ]
        if fmt == "github":
            click.echo(github_annotations(plans), nl=False)
        else:
            from importlib.metadata import version

            click.echo(sarif_text(plans, version("alignment")), nl=False)
    sys.exit(EXIT_FINDINGS if failing else 0)


def _check_summary(plan: Any, found: list, cover: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    from alignment.core.analysis import Severity

    counts = plan.counts()
    by_severity = {severity: 0 for severity in Severity}
    for finding in found:
        by_severity[finding.severity] += 1
    return {
        "goals": counts[Kind.GOAL],
        "strategies": counts[Kind.STRATEGY],
        "indicators": counts[Kind.INDICATOR],
        "initiatives": counts[Kind.INITIATIVE],
        "errors": by_severity[Severity.ERROR],
        "warnings": by_severity[Severity.WARNING],
        "infos": by_severity[Severity.INFO],
        "aligned_pct": cover.aligned_pct,
        "measured_pct": cover.measured_pct,
        # Mandatory work (compliance, upkeep) is counted apart from the coverage above.
        "mandatory": cover.mandatory,
        "mandatory_effort": cover.mandatory_effort,
    }


_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}


def _check_text(name: str, found: list, summary: dict[str, Any], live: int) -> str:  # type: ignore[type-arg]
    lines = []
    rule_width = max((len(f.rule) for f in found), default=0)
    node_width = max((len(printable(f.node)) for f in found), default=0)
    for f in found:
        severity = click.style(f"{f.severity:<7}", fg=_SEVERITY_COLOUR[f.severity])
        node, message, title = printable(f.node), printable(f.message), printable(f.title)
        lines.append(
            f"{f.rule:<{rule_width}}  {node:<{node_width}}  {severity}  {message}  [{title}]"
        )
    s = summary
    coverage = (
        f"{s['aligned_pct']:g}% of live initiatives aligned, {s['measured_pct']:g}% measured"
        if live
        else "no live initiatives yet"
        if not s["mandatory"]
        else "no live initiatives besides mandatory work"
    )
    if s["mandatory"]:
        effort = f", effort {s['mandatory_effort']:g}" if s["mandatory_effort"] else ""
        coverage += f"; mandatory work apart: {plural(s['mandatory'], 'initiative')}{effort}"
    lines.append(
        f"{printable(name)}: {plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}, "
        f"{plural(s['infos'], 'info')}; {coverage}"
    )
    return "\n".join(lines)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@db_option
@plan_option
@click.option("--with-candidates", is_flag=True, help="Add the candidate initiatives.")
@click.option("--with", "add", multiple=True, metavar="ID", help="Add one initiative (repeatable).")
@click.option(
    "--without", "remove", multiple=True, metavar="ID", help="Leave one out (repeatable)."
)
@click.option(
    "--calibrated",
    is_flag=True,
    help="Scale the expected effects of live work by what finished work delivered of its promise.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@reports_errors
def forecast(
    file: str | None,
    db: str | None,
    plan_name: str | None,
    with_candidates: bool,
    add: tuple[str, ...],
    remove: tuple[str, ...],
    calibrated: bool,
    fmt: str,
) -> None:
    """Expected values once the committed work (planned and active initiatives) lands.

    Each initiative adds effect x confidence to what it supports; links between indicators
    carry the change up the tree; formulas are computed; strategies are set against their
    aims and goals against their conditions. Finished work with actual effects says how well
    estimates held (calibration). Reads a plan FILE or a stored plan.
    """
    from alignment.core.forecast import calibration, scenario
    from alignment.core.forecast import forecast as expected_values
    from alignment.formats.forecast_report import (
        forecast_json,
        forecast_markdown,
        forecast_text,
    )

    plan = _file_or_stored(file, db, plan_name, "forecast")
    with gc_paused():
        learned = calibration(plan)
        scale = 1.0
        if calibrated:
            if learned.ratio is None:
                raise InvalidInput(
                    "--calibrated: no done initiative records an actual effect to learn from"
                )
            scale = learned.ratio
        work = scenario(plan, with_candidates, add, remove)
        result = expected_values(plan, work, scale=scale)
    if fmt == "json":
        click.echo(forecast_json(plan, result, learned), nl=False)
        return
    # The label is the subject of "... closes 10.8% of the gap": "committed work with
    # candidates (adjusted, calibrated) closes", never "committed work and candidates closes".
    label = "committed work" + (" with candidates" if with_candidates else "")
    qualifiers = [
        word for word, on in (("adjusted", add or remove), ("calibrated", calibrated)) if on
    ]
    if qualifiers:
        label += f" ({', '.join(qualifiers)})"
    render = forecast_markdown if fmt == "markdown" else forecast_text
    click.echo(render(plan, result, label, learned), nl=False)


def _file_or_stored(file: str | None, db: str | None, plan_name: str | None, command: str) -> Any:
    """The plan of a FILE, or the stored plan of --db/--plan."""
    if file is not None and (db is not None or plan_name is not None):
        raise InvalidInput(f"{command} takes either a FILE or --db/--plan, not both")
    with gc_paused():
        if file is not None:
            from alignment.formats.plan_file import read_plan_file

            return read_plan_file(file)
        store = open_store(db, read_only=True)
        return store.load(store.resolve_plan(plan_name))


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@db_option
@plan_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@reports_errors
def rank(file: str | None, db: str | None, plan_name: str | None, fmt: str) -> None:
    """Initiatives not yet done, by the share of the gaps they close per unit of effort.

    Share: over the indicators whose target is still ahead, the change the initiative causes
    alone divided by the gap, each capped to [-1, 1], summed. Work without an effort estimate
    is ranked apart. Reads a plan FILE or a stored plan.
    """
    from alignment.core.ranking import rank as ranked
    from alignment.formats.forecast_report import rank_json, rank_text

    plan = _file_or_stored(file, db, plan_name, "rank")
    result = ranked(plan)
    click.echo((rank_json if fmt == "json" else rank_text)(plan, result), nl=False)


@main.command()
@click.argument("old")
@click.argument("new")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DIFF_FORMATS),
    default="text",
    show_default=True,
    help="markdown suits a pull-request comment.",
)
@click.option(
    "--fail-on-new-errors", is_flag=True, help="Exit 1 when NEW has an error finding OLD had not."
)
@date_option("Judge both versions' time rules as of this date [default: today].")
@reports_errors
def diff(
    old: str, new: str, db: str | None, fmt: str, fail_on_new_errors: bool, as_of: Any
) -> None:
    """Compare two versions of a plan: what changed, and what it does to alignment.

    OLD and NEW are each a plan file, REV:PATH (the file in a git revision of the repository
    you are in, e.g. HEAD~1:plan.yaml) or db:NAME (a stored plan in --db; db:NAME@YYYY-MM-DD
    as it was at the end of that day). Exit status: 0; 1 with --fail-on-new-errors when a new
    error finding appears; 2 bad input.
    """
    from alignment.core.diff import diff_plans
    from alignment.formats.diff_report import render_diff
    from alignment.sources import load_source, parse_source

    sources = parse_source(old), parse_source(new)
    with gc_paused():
        before, after = (load_source(source, db) for source in sources)
        change = diff_plans(before, after, as_of.date() if as_of else None)
    click.echo(render_diff(change, fmt, sources[0].label, sources[1].label), nl=False)
    sys.exit(EXIT_FINDINGS if fail_on_new_errors and change.new_errors else 0)


@main.command()
@db_option
@reports_errors
def plans(db: str | None) -> None:
    """List the stored plans with their counts."""
    from alignment.store import MissingDatabaseError, display_url

    try:
        summaries = open_store(db, read_only=True).summaries()
    except MissingDatabaseError:
        summaries = []
    if not summaries:
        click.echo(
            f"no plans in {printable(display_url(db))}: import one with `alignment import FILE`"
        )
        return
    names = [printable(s.name) for s in summaries]
    width = max(len(name) for name in names)
    for name, s in zip(names, summaries, strict=True):
        click.echo(f"{name:<{width}}  {_counts_text(s.counts)}")


# A value may be negative (an NPS of -12): "-12" is the value, not an unknown option.
@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("indicator")
@click.argument("value", type=float)
@click.option("--at", type=click.DateTime(["%Y-%m-%d"]), help="Date of the value (default: today).")
@db_option
@plan_option
@author_option
@reports_errors
def checkin(
    indicator: str, value: float, at: Any, db: str | None, plan_name: str | None, author: str | None
) -> None:
    """Record the value of an indicator on a date (default: today).

    A second value for a date replaces the first, and says so; a date after today is
    recorded as given, with a warning.
    """
    from alignment.core.changes import RecordCheckIn
    from alignment.formats.map_facts import with_unit

    day = at.date() if at else date.today()
    session = open_store(db).session(plan_name, author)
    change = session.apply(session.plan.checkin_change(indicator, day, value))
    assert isinstance(change, RecordCheckIn)
    node = session.plan.node(indicator)
    unit = printable(node.unit or "")
    current = "none" if node.current is None else with_unit(node.current, unit)
    replaced = ""
    if change.value is not None and change.previous is not None:  # in the indicator's unit
        replaced = f"; replaces {with_unit(change.previous, unit)} recorded on {day.isoformat()}"
    click.echo(
        f"{indicator}: {with_unit(value, unit)} on {day.isoformat()} (current {current}){replaced}"
    )
    if day > date.today():
        click.echo(
            f"alignment: warning: {day.isoformat()} is after today ({date.today().isoformat()});"
            " recorded as given (`alignment undo` takes it back)",
            err=True,
        )


@main.command("import-checkins")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@plan_option
@author_option
@reports_errors
def import_checkins(file: str, db: str | None, plan_name: str | None, author: str | None) -> None:
    """Record many check-ins from a CSV file (columns: indicator, date, value), all or none;
    `alignment undo` takes them all back."""
    from alignment.formats.checkins_csv import read_checkins_csv

    session = open_store(db).session(plan_name, author)
    rows = read_checkins_csv(file, session.plan.indicator)
    if not rows:
        click.echo(f"no check-ins in {printable(file)}: nothing recorded")
        return
    session.apply(session.plan.checkins_change(rows))
    indicators = len({row[0] for row in rows})
    click.echo(f"recorded {plural(len(rows), 'check-in')} for {plural(indicators, 'indicator')}")


@main.command()
@db_option
@plan_option
@author_option
@reports_errors
def undo(db: str | None, plan_name: str | None, author: str | None) -> None:
    """Take back your own last change (by author; others' changes are never undone).

    Exit status: 0 undone, 2 nothing of yours to undo, or refused because someone else's
    later change depends on it (the message says who and what).
    """
    _journal_step("undo", db, plan_name, author)


@main.command()
@db_option
@plan_option
@author_option
@reports_errors
def redo(db: str | None, plan_name: str | None, author: str | None) -> None:
    """Make again your change undone last. Exit status as for undo."""
    _journal_step("redo", db, plan_name, author)


def _journal_step(which: str, db: str | None, plan_name: str | None, author: str | None) -> None:
    session = open_store(db).session(plan_name, author)
    change = session.undo() if which == "undo" else session.redo()
    if change is None:
        whose, name = printable(session.author), printable(repr(session.name))
        raise InvalidInput(f"nothing to {which} for {whose} in {name}")
    made = change.inverse() if which == "undo" else change  # name the edit, not its inverse
    click.echo(f"{'undone' if which == 'undo' else 'redone'}: {printable(made.describe())}")


@main.command()
@db_option
@plan_option
@click.option(
    "-n",
    "--limit",
    type=_Count(min=1, max=2**63 - 1),  # SQLite's LIMIT takes a 64-bit integer
    default=20,
    show_default=True,
    help="How many entries to show.",
)
@reports_errors
def history(db: str | None, plan_name: str | None, limit: int) -> None:
    """Who changed what, and when (newest first)."""
    session = open_store(db, read_only=True).session(plan_name)
    for entry in session.history(limit):
        state = "" if entry.state == "applied" else f"  ({entry.state})"
        author, summary = printable(entry.author), printable(entry.summary)
        click.echo(f"{entry.at:%Y-%m-%d %H:%M}  {author:<12}  {summary}{state}")
