"""The command line: a thin layer that opens, calls and reports.

Heavy imports (textual, sqlmodel) happen inside the commands that need them, so
`alignment check plan.yaml` starts fast and never loads the TUI or the database layer.
"""

from __future__ import annotations

import functools
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from alignment.bulk import gc_paused
from alignment.core.model import Kind, PlanError

if TYPE_CHECKING:
    from alignment.store import Store

EXIT_FINDINGS = 1
EXIT_INVALID = 2
# Kept in step with alignment.formats.export.EXPORT_FORMATS (a test checks), so that --help
# does not import the export modules.
EXPORT_FORMATS = ("yaml", "markdown", "json", "mermaid", "dot")


class InvalidInput(click.ClickException):
    """Bad usage or invalid input: one line on stderr, exit status 2."""

    exit_code = EXIT_INVALID

    def show(self, file: Any = None) -> None:
        click.echo(f"alignment: {self.format_message()}", err=True)


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
plan_option = click.option(
    "--plan",
    "plan_name",
    metavar="NAME",
    help="The plan to use; may be left out when the database holds one plan.",
)


def open_store(db: str | None, create: bool = False) -> Store:
    """The database; only commands that store something may create it."""
    from alignment.store import Store

    return Store.open(db, create=create)


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
    click.echo(f"wrote {target}", err=True)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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
@reports_errors
def tui(db: str | None, plan_name: str | None) -> None:
    """Open the terminal UI (the default command)."""
    from alignment.tui.app import make_app

    make_app(db, plan_name).run()


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@db_option
@click.option("--replace", is_flag=True, help="Replace a stored plan of the same name.")
@reports_errors
def import_(files: tuple[str, ...], db: str | None, replace: bool) -> None:
    """Import plan files (YAML). All files are checked before anything is written."""
    from alignment.formats.plan_file import read_plan_file

    plans = [read_plan_file(path) for path in files]
    names = [plan.name for plan in plans]
    for name in names:
        if names.count(name) > 1:
            raise InvalidInput(f"two of the files define the plan {name!r}")
    store = open_store(db, create=True)
    store.save_plans(plans, replace=replace)
    for path, plan in zip(files, plans, strict=True):
        counts = _counts_text(plan.counts())
        click.echo(f"imported {plan.name!r} from {path}: {counts}")


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


def _counts_text(counts: dict[Kind, int]) -> str:
    return ", ".join(_plural(counts[kind], str(kind)) for kind in Kind)


@main.command()
@db_option
@plan_option
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="yaml", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.option(
    "--date",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="As-of date for the Markdown map (default: today).",
)
@reports_errors
def export(db: str | None, plan_name: str | None, fmt: str, output: str | None, as_of: Any) -> None:
    """Export a stored plan as YAML, JSON, Markdown, Mermaid or Graphviz DOT."""
    from alignment.formats.export import render

    with gc_paused():
        store = open_store(db)
        plan = store.load(store.resolve_plan(plan_name))
        text = render(plan, fmt, as_of.date() if as_of else date.today())
    write_output(text, output)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@db_option
@plan_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Also fail (exit 1) on warnings.")
@reports_errors
def check(file: str | None, db: str | None, plan_name: str | None, fmt: str, strict: bool) -> None:
    """Lint a plan file, or a stored plan, for unaligned work and gaps.

    Exit status: 0 no error finding, 1 an error finding (with --strict, also a warning),
    2 bad usage or invalid input.
    """
    from alignment.core.analysis import Severity, alignment_of, coverage, findings

    if file is not None and (db is not None or plan_name is not None):
        raise InvalidInput("check takes either a FILE or --db/--plan, not both")
    with gc_paused():
        if file is not None:
            from alignment.formats.plan_file import read_plan_file

            plan = read_plan_file(file)
        else:
            store = open_store(db)
            plan = store.load(store.resolve_plan(plan_name))
        aligned = alignment_of(plan)
        found = findings(plan, aligned)
        cover = coverage(plan, aligned)
    counts = plan.counts()
    by_severity = {severity: 0 for severity in Severity}
    for finding in found:
        by_severity[finding.severity] += 1
    summary = {
        "goals": counts[Kind.GOAL],
        "strategies": counts[Kind.STRATEGY],
        "indicators": counts[Kind.INDICATOR],
        "initiatives": counts[Kind.INITIATIVE],
        "errors": by_severity[Severity.ERROR],
        "warnings": by_severity[Severity.WARNING],
        "infos": by_severity[Severity.INFO],
        "aligned_pct": cover.aligned_pct,
        "measured_pct": cover.measured_pct,
    }
    if fmt == "json":
        report = {"plan": plan.name, "findings": [f.as_dict() for f in found], "summary": summary}
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(_check_text(plan.name, found, summary, cover.live_initiatives))
    failing = summary["errors"] + (summary["warnings"] if strict else 0)
    sys.exit(EXIT_FINDINGS if failing else 0)


