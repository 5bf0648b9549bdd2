"""The qualifications that may be retaken after 2 hours (CAND-7), as data, not code.

The shipped list (001, "Centre requirements") is ``resources/two_hour_qualifications.csv``
with the header ``qualification_number,title,retake_hours``. A coordinator's own file in
the same format (e.g. adding IMI Accreditation assessments) extends or overrides it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import invigilator_app

HEADER = ("qualification_number", "title", "retake_hours")
TWO_HOURS = 2
DEFAULT_HOURS = 48
RESOURCES = Path(invigilator_app.__file__).parent.parent / "resources"
SHIPPED_PATH = RESOURCES / "two_hour_qualifications.csv"


class RetakeListError(ValueError):
    """A retake list file that cannot be read as the expected CSV."""


def read_retake_file(path: Path) -> dict[str, tuple[str, int]]:
    """Rows of one retake list file: qualification number -> (title, retake hours).

    Blank lines are skipped; a blank retake_hours means 2. Raises RetakeListError naming
    the file and line for a wrong header, a missing number or a bad number of hours.
    """
    rows: dict[str, tuple[str, int]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(cell.strip() for cell in next(reader, []))
        if header[: len(HEADER)] != HEADER:
            raise RetakeListError(f"{path}: the first line must be {','.join(HEADER)}")
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row] + [""] * len(HEADER)
            number, title, hours_text = cells[0], cells[1], cells[2]
            where = f"{path}, line {reader.line_num}"
            if not number:
                raise RetakeListError(f"{where}: no qualification number")
            try:
                hours = int(hours_text) if hours_text else TWO_HOURS
            except ValueError:
                raise RetakeListError(f"{where}: retake_hours must be a whole number") from None
            if hours < 0:
                raise RetakeListError(f"{where}: retake_hours cannot be negative")
            rows[number] = (title, hours)
    return rows


def load_retake_hours(path: Path | None = None, extra_path: Path | None = None) -> dict[str, int]:
    """Qualification number -> retake hours from the shipped list and the coordinator's
    extension file (whose rows win)."""
    rows = read_retake_file(path or SHIPPED_PATH)
    if extra_path is not None and extra_path.exists():
        rows.update(read_retake_file(extra_path))
    return {number: hours for number, (_, hours) in rows.items()}


def load_two_hour_list(path: Path | None = None, extra_path: Path | None = None) -> dict[str, str]:
    """Qualification number -> title for every qualification retakable after 2 hours.

    Reads the shipped list (or ``path``) and then ``extra_path`` if given and present,
    whose rows win (a row there with other hours removes a number from the list).
    """
    rows = read_retake_file(path or SHIPPED_PATH)
    if extra_path is not None and extra_path.exists():
        rows.update(read_retake_file(extra_path))
    return {number: title for number, (title, hours) in rows.items() if hours == TWO_HOURS}


def default_retake_hours(number: str, two_hour: Mapping[str, str]) -> int:
    """CAND-7 hours for a qualification: 2 if it is on the 2-hour list, else 48."""
    return TWO_HOURS if number.strip() in two_hour else DEFAULT_HOURS
