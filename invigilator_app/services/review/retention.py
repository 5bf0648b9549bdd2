"""Retention: signed-off records older than the retention period (6 years unless the
coordinator sets another) may be purged by the coordinator. Never a session linked to a
malpractice report under investigation or inside its five-year hold (003), nor one named by
an open complaint or appeal (004).

A purge deletes the session with its allocations, entries, identity checks, checklist,
acknowledgements, amendments, reviews and clock pauses through the ORM, so every deleted
row is chained in the audit trail, and notes the purge in ``store_meta`` (``last_purge``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role, SessionState
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.timezones import local, to_utc
from invigilator_app.services.quality.complaints import held_by_complaints
from invigilator_app.services.review import amendments
from invigilator_app.services.review.malpractice import held_session_ids, years_after
from invigilator_app.services.station import Station
from invigilator_app.store.models import (
    Allocation,
    Amendment,
    AuditCheckpoint,
    ChecklistAnswer,
    ClockPause,
    ClockPauseAllocation,
    IdentityCheck,
    LogEntry,
    LogEntryCandidate,
    MalpracticeReportEntry,
    Meta,
    RuleAcknowledgement,
    SessionReview,
)
from invigilator_app.store.models import Session as SessionRow

YEARS_KEY = "retention_years"
LAST_PURGE_KEY = "last_purge"
DEFAULT_YEARS = 6
MIN_YEARS, MAX_YEARS = 1, 50


@dataclass(frozen=True)
class PurgePlan:
    cutoff: date
    """Signed-off sessions that started before this day (centre time) are past retention."""
    eligible: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    """Past retention but kept: linked to an investigation (003) or named by an open
    complaint or appeal (004)."""


def _years(session: Session) -> int:
    row = session.get(Meta, YEARS_KEY)
    try:
        return int(row.value) if row else DEFAULT_YEARS
    except ValueError:
        return DEFAULT_YEARS


def retention_years(station: Station) -> int:
    with station.read() as session:
        return _years(session)


def set_retention_years(station: Station, years: int) -> None:
    station.require(Role.COORDINATOR, action="set the retention period")
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise BadInput(f"The retention period is {MIN_YEARS} to {MAX_YEARS} years, not {years}.")
    with station.write() as session:
        row = session.get(Meta, YEARS_KEY)
        if row is None:
            session.add(Meta(key=YEARS_KEY, value=str(years)))
        else:
            row.value = str(years)


def _plan(station: Station, session: Session) -> PurgePlan:
    today = local(station.now(), station.zone).date()
    cutoff = years_after(today, -_years(session))
    old = list(
        session.scalars(
            select(SessionRow.id)
            .where(
                SessionRow.state == SessionState.SIGNED_OFF.value,
                SessionRow.start_utc < to_utc(cutoff, time(0, 0), station.zone),
            )
            .order_by(SessionRow.start_utc, SessionRow.id)
        )
    )
    held = held_session_ids(session, today) | held_by_complaints(session)
    return PurgePlan(cutoff, [s for s in old if s not in held], [s for s in old if s in held])


def purge_plan(station: Station) -> PurgePlan:
    """What a purge would delete now, and what it must keep."""
    station.require(Role.COORDINATOR, action="purge old records")
    with station.read() as session:
        return _plan(station, session)


def _delete_all(session: Session, rows: Any) -> None:
    for row in rows:
        session.delete(row)
    session.flush()


def _purge_session(session: Session, session_id: int) -> None:
    entry_ids = list(session.scalars(select(LogEntry.id).where(LogEntry.session_id == session_id)))
    alloc_ids = list(session.scalars(select(Allocation.id).where(Allocation.session_id == session_id)))
    pause_ids = list(session.scalars(select(ClockPause.id).where(ClockPause.session_id == session_id)))
    _delete_all(
        session,
        session.scalars(
            select(ClockPauseAllocation).where(
                ClockPauseAllocation.pause_id.in_(pause_ids) | ClockPauseAllocation.allocation_id.in_(alloc_ids)
            )
        ),
    )
    _delete_all(session, session.scalars(select(ClockPause).where(ClockPause.session_id == session_id)))
    _delete_all(
        session, session.scalars(select(MalpracticeReportEntry).where(MalpracticeReportEntry.entry_id.in_(entry_ids)))
    )
    _delete_all(session, session.scalars(select(LogEntryCandidate).where(LogEntryCandidate.entry_id.in_(entry_ids))))
    _delete_all(session, session.scalars(select(LogEntry).where(LogEntry.session_id == session_id)))
    _delete_all(session, session.scalars(select(IdentityCheck).where(IdentityCheck.allocation_id.in_(alloc_ids))))
    _delete_all(session, session.scalars(select(Allocation).where(Allocation.session_id == session_id)))
    for model in (ChecklistAnswer, RuleAcknowledgement, Amendment, SessionReview):
        _delete_all(session, session.scalars(select(model).where(model.session_id == session_id)))
    for checkpoint in session.scalars(select(AuditCheckpoint).where(AuditCheckpoint.session_id == session_id)):
        checkpoint.session_id = None
    row = session.get(SessionRow, session_id)
    if row is not None:
        session.delete(row)
    session.flush()


def purge_expired(station: Station) -> PurgePlan:
    """Delete signed-off sessions past retention (never those held by an investigation).
    Returns what was purged and what was kept."""
    station.require(Role.COORDINATOR, action="purge old records")
    with station.write() as session:
        plan = _plan(station, session)
        # The closed-record guard (services.amendments) refuses deletes of signed-off rows;
        # a purge past retention is permitted explicitly, for exactly these sessions.
        with amendments.permit_purge(session, plan.eligible):
            for session_id in plan.eligible:
                _purge_session(session, session_id)
        note = {
            "at": station.now().isoformat(timespec="seconds"),
            "by": station.actor.name,
            "cutoff": plan.cutoff.isoformat(),
            "sessions": plan.eligible,
            "held": plan.held,
        }
        row = session.get(Meta, LAST_PURGE_KEY)
        if row is None:
            session.add(Meta(key=LAST_PURGE_KEY, value=json.dumps(note)))
        else:
            row.value = json.dumps(note)
    return plan
