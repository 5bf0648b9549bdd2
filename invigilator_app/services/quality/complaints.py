"""The complaints and appeals register (004): when it came and when the incident was, whom
and which sessions it is about, the stage it is at and the outcome. The 90-day and 6-month
windows are computed from the incident; the sessions it names are held from the retention
purge while it is open (as records under investigation are, 003)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotFound
from invigilator_app.rules.deadlines import (
    complaint_windows,
    describe_days,
    escalation_days_left,
)
from invigilator_app.services.quality.actions import today
from invigilator_app.services.station import Station
from invigilator_app.store.models import Candidate
from invigilator_app.store.models import Session as SessionRow
from invigilator_app.store.quality_models import Complaint, ComplaintSession

STAGES = {"centre": "the centre's own process", "awarding_body": "escalated to the awarding body", "appeal": "appeal"}


@dataclass(frozen=True)
class ComplaintInput:
    received_on: date
    incident_on: date
    summary: str
    complainant: str = ""
    about_person: str = ""
    registration_number: str = ""
    session_ids: tuple[int, ...] = ()
    stage: str = "centre"


@dataclass(frozen=True)
class ComplaintView:
    id: int
    received_on: date
    incident_on: date
    complainant: str
    about: str
    session_ids: list[int]
    stage: str
    summary: str
    outcome: str
    closed_on: date | None
    prompt_until: date
    last_day: date
    standing: str
    """As received: within 90 days, late (discretion), or out of time."""
    last_day_note: str = field(default="")
    """While open: days left until the 6-month limit."""

    @property
    def open(self) -> bool:
        return self.closed_on is None


def _view(station: Station, session: Session, row: Complaint) -> ComplaintView:
    windows = complaint_windows(row.incident_on, row.received_on)
    ids = list(
        session.scalars(
            select(ComplaintSession.session_id)
            .where(ComplaintSession.complaint_id == row.id)
            .order_by(ComplaintSession.session_id)
        )
    )
    about = [row.about_person] if row.about_person else []
    if row.candidate is not None:
        about.append(f"{row.candidate.full_name} ({row.candidate.registration_number})")
    note = ""
    if row.closed_on is None:
        left = escalation_days_left(row.incident_on, today(station))
        note = (
            "6-month limit passed" if left < 0 else f"6-month limit: {describe_days(windows.last_day, today(station))}"
        )
    return ComplaintView(
        id=row.id,
        received_on=row.received_on,
        incident_on=row.incident_on,
        complainant=row.complainant,
        about="; ".join(about),
        session_ids=ids,
        stage=row.stage,
        summary=row.summary,
        outcome=row.outcome,
        closed_on=row.closed_on,
        prompt_until=windows.prompt_until,
        last_day=windows.last_day,
        standing=windows.standing,
        last_day_note=note,
    )


def _check(station: Station, wanted: ComplaintInput) -> None:
    if wanted.incident_on > wanted.received_on:
        raise BadInput(
            f"Incident date: {wanted.incident_on:%d %b %Y} is after the complaint was received "
            f"({wanted.received_on:%d %b %Y})."
        )
    if wanted.received_on > today(station):
        raise BadInput(f"Received on: {wanted.received_on:%d %b %Y} is in the future.")
    if not wanted.summary.strip():
        raise BadInput("Summary: say what the complaint is about.")
    if wanted.stage not in STAGES:
        raise BadInput(f"Stage: {wanted.stage!r} is not one of {', '.join(STAGES)}.")


def _candidate_id(session: Session, registration: str) -> int | None:
    if not registration.strip():
        return None
    reg = registration.strip().upper()
    cand = session.scalars(select(Candidate).where(func.upper(Candidate.registration_number) == reg)).first()
    if cand is None:
        raise NotFound(f"Candidate: there is no candidate {reg}.")
    return cand.id


def _complaint(session: Session, complaint_id: int) -> Complaint:
    row = session.get(Complaint, complaint_id)
    if row is None:
        raise NotFound(f"There is no complaint {complaint_id}.")
    return row


def record_complaint(station: Station, wanted: ComplaintInput) -> ComplaintView:
    station.require(Role.COORDINATOR, action="record complaints")
    _check(station, wanted)
    with station.write() as session:
        row = Complaint(
            received_on=wanted.received_on,
            incident_on=wanted.incident_on,
            complainant=wanted.complainant.strip(),
            about_person=wanted.about_person.strip(),
            candidate_id=_candidate_id(session, wanted.registration_number),
            stage=wanted.stage,
            summary=wanted.summary.strip(),
            created_by_id=station.actor.id,
            created_at=station.now(),
        )
        session.add(row)
        session.flush()
        for session_id in sorted(set(wanted.session_ids)):
            if session.get(SessionRow, session_id) is None:
                raise NotFound(f"Sessions: there is no session {session_id}.")
            session.add(ComplaintSession(complaint_id=row.id, session_id=session_id))
        session.flush()
        return _view(station, session, row)


def update_complaint(
    station: Station,
    complaint_id: int,
    *,
    stage: str | None = None,
    outcome: str | None = None,
    closed_on: date | None = None,
    reopen: bool = False,
) -> ComplaintView:
    """Move it to another stage, record the outcome, close it (the hold on its sessions
    ends) or reopen it."""
    station.require(Role.COORDINATOR, action="record complaints")
    if stage is not None and stage not in STAGES:
        raise BadInput(f"Stage: {stage!r} is not one of {', '.join(STAGES)}.")
    with station.write() as session:
        row = _complaint(session, complaint_id)
        if stage is not None:
            row.stage = stage
        if outcome is not None:
            row.outcome = outcome.strip()
        if closed_on is not None:
            if closed_on < row.received_on:
                raise BadInput(f"Closed on: {closed_on:%d %b %Y} is before it was received.")
            if closed_on > today(station):
                raise BadInput(f"Closed on: {closed_on:%d %b %Y} is in the future.")
            if not row.outcome:
                raise BadInput(f"Complaint {complaint_id}: record the outcome before closing it.")
            row.closed_on = closed_on
        if reopen:
            row.closed_on = None
        session.flush()
        return _view(station, session, row)


def list_complaints(station: Station, *, open_only: bool = False) -> list[ComplaintView]:
    """Open ones first, newest first within each."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="view the quality file")
    with station.read() as session:
        query = select(Complaint).order_by(
            Complaint.closed_on.is_not(None), Complaint.received_on.desc(), Complaint.id.desc()
        )
        if open_only:
            query = query.where(Complaint.closed_on.is_(None))
        return [_view(station, session, r) for r in session.scalars(query)]


def held_by_complaints(session: Session) -> set[int]:
    """Sessions named by an open complaint: the retention purge keeps them."""
    return set(
        session.scalars(
            select(ComplaintSession.session_id)
            .join(Complaint, Complaint.id == ComplaintSession.complaint_id)
            .where(Complaint.closed_on.is_(None))
        )
    )
