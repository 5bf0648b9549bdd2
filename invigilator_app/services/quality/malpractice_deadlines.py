"""The deadlines of each malpractice report (003): the awarding body is told immediately —
by the day the centre learnt of it (the first log entry the report was drafted from) — and
its records may be purged only once the investigation is closed and its five-year hold
has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotFound
from invigilator_app.domain.timezones import local
from invigilator_app.rules.deadlines import describe_days, due_state
from invigilator_app.services.quality.actions import today
from invigilator_app.services.station import Station
from invigilator_app.store.models import (
    LogEntry,
    MalpracticeReport,
    MalpracticeReportEntry,
)


@dataclass(frozen=True)
class MalpracticeDeadline:
    report_id: int
    tell_by: date
    notified_on: date | None
    reference: str
    state: str
    """overdue, due soon, open or done (told)."""
    when: str
    purge: str
    """When its records may be purged: "held: under investigation" or "not before …"."""
    session_ids: list[int]


def list_deadlines(station: Station) -> list[MalpracticeDeadline]:
    """Every report, those still to be told first."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="read malpractice reports")
    now = today(station)
    out: list[MalpracticeDeadline] = []
    with station.read() as session:
        first = dict(
            session.execute(
                select(MalpracticeReportEntry.report_id, func.min(LogEntry.at))
                .join(LogEntry, LogEntry.id == MalpracticeReportEntry.entry_id)
                .group_by(MalpracticeReportEntry.report_id)
            ).all()
        )
        sessions: dict[int, set[int]] = {}
        for report_id, session_id in session.execute(
            select(MalpracticeReportEntry.report_id, LogEntry.session_id).join(
                LogEntry, LogEntry.id == MalpracticeReportEntry.entry_id
            )
        ):
            sessions.setdefault(report_id, set()).add(session_id)
        for r in session.scalars(select(MalpracticeReport).order_by(MalpracticeReport.id)):
            tell_by = local(first.get(r.id) or r.created_at, station.zone).date()
            told = r.notified_on is not None
            state = due_state(tell_by, now, done=told)
            when = f"told {r.notified_on:%d %b %Y}" if r.notified_on else describe_days(tell_by, now)
            if r.under_investigation:
                purge = "held: under investigation"
            elif r.retain_until is not None and r.retain_until >= now:
                purge = f"not before {r.retain_until:%d %b %Y}"
            else:
                purge = "no longer held by this report"
            out.append(
                MalpracticeDeadline(
                    r.id,
                    tell_by,
                    r.notified_on,
                    r.notification_reference,
                    state,
                    when,
                    purge,
                    sorted(sessions.get(r.id, set())),
                )
            )
    rank = {"overdue": 0, "due soon": 1, "open": 2, "done": 3}
    return sorted(out, key=lambda d: (rank[d.state], d.tell_by, d.report_id))


def record_notified(station: Station, report_id: int, on: date, reference: str) -> MalpracticeDeadline:
    """The awarding body was told on this day, with their reference (or the email's)."""
    station.require(Role.COORDINATOR, action="edit a malpractice report")
    if on > today(station):
        raise BadInput(f"Told on: {on:%d %b %Y} is in the future.")
    if not reference.strip():
        raise BadInput("Reference: give the awarding body's reference or the email it was sent in.")
    with station.write() as session:
        report = session.get(MalpracticeReport, report_id)
        if report is None:
            raise NotFound(f"There is no malpractice report {report_id}.")
        report.notified_on = on
        report.notification_reference = reference.strip()[:120]
    return next(d for d in list_deadlines(station) if d.report_id == report_id)