_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}


def _check_text(name: str, found: list, summary: dict[str, Any], live: int) -> str:  # type: ignore[type-arg]
    lines = []
    rule_width = max((len(f.rule) for f in found), default=0)
    node_width = max((len(f.node) for f in found), default=0)
    for f in found:
        severity = click.style(f"{f.severity:<7}", fg=_SEVERITY_COLOUR[f.severity])
        lines.append(
            f"{f.rule:<{rule_width}}  {f.node:<{node_width}}  {severity}  {f.message}  [{f.title}]"
        )
    s = summary
    coverage = (
        f"{s['aligned_pct']:g}% of live initiatives aligned, {s['measured_pct']:g}% measured"
        if live
        else "no live initiatives yet"
    )
    lines.append(
        f"{name}: {_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}, "
        f"{_plural(s['infos'], 'info')}; {coverage}"
    )
    return "\n".join(lines)


@main.command()
@db_option
@reports_errors
def plans(db: str | None) -> None:
    """List the stored plans with their counts."""
    from alignment.store import MissingDatabaseError, resolve_url

    try:
        summaries = open_store(db).summaries()
    except MissingDatabaseError:
        summaries = []
    if not summaries:
        click.echo(f"no plans in {resolve_url(db)}: import one with `alignment import FILE`")
        return
    width = max(len(s.name) for s in summaries)
    for s in summaries:
        click.echo(f"{s.name:<{width}}  {_counts_text(s.counts)}")


# A value may be negative (an NPS of -12): "-12" is the value, not an unknown option.
@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("indicator")
@click.argument("value", type=float)
@click.option("--at", type=click.DateTime(["%Y-%m-%d"]), help="Date of the value (default: today).")
@db_option
@plan_option
@reports_errors
def checkin(indicator: str, value: float, at: Any, db: str | None, plan_name: str | None) -> None:
    """Record the value of an indicator on a date (a later value for the same date replaces it)."""
    day = at.date() if at else date.today()
    session = open_store(db).session(plan_name)
    session.apply(session.plan.checkin_change(indicator, day, value))
    node = session.plan.node(indicator)
    unit = node.unit or ""
    click.echo(
        f"{indicator}: {value:g}{unit} on {day.isoformat()} (current {node.current:g}{unit})"
    )


@main.command("import-checkins")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@plan_option
@reports_errors
def import_checkins(file: str, db: str | None, plan_name: str | None) -> None:
    """Record many check-ins from a CSV file (columns: indicator, date, value), all or none."""
    from alignment.formats.checkins_csv import read_checkins_csv

    session = open_store(db).session(plan_name)
    rows = read_checkins_csv(file, session.plan.indicator)
    if not rows:
        click.echo(f"no check-ins in {file}: nothing recorded")
        return
    change = session.plan.checkins_change(rows)
    session.apply(change)
    click.echo(
        f"recorded {_plural(len(rows), 'check-in')} for {_plural(len(change.changes), 'indicator')}"
    )


@main.command()
@db_option
@plan_option
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1, max=2**63 - 1),  # SQLite's LIMIT takes a 64-bit integer
    default=20,
    show_default=True,
    help="How many entries to show.",
)
@reports_errors
def history(db: str | None, plan_name: str | None, limit: int) -> None:
    """Who changed what, and when (newest first)."""
    session = open_store(db).session(plan_name)
    for entry in session.history(limit):
        state = "" if entry.state == "applied" else f"  ({entry.state})"
        click.echo(f"{entry.at:%Y-%m-%d %H:%M}  {entry.author:<12}  {entry.summary}{state}")
