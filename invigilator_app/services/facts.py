"""Reading rule facts out of the store, so the pure rules can be checked against it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from invigilator_app.rules.facts import AttemptFact, InvigilatorFact, QualificationFact
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
    )


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
            Allocation.id, Candidate.registration_number, Candidate.first_name, Candidate.last_name,
            Assessment.code, Qualification.number, Allocation.started_at, Allocation.planned_start_utc,
            Room.name, Allocation.session_id, Allocation.finished_at, Assessment.planned_minutes,
            Allocation.cancelled, Allocation.result, Allocation.support_note, Allocation.notice_date,
            Allocation.readiness_confirmed,
        )
        .join(Candidate, Candidate.id == Allocation.candidate_id)
        .join(Assessment, Assessment.id == Allocation.assessment_id)
        .join(Qualification, Qualification.id == Assessment.qualification_id)
        .join(SessionRow, SessionRow.id == Allocation.session_id)
        .join(Room, Room.id == SessionRow.room_id)
        .where(Allocation.candidate_id.in_(ids))
    )
    if around:
        windows = [Allocation.planned_start_utc.between(t - HISTORY_REACH, t + HISTORY_REACH) for t in sorted(set(around))]
        query = query.where(or_(*windows, Assessment.code.in_(sorted(set(assessment_codes)))))
    return [
        AttemptFact(
            key=str(row[0]), registration_number=row[1], candidate_name=f"{row[2]} {row[3]}", assessment_id=row[4],
            qualification=row[5], start=row[6] or row[7], room=row[8], session_id=row[9], finish=row[10],
            actual_start=row[6], planned_minutes=row[11], cancelled=row[12], result=row[13],
            support_note=row[14], notice_date=row[15], readiness_confirmed=row[16],
        )
        for row in session.execute(query)
    ]


def qualification_fact(q: Qualification) -> QualificationFact:
    return QualificationFact(
        number=q.number,
        title=q.title,
        retake_hours=q.retake_hours,
        apprenticeship_standard=q.apprenticeship_standard,
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
