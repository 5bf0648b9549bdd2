"""The catalogue: qualifications and assessments, with retake intervals (CAND-7), the
apprenticeship-standard flag (INV-3), allowed aids (ROOM-5, ROOM-6) and planned durations.

The CSV import has one row per assessment (or per qualification, with no assessment):
``qualification_number,qualification_title,retake_hours,apprenticeship_standard,
calculator_allowed,dictionary_allowed,other_software_allowed,assessment_id,
assessment_title,planned_minutes``. Only ``qualification_number`` is required; an empty
cell leaves what is stored as it is. All rows or none; every problem names its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.rules.facts import QualificationFact
from invigilator_app.services.admin.candidates import read_text_file
from invigilator_app.services.admin.catalogue import ensure_qualification, two_hour_list
from invigilator_app.services.station import Station
from invigilator_app.store.models import Assessment, Qualification

FLAGS = ("apprenticeship_standard", "calculator_allowed", "dictionary_allowed", "other_software_allowed")
CSV_COLUMNS = (
    "qualification_number",
    "qualification_title",
    "retake_hours",
    *FLAGS,
    "assessment_id",
    "assessment_title",
    "planned_minutes",
)
TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class QualificationView:
    id: int
    number: str
    title: str
    retake_hours: int
    apprenticeship_standard: bool
    calculator_allowed: bool
    dictionary_allowed: bool
    other_software_allowed: bool
    on_two_hour_list: bool
    assessments: int


@dataclass(frozen=True)
class AssessmentView:
    id: int
    code: str
    title: str
    qualification: str
    planned_minutes: int | None


QualificationInput = QualificationFact
"""A qualification as the coordinator enters it: the rules' own fact (one definition)."""


@dataclass(frozen=True)
class CatalogueRow:
    """One CSV line; None means "leave as stored" (or the default for a new entry)."""

    line: int
    qualification_number: str
    qualification_title: str | None = None
    retake_hours: int | None = None
    apprenticeship_standard: bool | None = None
    calculator_allowed: bool | None = None
    dictionary_allowed: bool | None = None
    other_software_allowed: bool | None = None
    assessment_id: str = ""
    assessment_title: str | None = None
    planned_minutes: int | None = None


@dataclass(frozen=True)
class CatalogueImportResult:
    qualifications_added: int
    qualifications_updated: int
    assessments_added: int
    assessments_updated: int


def _qualification_view(q: Qualification, count: int, listed: dict[str, str]) -> QualificationView:
    return QualificationView(
        q.id,
        q.number,
        q.title,
        q.retake_hours,
        q.apprenticeship_standard,
        q.calculator_allowed,
        q.dictionary_allowed,
        q.other_software_allowed,
        q.number in listed,
        count,
    )


def list_qualifications(station: Station, search: str = "") -> list[QualificationView]:
    with station.read() as session:
        per_qualification = select(Assessment.qualification_id, func.count()).group_by(Assessment.qualification_id)
        counts = dict(session.execute(per_qualification).all())
        query = select(Qualification).order_by(Qualification.number)
        if search.strip():
            like = f"%{search.strip()}%"
            query = query.where(Qualification.number.ilike(like) | Qualification.title.ilike(like))
        listed = two_hour_list()
        return [_qualification_view(q, int(counts.get(q.id, 0)), listed) for q in session.scalars(query)]


def list_assessments(station: Station, qualification: str | None = None) -> list[AssessmentView]:
    with station.read() as session:
        query = select(Assessment, Qualification.number).join(Qualification).order_by(Assessment.code)
        if qualification is not None:
            query = query.where(Qualification.number == qualification)
        return [
            AssessmentView(a.id, a.code, a.title, number, a.planned_minutes) for a, number in session.execute(query)
        ]


