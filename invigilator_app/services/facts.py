"""Reading rule facts out of the store, so the pure rules can be checked against it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from invigilator_app.rules.clashes import booking_of
from invigilator_app.rules.facts import AttemptFact, BookingFact, InvigilatorFact, QualificationFact
from invigilator_app.rules.retakes import attempt_number
from invigilator_app.rules.standards import is_standard
from invigilator_app.store.models import Allocation, Assessment, Candidate, Qualification, Room, User
from invigilator_app.store.models import Session as SessionRow


def attempt_fact(alloc: Allocation) -> AttemptFact:
    candidate = alloc.candidate
    assessment = alloc.assessment
    return AttemptFact(
        key=str(alloc.id),
        registration_number=candidate.registration_number,
        candidate_name=candidate.full_name,
        assessment_id=assessment.code,
        qualification=assessment.qualification.number,
        start=alloc.started_at or alloc.planned_start_utc,
        room=alloc.session.room.name,
        session_id=alloc.session_id,
        finish=alloc.finished_at,
        actual_start=alloc.started_at,
        planned_minutes=assessment.planned_minutes,
        cancelled=alloc.cancelled,
        result=alloc.result,
        support_note=alloc.support_note,
        notice_date=alloc.notice_date,
        readiness_confirmed=alloc.readiness_confirmed,
        workstation=alloc.workstation_label,
        extra_time_percent=candidate.extra_time_percent,
        sat=sat(alloc.state, alloc.started_at),
    )


NOT_SAT = ("absent", "withdrawn", "cancelled")
"""Allocation states of an attempt that was never sat (CAND-9 does not count them)."""


def sat(state: str, started_at: datetime | None) -> bool | None:
    """True once started, False when the candidate never sat it, None while still to come."""
    if started_at is not None:
        return True
    if state in NOT_SAT:
        return False
    return None


HISTORY_REACH = timedelta(days=9)
"""Attempts this close to a planned start can matter to the day rules (CAND-3, CAND-6)."""


def history_for(
    session: Session,
    candidate_ids: Iterable[int],
    *,
    around: Sequence[datetime] = (),
    assessment_codes: Iterable[str] = (),
) -> list[AttemptFact]:
    """Stored attempts of these candidates, in any session or room.

    Without ``around`` every attempt is read. With it, only what the rules can need for
    attempts starting at those times: attempts within ``HISTORY_REACH`` of them (CAND-3,
    CAND-6) and every attempt at one of ``assessment_codes`` (CAND-7, CAND-8, CAND-9).
    One indexed query of plain columns (no ORM objects), close to the bare SQL.
    """
    ids = sorted(set(candidate_ids))
    if not ids:
        return []
    query = (
        select(
            Allocation.id,
            Candidate.registration_number,
            Candidate.first_name,
            Candidate.last_name,
            Assessment.code,
            Qualification.number,
            Allocation.started_at,
            Allocation.planned_start_utc,
            Room.name,
            Allocation.session_id,
            Allocation.finished_at,
            Assessment.planned_minutes,
            Allocation.cancelled,
            Allocation.result,
            Allocation.support_note,
            Allocation.notice_date,
            Allocation.readiness_confirmed,
            Allocation.workstation_label,
            Candidate.extra_time_percent,
            Allocation.state,
        )
        .join(Candidate, Candidate.id == Allocation.candidate_id)
        .join(Assessment, Assessment.id == Allocation.assessment_id)
        .join(Qualification, Qualification.id == Assessment.qualification_id)
        .join(SessionRow, SessionRow.id == Allocation.session_id)
        .join(Room, Room.id == SessionRow.room_id)
        .where(Allocation.candidate_id.in_(ids))
    )
    if around:
        windows = [
            Allocation.planned_start_utc.between(t - HISTORY_REACH, t + HISTORY_REACH) for t in sorted(set(around))
        ]
        query = query.where(or_(*windows, Assessment.code.in_(sorted(set(assessment_codes)))))
    return [
        AttemptFact(
            key=str(row[0]),
            registration_number=row[1],
            candidate_name=f"{row[2]} {row[3]}",
            assessment_id=row[4],
            qualification=row[5],
            start=row[6] or row[7],
            room=row[8],
            session_id=row[9],
            finish=row[10],
            actual_start=row[6],
            planned_minutes=row[11],
            cancelled=row[12],
            result=row[13],
            support_note=row[14],
            notice_date=row[15],
            readiness_confirmed=row[16],
            workstation=row[17],
            extra_time_percent=row[18],
            sat=sat(row[19], row[6]),
        )
        for row in session.execute(query)
    ]


def qualification_fact(q: Qualification) -> QualificationFact:
    return QualificationFact(
        number=q.number,
        title=q.title,
        retake_hours=q.retake_hours,
        apprenticeship_standard=q.apprenticeship_standard or is_standard(q.number),
        calculator_allowed=q.calculator_allowed,
        dictionary_allowed=q.dictionary_allowed,
        other_software_allowed=q.other_software_allowed,
    )


def all_qualifications(session: Session) -> dict[str, QualificationFact]:
    return {q.number: qualification_fact(q) for q in session.scalars(select(Qualification))}


def invigilator_fact(user: User) -> InvigilatorFact:
    return InvigilatorFact(
        name=user.name,
        imi_pin=user.imi_pin,
        assessor=user.assessor,
        impartial=user.impartial,
        nominated=user.nominated_by_id is not None,
        assessor_authorisation=user.assessor_authorisation,
    )


def room_by_name(session: Session, name: str) -> Room | None:
    return session.scalars(select(Room).where(Room.name == name)).first()


BOOKING_REACH = timedelta(days=1)
"""How long before a planned start another session may have begun and still overlap."""


def bookings_near(session: Session, start: datetime, finish: datetime) -> list[BookingFact]:
    """Every stored session that could overlap ``start``–``finish`` (CAND-11, ROOM-9, INV-5),
    as bookings: planned times, non-cancelled candidates and their workstations."""
    rows = session.execute(
        select(SessionRow.id, SessionRow.start_utc, Room.name, User.name)
        .join(Room, Room.id == SessionRow.room_id)
        .join(User, User.id == SessionRow.invigilator_id)
        .where(SessionRow.start_utc.between(start - BOOKING_REACH, finish))
    ).all()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    attempts: dict[int, list[AttemptFact]] = {i: [] for i in ids}
    for a in session.execute(
        select(
            Allocation.id,
            Allocation.session_id,
            Candidate.registration_number,
            Candidate.first_name,
            Candidate.last_name,
            Allocation.planned_start_utc,
            Assessment.planned_minutes,
            Candidate.extra_time_percent,
            Allocation.workstation_label,
        )
        .join(Candidate, Candidate.id == Allocation.candidate_id)
        .join(Assessment, Assessment.id == Allocation.assessment_id)
        .where(Allocation.session_id.in_(ids), Allocation.cancelled.is_(False))
    ):
        attempts[a[1]].append(
            AttemptFact(
                key=str(a[0]),
                registration_number=a[2],
                candidate_name=f"{a[3]} {a[4]}".strip(),
                assessment_id="",
                qualification="",
                start=a[5],
                planned_minutes=a[6],
                extra_time_percent=a[7],
                workstation=a[8],
            )
        )
    return [booking_of(r[0], r[2], r[1], r[3], attempts[r[0]]) for r in rows]


def renumber_later_attempts(session: Session, alloc: Allocation) -> None:
    """After an attempt turns out not to be sat (absent, withdrawn before starting,
    cancelled), the candidate's later attempts at the same assessment in sessions not yet
    closed are numbered again, so CAND-9 counts only attempts actually sat."""
    session.flush()
    later = session.scalars(
        select(Allocation)
        .join(SessionRow, SessionRow.id == Allocation.session_id)
        .where(
            Allocation.candidate_id == alloc.candidate_id,
            Allocation.assessment_id == alloc.assessment_id,
            Allocation.id != alloc.id,
            Allocation.cancelled.is_(False),
            Allocation.planned_start_utc > alloc.planned_start_utc,
            SessionRow.state.in_(("planned", "running")),
        )
    ).all()
    if not later:
        return
    history = history_for(session, [alloc.candidate_id])
    for other in later:
        number = attempt_number(attempt_fact(other), history)
        other.attempt_number, other.chargeable = number, number >= 3
