"""Malpractice / maladministration reports (003): a draft from log entries with what the
store already knows, edited by the coordinator, exported as a PDF once complete.

A report starts under investigation; its records are kept for at least five years
(``retain_until``), and retention never purges a session linked to a report that is
still under investigation or inside that period."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.malpractice import (
    RETAIN_YEARS,
    Learner,
    MalpracticeEntry,
    MalpracticeFields,
    MalpracticeReportView,
    missing_fields,
)
from invigilator_app.domain.timefmt import when_text
from invigilator_app.domain.timezones import local
from invigilator_app.reports.malpractice_pdf import render_malpractice
from invigilator_app.services.console.sessions import label_of
from invigilator_app.services.files import write_atomically
from invigilator_app.services.station import Station
from invigilator_app.store.models import (
    Allocation,
    Assessment,
    Centre,
    LogEntry,
    MalpracticeReport,
    MalpracticeReportEntry,
    User,
)
from invigilator_app.store.models import Session as SessionRow


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _entries(session: Session, report_id: int) -> list[LogEntry]:
    return list(
        session.scalars(
            select(LogEntry)
            .join(MalpracticeReportEntry, MalpracticeReportEntry.entry_id == LogEntry.id)
            .where(MalpracticeReportEntry.report_id == report_id)
            .options(selectinload(LogEntry.candidates))
            .order_by(LogEntry.at, LogEntry.id)
        )
    )


def _view(station: Station, session: Session, report: MalpracticeReport) -> MalpracticeReportView:
    zone = station.zone
    by = session.get(User, report.created_by_id) if report.created_by_id else None
    return MalpracticeReportView(
        id=report.id,
        status=report.status,
        created_at=when_text(report.created_at, zone),
        created_by=by.name if by else "",
        under_investigation=report.under_investigation,
        retain_until=report.retain_until.isoformat() if report.retain_until else "",
        fields=MalpracticeFields.from_json(json.loads(report.fields_json or "{}")),
        entries=[
            MalpracticeEntry(
                id=e.id,
                session_id=e.session_id,
                at=when_text(e.at, zone),
                type_label=label_of(e.type),
                candidates=", ".join(f"{c.full_name} ({c.registration_number})" for c in e.candidates),
                note=e.note,
            )
            for e in _entries(session, report.id)
        ],
    )


def _report(session: Session, report_id: int) -> MalpracticeReport:
    report = session.get(MalpracticeReport, report_id)
    if report is None:
        raise BadInput(f"There is no malpractice report {report_id}.")
    return report


def _prefill(station: Station, session: Session, entries: list[LogEntry]) -> MalpracticeFields:
    zone = station.zone
    centre = session.scalars(select(Centre)).one()
    learners: dict[str, Learner] = {}
    products: list[str] = []
    staff: list[str] = []
    for e in entries:
        for c in e.candidates:
            learners.setdefault(
                c.registration_number,
                Learner(c.full_name, c.date_of_birth.isoformat() if c.date_of_birth else "", c.registration_number),
            )
            for alloc in session.scalars(
                select(Allocation)
                .where(Allocation.session_id == e.session_id, Allocation.candidate_id == c.id)
                .options(joinedload(Allocation.assessment).joinedload(Assessment.qualification))
            ):
                a = alloc.assessment
                text = f"{a.code} {a.title} (qualification {a.qualification.number})".replace("  ", " ")
                if text not in products:
                    products.append(text)
        row = session.get(SessionRow, e.session_id)
        if row is not None:
            who = f"{row.invigilator.name}, invigilator (IMI PIN {row.invigilator.imi_pin or 'not recorded'})"
            if who not in staff:
                staff.append(who)
    nature = "\n".join(f"{label_of(e.type)}: {e.note}".rstrip(": ") for e in entries)
    dates = ", ".join(sorted({when_text(e.at, zone) for e in entries}))
    return MalpracticeFields(
        nature=nature,
        dates=dates,
        product="; ".join(products),
        centre_name=centre.name,
        centre_address=centre.address,
        centre_number=centre.number,
        learners=tuple(learners.values()),
        centre_staff="; ".join(staff),
        reporter=f"{station.actor.name}, centre coordinator",
    )


def draft_report(station: Station, entry_ids: list[int]) -> MalpracticeReportView:
    """A new report from one or more log entries, filled in from the store where it can be."""
    station.require(Role.COORDINATOR, action="draft a malpractice report")
    wanted = sorted(set(entry_ids))
    if not wanted:
        raise BadInput("Choose at least one log entry to report.")
    with station.write() as session:
        entries = list(
            session.scalars(
                select(LogEntry)
                .where(LogEntry.id.in_(wanted))
                .options(selectinload(LogEntry.candidates))
                .order_by(LogEntry.at, LogEntry.id)
            )
        )
        unknown = set(wanted) - {e.id for e in entries}
        if unknown:
            raise BadInput(f"There is no log entry {', '.join(str(i) for i in sorted(unknown))}.")
        now = station.now()
        report = MalpracticeReport(
            created_by_id=station.actor.id,
            created_at=now,
            status="draft",
            fields_json=json.dumps(_prefill(station, session, entries).to_json(), ensure_ascii=False),
            under_investigation=True,
            retain_until=years_after(local(now, station.zone).date(), RETAIN_YEARS),
        )
        session.add(report)
        session.flush()
        for e in entries:
            session.add(MalpracticeReportEntry(report_id=report.id, entry_id=e.id))
        session.flush()
        return _view(station, session, report)


def get_report(station: Station, report_id: int) -> MalpracticeReportView:
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="read malpractice reports")
    with station.read() as session:
        return _view(station, session, _report(session, report_id))


def list_reports(station: Station) -> list[MalpracticeReportView]:
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="read malpractice reports")
    with station.read() as session:
        rows = session.scalars(select(MalpracticeReport).order_by(MalpracticeReport.id.desc())).all()
        return [_view(station, session, r) for r in rows]


def update_report(station: Station, report_id: int, values: MalpracticeFields) -> MalpracticeReportView:
    """Replace the report's fields (the coordinator's edits); returns it with what is missing."""
    station.require(Role.COORDINATOR, action="edit a malpractice report")
    with station.write() as session:
        report = _report(session, report_id)
        report.fields_json = json.dumps(values.to_json(), ensure_ascii=False)
        session.flush()
        return _view(station, session, report)


def close_investigation(station: Station, report_id: int) -> MalpracticeReportView:
    """The investigation is over: records are still kept five years from today at least."""
    station.require(Role.COORDINATOR, action="close an investigation")
    with station.write() as session:
        report = _report(session, report_id)
        report.under_investigation = False
        keep = years_after(local(station.now(), station.zone).date(), RETAIN_YEARS)
        report.retain_until = max(report.retain_until or keep, keep)
        session.flush()
        return _view(station, session, report)


def report_pdf(station: Station, report_id: int, *, allow_missing: bool = False) -> bytes:
    """The report as a PDF; refused (naming each) while fields are missing unless allowed."""
    view = get_report(station, report_id)
    missing = missing_fields(view.fields)
    if missing and not allow_missing:
        raise BadInput(f"Malpractice report {report_id} is missing: " + "; ".join(missing) + ".")
    with station.read() as session:
        centre = session.scalars(select(Centre)).one()
        label = f"{centre.name} ({centre.number})"
    return render_malpractice(view, label, when_text(station.now(), station.zone))


def export_report(station: Station, report_id: int, out: Path, *, allow_missing: bool = False) -> Path:
    station.require(Role.COORDINATOR, action="export a malpractice report")
    write_atomically(out, report_pdf(station, report_id, allow_missing=allow_missing))
    with station.write() as session:
        report = _report(session, report_id)
        if report.status == "draft":
            report.status = "exported"
    return out


def held_session_ids(session: Session, today: date) -> set[int]:
    """Sessions that retention must keep: linked to a report under investigation or
    inside its retention period."""
    rows = session.execute(
        select(LogEntry.session_id)
        .join(MalpracticeReportEntry, MalpracticeReportEntry.entry_id == LogEntry.id)
        .join(MalpracticeReport, MalpracticeReport.id == MalpracticeReportEntry.report_id)
        .where(
            (MalpracticeReport.under_investigation.is_(True))
            | (MalpracticeReport.retain_until.is_(None))
            | (MalpracticeReport.retain_until >= today)
        )
    ).scalars()
    return set(rows)