def preload_two_hour_list(station: Station) -> int:
    """Add every qualification on the shipped 2-hour list (001) not yet in the catalogue."""
    station.require(Role.COORDINATOR, action="change the catalogue")
    listed = two_hour_list()
    with station.read() as session:
        known = set(session.scalars(select(Qualification.number)))
    missing = sorted(set(listed) - known)
    if not missing:
        return 0
    with station.write() as session:
        for number in missing:
            ensure_qualification(session, number)
    return len(missing)


def _check_qualification(q: QualificationInput) -> None:
    if not q.number.strip():
        raise BadInput("A qualification needs its number, e.g. 601/8928/9.")
    if len(q.number.strip()) > 40 or len(q.title) > 300:
        raise BadInput("A qualification number has at most 40 characters and a title at most 300.")
    if not 0 <= q.retake_hours <= 24 * 365:
        raise BadInput(f"{q.number}: the retake interval is a number of hours from 0 to 8760 (CAND-7).")


def save_qualification(station: Station, wanted: QualificationInput) -> QualificationView:
    """Add the qualification, or change the one with this number."""
    station.require(Role.COORDINATOR, action="change the catalogue")
    _check_qualification(wanted)
    with station.write() as session:
        q = session.scalars(select(Qualification).where(Qualification.number == wanted.number.strip())).first()
        if q is None:
            q = Qualification(number=wanted.number.strip())
            session.add(q)
        q.title = wanted.title.strip()
        q.retake_hours = wanted.retake_hours
        for flag in FLAGS:
            setattr(q, flag, getattr(wanted, flag))
        session.flush()
        count = session.scalar(select(func.count()).select_from(Assessment).where(Assessment.qualification_id == q.id))
        return _qualification_view(q, int(count or 0), two_hour_list())


def save_assessment(
    station: Station, code: str, qualification: str, title: str = "", planned_minutes: int | None = None
) -> AssessmentView:
    """Add the assessment, or change its title and planned duration; it stays in its qualification."""
    station.require(Role.COORDINATOR, action="change the catalogue")
    code, title = code.strip(), title.strip()
    if not code or len(code) > 60:
        raise BadInput("An assessment needs its id (at most 60 characters), e.g. MOT4-ONL-02.")
    if planned_minutes is not None and not 1 <= planned_minutes <= 24 * 60:
        raise BadInput(f"{code}: the planned duration is a number of minutes from 1 to 1440.")
    with station.write() as session:
        q = session.scalars(select(Qualification).where(Qualification.number == qualification.strip())).first()
        if q is None:
            raise BadInput(f"{code}: add qualification {qualification} to the catalogue first.")
        a = session.scalars(select(Assessment).where(Assessment.code == code)).first()
        if a is None:
            a = Assessment(code=code, qualification=q)
            session.add(a)
        elif a.qualification_id != q.id:
            raise BadInput(f"Assessment {code} belongs to qualification {a.qualification.number}, not {q.number}.")
        a.title = title
        a.planned_minutes = planned_minutes
        session.flush()
        return AssessmentView(a.id, a.code, a.title, q.number, a.planned_minutes)


def _flag(text: str, column: str, problems: list[str]) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    problems.append(f"{column} {text!r} is not yes or no")
    return None


def _whole(text: str, column: str, low: int, high: int, problems: list[str]) -> int | None:
    if not text.strip():
        return None
    try:
        value = int(text.strip())
    except ValueError:
        problems.append(f"{column} {text!r} is not a whole number")
        return None
    if not low <= value <= high:
        problems.append(f"{column} {value} is not between {low} and {high}")
        return None
    return value


