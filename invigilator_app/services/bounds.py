"""The limits every importer holds its input to (docs/cli.md, "Limits").

A file past a limit is bad input (exit 2) naming the file, the place and the limit, and
nothing is written. The limits are generous for a centre's real files and small enough
that nothing accepted can break later: a room of at most 100 m × 100 m draws on one page,
a date inside 2000–2100 converts to UTC, a number of at most 30 digits is a number.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from invigilator_app.domain.errors import BadInput

MAX_JSON_BYTES = 10 * 1024 * 1024
MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_CSV_ROWS = 100_000
MAX_CSV_FIELD = 1_000
"""Characters in one CSV field (csv's own limit, 131,072, would be an error of its own)."""
MAX_DEPTH = 20
"""Nesting of JSON objects and lists."""
MAX_NUMBER_DIGITS = 30
"""Characters of one JSON number literal."""
MAX_WORKSTATIONS = 500
MAX_PLAN_CANDIDATES = 500
MAX_LOG_ENTRIES = 10_000
MAX_INTEGER = 1_000_000
"""Largest whole number a JSON field takes (minutes, question numbers)."""
MAX_ID = 2**31 - 1
"""Largest session id on the command line."""
ROOM_METRES = 100.0
"""A room is at most 100 m × 100 m: coordinates within ±100 m, and at most 100 m apart."""
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
"""Dates of sessions, notices and log entries."""
FIRST_BIRTH = date(1900, 1, 1)


def check_day(value: date, *, first: date = FIRST_DAY, last: date = LAST_DAY) -> str:
    """ "" when the date is within the range, else what is wrong."""
    if first <= value <= last:
        return ""
    return f"{value.isoformat()} is outside {first.isoformat()} … {last.isoformat()}"


def coordinate_problem(value: float) -> str:
    if not math.isfinite(value):
        return f"{value} is not a finite number of metres"
    if abs(value) > ROOM_METRES:
        return f"{value:g} m is outside the room (at most {ROOM_METRES:g} m from its corner)"
    return ""


def extent_problem(points: Iterable[tuple[float, float]]) -> str:
    """A room's points (workstations, desk) fit in 100 m × 100 m."""
    finite = [(x, y) for x, y in points if math.isfinite(x) and math.isfinite(y)]
    if not finite:
        return ""
    xs, ys = [p[0] for p in finite], [p[1] for p in finite]
    if max(xs) - min(xs) > ROOM_METRES or max(ys) - min(ys) > ROOM_METRES:
        return f"the layout spans more than {ROOM_METRES:g} m × {ROOM_METRES:g} m"
    return ""


def csv_rows(reader: Iterator[list[str]], source: str, line: Callable[[], int]) -> Iterator[list[str]]:
    """The rows of a csv.reader, held to the row and field limits (BadInput naming the line)."""
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise BadInput(
                    f"{source}, line {line()}: a field longer than {csv.field_size_limit():,} characters "
                    f"(at most {MAX_CSV_FIELD:,}). Nothing was imported."
                ) from None
            raise BadInput(f"{source}, line {line()}: not readable as CSV ({exc}). Nothing was imported.") from None
        count += 1
        if count > MAX_CSV_ROWS + 1:
            raise BadInput(f"{source}: more than {MAX_CSV_ROWS:,} rows; split the file. Nothing was imported.")
        long = next((v for v in values if len(v) > MAX_CSV_FIELD), None)
        if long is not None:
            raise BadInput(
                f"{source}, line {line()}: a field of {len(long):,} characters (at most {MAX_CSV_FIELD:,}). "
                "Nothing was imported."
            )
        yield values


def check_size(size: int, limit: int, source: str) -> None:
    if size > limit:
        raise BadInput(f"{source}: {size:,} bytes is larger than the {limit // (1024 * 1024)} MiB an import may be.")
