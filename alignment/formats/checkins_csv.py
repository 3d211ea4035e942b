"""Check-ins from CSV: the Monday spreadsheet, imported in one go.

Columns (with a header row): ``indicator``, ``date`` (or ``at``), ``value``. Extra columns are
ignored, so an export from a spreadsheet works as it is.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from alignment.core.errors import bounded
from alignment.core.model import MAX_ID, Number, PlanError

__all__ = ["read_checkins_csv"]

MAX_BYTES = 32 * 1024 * 1024
# Control characters (ESC, BEL, NUL, C1, line separators) are not data in any column we read.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_COLUMNS = ("indicator", "date", "value")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_checkins_csv(
    path: str | Path, check_indicator: Callable[[str], object] | None = None
) -> list[tuple[str, date, Number]]:
    """Rows of (indicator id, date, value); raise PlanError ``FILE:LINE: reason`` on bad input.

    ``check_indicator`` (e.g. ``Plan.indicator``) is called with each row's indicator id, so a
    PlanError it raises (no such indicator) names the row's line too.
    """
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanError(f"{name}: no such file") from None
    except OSError as error:  # unreadable: permissions, a directory, a vanished disk
        raise PlanError(f"{name}: cannot read ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise PlanError(f"{name}: whole file: larger than {MAX_BYTES // 2**20} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PlanError(f"{name}:{line}: not UTF-8 text ({error.reason})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _rows(name, reader, check_indicator)
    except csv.Error as error:
        raise PlanError(f"{name}:{reader.line_num}: not valid CSV ({error})") from None


def _rows(name: str, reader, check_indicator) -> list[tuple[str, date, Number]]:  # type: ignore[no-untyped-def]
    header = [cell.strip().lower() for cell in next(reader, [])]
    date_column = "date" if "date" in header else "at"
    missing = [c for c in ("indicator", date_column, "value") if c not in header]
    if missing:
        raise PlanError(f"{name}:1: the header needs columns indicator, date and value")
    columns = [header.index(c) for c in ("indicator", date_column, "value")]
    rows: list[tuple[str, date, Number]] = []
    seen: dict[tuple[str, date], int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            raise PlanError(f"{name}:{line}: expected {len(header)} columns, found {len(cells)}")
        indicator, day_text, value_text = cells = [cells[i].strip() for i in columns]
        for column, cell in zip(_COLUMNS, cells, strict=True):
            bad = _CONTROL.search(cell)
            if bad is not None:
                raise PlanError(
                    f"{name}:{line}: the {column} must not contain control characters "
                    f"(found {bounded(bad.group())})"
                )
        if len(indicator) > MAX_ID:
            raise PlanError(f"{name}:{line}: {bounded(indicator)} is not an indicator id")
        try:
            if not _ISO_DAY.fullmatch(day_text):  # 3.11 also reads 20261005 and 2026-W40-1
                raise ValueError(day_text)
            day = date.fromisoformat(day_text)
        except ValueError:
            raise PlanError(
                f"{name}:{line}: {bounded(day_text)} is not an ISO date (YYYY-MM-DD)"
            ) from None
        try:
            value = float(value_text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # float() also reads "nan" and "inf"
            raise PlanError(f"{name}:{line}: {bounded(value_text)} is not a number") from None
        if check_indicator is not None:
            try:
                check_indicator(indicator)
            except PlanError as error:
                raise PlanError(f"{name}:{line}: {error}") from None
        if (indicator, day) in seen:
            first = seen[(indicator, day)]
            raise PlanError(
                f"{name}:{line}: a second value for {indicator} on {day} (first on line {first})"
            )
        seen[(indicator, day)] = line
        rows.append((indicator, day, value))
    return rows