def parse_catalogue_csv(text: str, source: str) -> list[CatalogueRow]:
    """Every problem with its line, or the rows; nothing is written."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if "qualification_number" not in header or unknown:
        raise BadInput(
            f"{source}, line 1: expected the header {','.join(CSV_COLUMNS)} (any order; only "
            "qualification_number is required)" + (f"; unknown column(s) {', '.join(unknown)}" if unknown else "")
        )
    rows: list[CatalogueRow] = []
    problems: list[str] = []
    owner: dict[str, tuple[str, int]] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(f"{source}, line {line}: expected {len(header)} fields, found {len(values)}")
            continue
        cell = dict(zip(header, values, strict=True))
        found: list[str] = []
        number = cell["qualification_number"].strip()
        if not number:
            found.append("qualification_number is empty")
        code = cell.get("assessment_id", "").strip()
        if code and code in owner and owner[code][0] != number:
            found.append(f"assessment {code} is also listed under {owner[code][0]} (line {owner[code][1]})")
        row = CatalogueRow(
            line=line,
            qualification_number=number,
            qualification_title=cell.get("qualification_title", "").strip() or None,
            retake_hours=_whole(cell.get("retake_hours", ""), "retake_hours", 0, 24 * 365, found),
            assessment_id=code,
            assessment_title=cell.get("assessment_title", "").strip() or None,
            planned_minutes=_whole(cell.get("planned_minutes", ""), "planned_minutes", 1, 24 * 60, found),
        )
        flag = {f: _flag(cell.get(f, ""), f, found) for f in FLAGS}
        row = replace(
            row,
            apprenticeship_standard=flag["apprenticeship_standard"],
            calculator_allowed=flag["calculator_allowed"],
            dictionary_allowed=flag["dictionary_allowed"],
            other_software_allowed=flag["other_software_allowed"],
        )
        if len(number) > 40 or len(code) > 60:
            found.append("qualification_number has at most 40 characters and assessment_id at most 60")
        if found:
            problems.extend(f"{source}, line {line}: {p}" for p in found)
            continue
        if code:
            owner[code] = (number, line)
        rows.append(row)
    if problems:
        raise BadInput("\n".join([*problems, "Nothing was imported."]))
    return rows


def import_catalogue(station: Station, rows: list[CatalogueRow], source: str) -> CatalogueImportResult:
    """Add or update every row, or none (an assessment may not move to another qualification)."""
    station.require(Role.COORDINATOR, action="change the catalogue")
    q_added: set[str] = set()
    q_updated: set[str] = set()
    a_added = a_updated = 0
    with station.write() as session:
        problems = []
        for row in rows:
            q = session.scalars(select(Qualification).where(Qualification.number == row.qualification_number)).first()
            if q is None:
                q = ensure_qualification(session, row.qualification_number)
                q_added.add(q.number)
            changed = False
            for attr, value in (
                ("title", row.qualification_title),
                ("retake_hours", row.retake_hours),
                *((f, getattr(row, f)) for f in FLAGS),
            ):
                if value is not None and getattr(q, attr) != value:
                    setattr(q, attr, value)
                    changed = True
            if changed and q.number not in q_added:
                q_updated.add(q.number)
            if not row.assessment_id:
                continue
            a = session.scalars(select(Assessment).where(Assessment.code == row.assessment_id)).first()
            if a is None:
                session.add(
                    Assessment(
                        code=row.assessment_id,
                        qualification=q,
                        title=row.assessment_title or "",
                        planned_minutes=row.planned_minutes,
                    )
                )
                session.flush()
                a_added += 1
                continue
            if a.qualification_id != q.id:
                problems.append(
                    f"{source}, line {row.line}: assessment {a.code} belongs to qualification "
                    f"{a.qualification.number}, not {q.number}"
                )
                continue
            before = (a.title, a.planned_minutes)
            a.title = row.assessment_title if row.assessment_title is not None else a.title
            a.planned_minutes = row.planned_minutes if row.planned_minutes is not None else a.planned_minutes
            a_updated += (a.title, a.planned_minutes) != before
        if problems:
            raise BadInput("\n".join([*problems, "Nothing was imported."]))
    return CatalogueImportResult(len(q_added), len(q_updated), a_added, a_updated)


def import_catalogue_file(station: Station, path: Path) -> CatalogueImportResult:
    return import_catalogue(station, parse_catalogue_csv(read_text_file(path), str(path)), str(path))
