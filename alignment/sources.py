"""Where a plan to compare comes from: a plan file, a file in a git revision, or a stored plan.

``alignment diff`` takes two of these. A source is named by one string:

- ``PATH``: a plan file. A path that exists as a file always wins, so ``a:b.yaml`` is a file
  when there is one of that name;
- ``REV:PATH``: the plan file as it was in revision REV of the git repository the command runs
  in (``git show REV:PATH``; PATH is from the repository's top, or ``./PATH`` from here);
- ``db:NAME``: the stored plan NAME in the database given by ``--db`` (``db:`` alone: the only
  plan there); ``db:NAME@YYYY-MM-DD`` is that plan as it was at the end of that day, rebuilt
  from its history (``alignment.store.history``).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from datetime import date

from alignment.core.model import PlanError
from alignment.core.plan import Plan

__all__ = ["PlanSource", "SourceError", "load_source", "parse_source"]

DB_PREFIX = "db:"
# Control characters from git's messages (a path may hold anything) never reach the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class SourceError(PlanError):
    """A source that cannot be read: the message names it and says why, in one line."""


@dataclass(frozen=True, slots=True)
class PlanSource:
    """What a source string names. ``kind`` is "file", "git" or "db"."""

    kind: str
    path: str = ""  # the file (kind file), or the path inside the revision (kind git)
    rev: str = ""  # kind git
    name: str | None = None  # kind db: the plan's name (None: the only plan)
    as_of: date | None = None  # kind db: as it was at the end of that day

    @property
    def label(self) -> str:
        """How reports name this source."""
        if self.kind == "git":
            return f"{self.rev}:{self.path}"
        if self.kind == "db":
            day = f"@{self.as_of.isoformat()}" if self.as_of else ""
            return f"{DB_PREFIX}{self.name or ''}{day}"
        return self.path


def parse_source(text: str) -> PlanSource:
    """What ``text`` names (no reading yet, except to see whether a file of that name exists)."""
    if not text:
        raise SourceError("an empty name is not a plan file, REV:PATH or db:NAME")
    if os.path.isfile(text):
        return PlanSource("file", path=text)
    if text.startswith(DB_PREFIX):
        name, at, day = text[len(DB_PREFIX) :].rpartition("@")
        if at and _DAY.fullmatch(day):
            try:
                return PlanSource("db", name=name or None, as_of=date.fromisoformat(day))
            except ValueError:
                raise SourceError(f"{text}: {day} is not a date (YYYY-MM-DD)") from None
        return PlanSource("db", name=text[len(DB_PREFIX) :] or None)
    rev, colon, path = text.partition(":")
    if colon and path:
        if rev.startswith("-"):
            # Never let a source become an option of git.
            raise SourceError(f"{text}: a revision cannot start with '-'")
        return PlanSource("git", path=path, rev=rev)
    return PlanSource("file", path=text)  # the reader says "no such file" with the name


def load_source(source: PlanSource, db: str | None = None) -> Plan:
    """The plan ``source`` names; SourceError (or PlanFileError) when it cannot be read."""
    from alignment.formats.plan_file import parse_plan, read_plan_file

    if source.kind == "file":
        return read_plan_file(source.path)
    if source.kind == "git":
        text = _git_show(source.rev, source.path)
        return parse_plan(text, source.label)
    from alignment.store import Store

    with Store.open(db, read_only=True) as store:
        name = store.resolve_plan(source.name)
        if source.as_of is not None:
            from alignment.store.history import plan_as_of

            return plan_as_of(store, name, source.as_of)
        return store.load(name)


def _git_show(rev: str, path: str) -> str:
    spec = f"{rev}:{path}"
    data = _git("show", spec)
    if data.startswith(b"tree ") and _git("cat-file", "-t", spec).strip() == b"tree":
        raise SourceError(f"{spec}: is a folder in {rev}, not a plan file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"{spec}: not UTF-8 text ({error.reason})") from None


def _git(*args: str) -> bytes:
    spec = args[-1]
    try:
        done = subprocess.run(
            ["git", "--no-pager", *args],
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except FileNotFoundError:
        raise SourceError(f"{spec}: git is not installed (needed to read REV:PATH)") from None
    except OSError as error:
        raise SourceError(f"{spec}: cannot run git ({error.strerror or error})") from None
    if done.returncode != 0:
        message = next(
            (line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()),
            f"git {args[0]} failed (exit status {done.returncode})",
        )
        message = _CONTROL.sub("?", message.removeprefix("fatal: ").strip())
        raise SourceError(f"{spec}: {message}")
    return done.stdout
