"""One candidate row checked, for every importer: the command line's CSV (ISO dates) and the
spreadsheet export (ISO or day-first dates, as UK systems write them).

The messages name the field the way the file does (the CSV's column names, or the
spreadsheet's field labels) and say what a good value looks like."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from invigilator_app.services.bounds import FIRST_BIRTH, LAST_DAY, check_day

REG_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/\-]{2,39}$")
MAX_NAME = 100
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
COLUMN_NAMES = {name: name for name in ("registration_number", "first_name", "last_name", "date_of_birth")}
"""Fields named as the CSV's header names them."""


@dataclass(frozen=True)
class CandidateRow:
    registration_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def parse_day(text: str, *, day_first: bool = True) -> date:
    """ISO, or (with ``day_first``) 03/04/2001, 03.04.2001 or 03-04-2001; ValueError otherwise."""
    text = text.strip()
    match = _DAY_FIRST.match(text) if day_first else None
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def check_candidate_row(
    values: dict[str, str], *, day_first: bool = False, labels: dict[str, str] | None = None
) -> tuple[CandidateRow | None, list[str]]:
    """(the row, []) or (None, every problem). ``values`` are the stripped cells by field."""
    label = labels or COLUMN_NAMES
    problems = []
    reg = values.get("registration_number", "")
    if not reg:
        problems.append(f"{label['registration_number']} is empty")
    elif not REG_PATTERN.match(reg):
        shown = reg if len(reg) <= 60 else reg[:60] + "…"
        problems.append(
            f"{label['registration_number']} {shown!r} is not a valid registration number "
            "(3 to 40 letters, digits, / or -)"
        )
    for name in ("first_name", "last_name"):
        if not values.get(name, ""):
            problems.append(f"{label[name]} is empty")
        elif len(values[name]) > MAX_NAME:
            problems.append(f"{label[name]} is longer than {MAX_NAME} characters")
    dob = None
    raw = values.get("date_of_birth", "")
    if raw:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        try:
            dob = parse_day(raw, day_first=day_first)
        except ValueError:
            form = "a date (2001-04-03 or 03/04/2001)" if day_first else "an ISO date (YYYY-MM-DD)"
            problems.append(f"{label['date_of_birth']} {shown!r} is not {form}")
        else:
            wrong = check_day(dob, first=FIRST_BIRTH, last=LAST_DAY)
            if wrong:
                problems.append(f"{label['date_of_birth']} {wrong}")
                dob = None
    if problems:
        return None, problems
    return CandidateRow(reg, values["first_name"], values["last_name"], dob), []
