"""Candidates one at a time (with access arrangements and extra time), and the import of
a centre system's spreadsheet export with a preview before anything is written.

The spreadsheet may be comma or semicolon separated, UTF-8 (with or without BOM) or
Windows-1252, with its header names in any case and order. Columns are mapped to the
register's fields by name (the preview lets the coordinator change the map). Dates are
ISO (2001-04-03) or day first (03/04/2001, 03.04.2001, 03-04-2001), as UK systems
export them. The import itself is ``candidates.import_candidates``: all rows or none.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role, SessionState
from invigilator_app.domain.errors import BadInput, NotFound
from invigilator_app.services import bounds
from invigilator_app.services.admin.candidate_rows import REG_PATTERN, CandidateRow, check_candidate_row
from invigilator_app.services.admin.candidate_rows import parse_day as _parse_day
from invigilator_app.services.admin.candidates import (
    CandidateView,
    ImportResult,
    import_candidates,
)
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, Candidate
from invigilator_app.store.models import Session as SessionRow

FIELDS = ("registration_number", "first_name", "last_name", "date_of_birth")
REQUIRED = ("registration_number", "first_name", "last_name")
FIELD_LABELS = {
    "registration_number": "Registration number",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
}
SYNONYMS = {
    "registration_number": {
        "registrationnumber",
        "registrationno",
        "regno",
        "regnumber",
        "imiregistrationnumber",
        "imiregno",
        "imiregistration",
        "registration",
        "candidateregistrationnumber",
        "reg",
    },
    "first_name": {"firstname", "forename", "forenames", "givenname", "givennames", "first", "given"},
    "last_name": {"lastname", "surname", "familyname", "last", "family"},
    "date_of_birth": {"dateofbirth", "dob", "birthdate", "birthday", "dateofbirthddmmyyyy"},
}
MAX_ARRANGEMENTS = 500


@dataclass(frozen=True)
class CandidateInput:
    registration_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    access_arrangements: str = ""
    """Other arrangements, as a note."""
    extra_time_percent: int = 0
    rest_breaks: bool = False
    reader: str = ""
    scribe: str = ""
    separate_room: str = ""


@dataclass(frozen=True)
class Spreadsheet:
    """A decoded spreadsheet export: the header and every data row with its line number."""

    source: str
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class PreviewRow:
    line: int
    values: dict[str, str]
    """The mapped cells, by field name."""
    status: str
    """"new", "unchanged" (already registered, same name) or "bad"."""
    problems: list[str] = field(default_factory=list)
    row: CandidateRow | None = None


@dataclass(frozen=True)
class ImportPreview:
    source: str
    column_map: dict[str, int | None]
    rows: list[PreviewRow]

    @property
    def bad(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.status == "bad"]

    @property
    def good(self) -> list[CandidateRow]:
        return [r.row for r in self.rows if r.row is not None and r.status != "bad"]

    def problem_lines(self) -> list[str]:
        return [f"{self.source}, line {r.line}: {p}" for r in self.bad for p in r.problems]


def _view(c: Candidate) -> CandidateView:
    return CandidateView(
        c.id,
        c.registration_number,
        c.first_name,
        c.last_name,
        c.date_of_birth,
        c.access_arrangements,
        c.extra_time_percent,
        c.rest_breaks,
        c.reader,
        c.scribe,
        c.separate_room,
    )


def _check_input(wanted: CandidateInput) -> CandidateInput:
    reg = wanted.registration_number.strip()
    problems = []
    if not REG_PATTERN.match(reg):
        problems.append(
            f"{reg or 'The registration number'!s} is not a valid registration number (3 to 40 letters, digits, / or -)"
        )
    first, last = wanted.first_name.strip(), wanted.last_name.strip()
    if not first or not last:
        problems.append("First and last name are both needed.")
    if len(first) > 100 or len(last) > 100:
        problems.append("Names have at most 100 characters.")
    if not 0 <= wanted.extra_time_percent <= 100:
        problems.append("Extra time is a percentage from 0 to 100.")
    if len(wanted.access_arrangements) > MAX_ARRANGEMENTS:
        problems.append(f"Access arrangements have at most {MAX_ARRANGEMENTS} characters.")
    for what, text in (("reader", wanted.reader), ("scribe", wanted.scribe), ("separate room", wanted.separate_room)):
        if len(text.strip()) > 120:
            problems.append(f"The {what} has at most 120 characters.")
    if problems:
        raise BadInput("\n".join(problems))
    return CandidateInput(
        reg,
        first,
        last,
        wanted.date_of_birth,
        wanted.access_arrangements.strip(),
        wanted.extra_time_percent,
        bool(wanted.rest_breaks),
        wanted.reader.strip(),
        wanted.scribe.strip(),
        wanted.separate_room.strip(),
    )


def _same_reg(session: Session, reg: str) -> Candidate | None:
    return session.scalars(select(Candidate).where(func.upper(Candidate.registration_number) == reg.upper())).first()


def get_candidate(station: Station, candidate_id: int) -> CandidateView:
    with station.read() as session:
        found = session.get(Candidate, candidate_id)
        if found is None:
            raise NotFound(f"There is no candidate {candidate_id}.")
        return _view(found)


def add_candidate(station: Station, wanted: CandidateInput) -> CandidateView:
    """Register one candidate; a registration number already used is refused."""
    station.require(Role.COORDINATOR, action="add candidates")
    wanted = _check_input(wanted)
    with station.write() as session:
        other = _same_reg(session, wanted.registration_number)
        if other is not None:
            raise BadInput(
                f"Registration number {wanted.registration_number} is already registered to {other.full_name}."
            )
        row = Candidate(**wanted.__dict__)
        session.add(row)
        session.flush()
        return _view(row)


def edit_candidate(station: Station, candidate_id: int, wanted: CandidateInput) -> CandidateView:
    """Change a candidate's details. The registration number cannot change once a session
    that is no longer planned shows it (correct such records with an amendment)."""
    station.require(Role.COORDINATOR, action="edit candidates")
    wanted = _check_input(wanted)
    with station.write() as session:
        row = session.get(Candidate, candidate_id)
        if row is None:
            raise NotFound(f"There is no candidate {candidate_id}.")
        if wanted.registration_number != row.registration_number:
            other = _same_reg(session, wanted.registration_number)
            if other is not None and other.id != row.id:
                raise BadInput(
                    f"Registration number {wanted.registration_number} is already registered to {other.full_name}."
                )
            used = session.scalar(
                select(func.count())
                .select_from(Allocation)
                .join(SessionRow)
                .where(Allocation.candidate_id == row.id, SessionRow.state != SessionState.PLANNED.value)
            )
            if used:
                raise BadInput(
                    f"{row.full_name}'s registration number is on {used} session record(s) already; "
                    "it cannot be changed here."
                )
        for name, value in wanted.__dict__.items():
            setattr(row, name, value)
        session.flush()
        return _view(row)


def decode_spreadsheet(data: bytes, source: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise BadInput(f"{source}: is neither UTF-8 nor Windows-1252 text (byte {exc.start}).") from None


def sniff_delimiter(text: str) -> str:
    """ "," or ";", whichever splits the header line into more fields (commas on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in (",", ";")}
    return ";" if counts[";"] > counts[","] else ","


