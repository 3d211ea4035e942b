"""Check-ins from CSV: the Monday spreadsheet, imported in one go.

Columns (with a header row): ``indicator``, ``date`` (or ``at``), ``value``. Extra columns are
ignored, so an export from a spreadsheet works as it is.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from datetime import date
from pathlib import Path

from alignment.core.model import Number, PlanError

__all__ = ["read_checkins_csv"]


def read_checkins_csv(
    path: str | Path, check_indicator: Callable[[str], object] | None = None
) -> list[tuple[str, date, Number]]:
    """Rows of (indicator id, date, value); raise PlanError ``FILE:LINE: reason`` on bad input.

    ``check_indicator`` (e.g. ``Plan.indicator``) is called with each row's indicator id, so a
    PlanError it raises (no such indicator) names the row's line too.
    """
    name = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return _rows(name, csv.reader(handle), check_indicator)
    except FileNotFoundError:
        raise PlanError(f"{name}: no such file") from None
    except UnicodeDecodeError:
        raise PlanError(f"{name}: not UTF-8 text") from None
    except csv.Error as error:
        raise PlanError(f"{name}: not valid CSV ({error})") from None
    except OSError as error:  # unreadable: permissions, a directory, a vanished disk
        raise PlanError(f"{name}: cannot read ({error.strerror or error})") from None


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
        indicator, day_text, value_text = (cells[i].strip() for i in columns)
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise PlanError(
                f"{name}:{line}: {day_text!r} is not an ISO date (YYYY-MM-DD)"
            ) from None
        try:
            value = float(value_text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # float() also reads "nan" and "inf"
            raise PlanError(f"{name}:{line}: {value_text!r} is not a number") from None
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
