"""Candidates: the register of people who sit assessments."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from invigilator_app.domain.arrangements import AccessArrangements
from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, InvigilatorError
from invigilator_app.services import bounds
from invigilator_app.services.admin.candidate_rows import CandidateRow, check_candidate_row
from invigilator_app.services.station import Station
from invigilator_app.store.models import Candidate

CSV_COLUMNS = ("registration_number", "first_name", "last_name", "date_of_birth")
REQUIRED = ("registration_number", "first_name", "last_name")
__all__ = ["CandidateRow", "CandidateView", "ImportResult", "import_candidates", "parse_candidates_csv"]


@dataclass(frozen=True)
class CandidateView:
    id: int
    registration_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    access_arrangements: str
    extra_time_percent: int
    rest_breaks: bool = False
    reader: str = ""
    scribe: str = ""
    separate_room: str = ""

    @property
    def arrangements(self) -> AccessArrangements:
        return AccessArrangements(
            self.extra_time_percent,
            self.rest_breaks,
            self.reader,
            self.scribe,
            self.separate_room,
            self.access_arrangements,
        )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class ImportResult:
    added: int
    unchanged: int


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


def parse_candidates_csv(text: str, source: str) -> list[CandidateRow]:
    """Parse the import format; every problem is reported with its line, nothing is partial."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(bounds.csv_rows(reader, source, lambda: reader.line_num))
    except StopIteration:
        raise BadInput(f"{source}: the file is empty; expected the header {','.join(CSV_COLUMNS)}.") from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [h for h in names if h not in CSV_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        raise BadInput(
            f"{source}, line 1: {'; '.join(parts)}. Expected the header {','.join(CSV_COLUMNS)} "
            "(date_of_birth may be left out)."
        )
    index = {name: i for i, name in enumerate(names)}
    rows: list[CandidateRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for values in bounds.csv_rows(reader, source, lambda: reader.line_num):
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            problems.append(f"{source}, line {line}: expected {len(names)} fields, found {len(values)}")
            continue
        field = {name: values[i].strip() for name, i in index.items()}
        row, line_problems = check_candidate_row(field)
        reg = field["registration_number"]
        if reg and reg.upper() in seen:
            line_problems.append(f"registration_number {reg} appears twice (also line {seen[reg.upper()]})")
        if line_problems:
            problems.extend(f"{source}, line {line}: {p}" for p in line_problems)
            continue
        assert row is not None
        seen[reg.upper()] = line
        rows.append(row)
    if problems:
        raise BadInput("\n".join([*problems, "Nothing was imported."]))
    return rows


def read_text_file(path: Path) -> str:
    try:
        bounds.check_size(path.stat().st_size, bounds.MAX_CSV_BYTES, str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: is not UTF-8 text (byte {exc.start}).") from None


IMPORT_BATCH = 1000
"""Rows per write transaction: about half a second of the write lock, so an import never
holds the store for long while the console is recording."""
_IN_CHUNK = 5000


def _registered(session: Session, regs: list[str]) -> dict[str, Candidate]:
    found: dict[str, Candidate] = {}
    for start in range(0, len(regs), _IN_CHUNK):
        chunk = [r.upper() for r in regs[start : start + _IN_CHUNK]]
        for c in session.scalars(select(Candidate).where(func.upper(Candidate.registration_number).in_(chunk))):
            found[c.registration_number.upper()] = c
    return found


def _conflicts(rows: list[CandidateRow], existing: dict[str, Candidate], source: str) -> list[str]:
    problems = []
    for row in rows:
        known = existing.get(row.registration_number.upper())
        if known is not None and (known.first_name, known.last_name) != (row.first_name, row.last_name):
            problems.append(
                f"{source}: registration number {row.registration_number} is already "
                f"registered to {known.full_name}, not {row.name}"
            )
    return problems


def import_candidates(station: Station, rows: list[CandidateRow], source: str) -> ImportResult:
    """Add every row, or none: a registration number already used by someone else is refused.

    Every row is checked against the register before anything is written. A large import
    is then written in batches of ``IMPORT_BATCH`` rows, one short transaction each, so the
    console can record between them; should a batch fail (a full disk), the message says
    how many were saved, and importing the same file again adds the rest (rows already
    registered are accepted unchanged)."""
    station.require(Role.COORDINATOR, action="import candidates")
    with station.read() as session:
        problems = _conflicts(rows, _registered(session, [r.registration_number for r in rows]), source)
    if problems:
        raise BadInput("\n".join([*problems, "Nothing was imported."]))
    added = unchanged = 0
    for start in range(0, len(rows), IMPORT_BATCH):
        batch = rows[start : start + IMPORT_BATCH]
        try:
            batch_added, batch_unchanged = _write_batch(station, batch, source)
        except InvigilatorError as exc:
            if start == 0:
                raise
            exc.message = (
                f"{exc.message}\n{source}: {added + unchanged} of {len(rows)} rows were saved before "
                "this; import the same file again to add the rest."
            )
            raise
        added += batch_added
        unchanged += batch_unchanged
    return ImportResult(added, unchanged)


def _write_batch(station: Station, batch: list[CandidateRow], source: str) -> tuple[int, int]:
    added = unchanged = 0
    with station.write() as session:
        existing = _registered(session, [r.registration_number for r in batch])
        problems = _conflicts(batch, existing, source)
        if problems:  # registered by someone else since the check above
            raise BadInput("\n".join(problems))
        for row in batch:
            known = existing.get(row.registration_number.upper())
            if known is None:
                session.add(
                    Candidate(
                        registration_number=row.registration_number,
                        first_name=row.first_name,
                        last_name=row.last_name,
                        date_of_birth=row.date_of_birth,
                    )
                )
                added += 1
            else:
                if row.date_of_birth and known.date_of_birth is None:
                    known.date_of_birth = row.date_of_birth
                unchanged += 1
    return added, unchanged


def import_candidates_file(station: Station, path: Path) -> ImportResult:
    rows = parse_candidates_csv(read_text_file(path), str(path))
    return import_candidates(station, rows, str(path))


def list_candidates(station: Station, search: str = "", limit: int = 500) -> list[CandidateView]:
    with station.read() as session:
        # Plain columns, not ORM objects: the planner lists thousands.
        query = select(
            Candidate.id,
            Candidate.registration_number,
            Candidate.first_name,
            Candidate.last_name,
            Candidate.date_of_birth,
            Candidate.access_arrangements,
            Candidate.extra_time_percent,
            Candidate.rest_breaks,
            Candidate.reader,
            Candidate.scribe,
            Candidate.separate_room,
        ).order_by(Candidate.last_name, Candidate.first_name)
        if search.strip():
            like = f"%{search.strip()}%"
            query = query.where(
                or_(
                    Candidate.registration_number.ilike(like),
                    Candidate.first_name.ilike(like),
                    Candidate.last_name.ilike(like),
                    (Candidate.first_name + " " + Candidate.last_name).ilike(like),
                )
            )
        return [CandidateView(*row) for row in session.execute(query.limit(limit))]


def candidate_choices(station: Station, limit: int = 5000) -> list[tuple[str, str]]:
    """(registration number, name) of each candidate, by surname: the planner's list to
    choose from, read as two plain columns (thousands of candidates)."""
    with station.read() as session:
        query = (
            select(Candidate.registration_number, Candidate.first_name, Candidate.last_name)
            .order_by(Candidate.last_name, Candidate.first_name)
            .limit(limit)
        )
        return [(number, f"{first} {last}") for number, first, last in session.execute(query)]


def count_candidates(station: Station) -> int:
    with station.read() as session:
        return int(session.scalar(select(func.count()).select_from(Candidate)) or 0)