def read_spreadsheet(data: bytes, source: str) -> Spreadsheet:
    text, encoding = decode_spreadsheet(data, source)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    checked = bounds.csv_rows(reader, source, lambda: reader.line_num)
    headers = [h.strip() for h in next(checked, [])]
    if not any(headers):
        raise BadInput(f"{source}: the file is empty; the first line must name the columns.")
    rows = [(reader.line_num, values) for values in checked if any(v.strip() for v in values)]
    return Spreadsheet(source, encoding, delimiter, headers, rows)


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def guess_column_map(headers: list[str]) -> dict[str, int | None]:
    """Field -> column index, by header name in any case, spacing or punctuation."""
    found: dict[str, int | None] = dict.fromkeys(FIELDS)
    for i, header in enumerate(headers):
        key = _normal(header)
        for name in FIELDS:
            if found[name] is None and (key == _normal(name) or key in SYNONYMS[name]):
                found[name] = i
                break
    return found


def parse_day(text: str) -> date:
    """ISO or day-first date; ValueError when it is neither."""
    return _parse_day(text, day_first=True)


_LABELS = {name: label.lower() for name, label in FIELD_LABELS.items()}


def _check_row(values: dict[str, str]) -> tuple[CandidateRow | None, list[str]]:
    return check_candidate_row(values, day_first=True, labels=_LABELS)


def preview_import(
    station: Station, sheet: Spreadsheet, column_map: dict[str, int | None] | None = None
) -> ImportPreview:
    """Every row mapped and checked, against the file and the register; nothing is written."""
    station.require(Role.COORDINATOR, action="import candidates")
    mapping = dict(column_map) if column_map is not None else guess_column_map(sheet.headers)
    missing = [FIELD_LABELS[f] for f in REQUIRED if mapping.get(f) is None]
    if missing:
        raise BadInput(f"{sheet.source}: choose the column(s) for {', '.join(missing)}.")
    checked: list[tuple[int, dict[str, str], CandidateRow | None, list[str]]] = []
    seen: dict[str, int] = {}
    for line, cells in sheet.rows:
        values = {f: (cells[i].strip() if (i := mapping.get(f)) is not None and i < len(cells) else "") for f in FIELDS}
        row, problems = _check_row(values)
        if len(cells) != len(sheet.headers):
            problems.append(f"expected {len(sheet.headers)} fields, found {len(cells)}")
            row = None
        reg = values["registration_number"].upper()
        if reg and reg in seen:
            problems.append(
                f"registration number {values['registration_number']} appears twice (also line {seen[reg]})"
            )
            row = None
        elif reg:
            seen[reg] = line
        checked.append((line, values, row, problems))
    with station.read() as session:
        known = {
            c.registration_number.upper(): c
            for c in session.scalars(select(Candidate).where(func.upper(Candidate.registration_number).in_(list(seen))))
        }
    rows = []
    for line, values, row, problems in checked:
        status = "new"
        registered = known.get(values["registration_number"].upper())
        if registered is not None and row is not None:
            if (registered.first_name, registered.last_name) == (row.first_name, row.last_name):
                status = "unchanged"
            else:
                problems.append(
                    f"registration number {row.registration_number} is already registered to "
                    f"{registered.full_name}, not {row.name}"
                )
        if problems:
            status = "bad"
        rows.append(PreviewRow(line, values, status, problems, row))
    return ImportPreview(sheet.source, mapping, rows)


def import_previewed(station: Station, preview: ImportPreview) -> ImportResult:
    """Write a previewed import: refused whole while any row is bad."""
    if preview.bad:
        raise BadInput("\n".join([*preview.problem_lines(), "Nothing was imported."]))
    if not preview.good:
        raise BadInput(f"{preview.source}: there are no candidates to import.")
    return import_candidates(station, preview.good, preview.source)
