"""Reading rule facts out of the store, so the pure rules can be checked against it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from invigilator_app.rules.facts import AttemptFact, InvigilatorFact, QualificationFact
from invigilator_app.store.models import Allocation, Assessment, Qualification, Room, User
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


def history_for(session: Session, candidate_ids: Iterable[int]) -> list[AttemptFact]:
    """Every stored attempt of these candidates, in any session or room (indexed by candidate)."""
    ids = sorted(set(candidate_ids))
    if not ids:
        return []
    rows = session.scalars(
        select(Allocation)
        .where(Allocation.candidate_id.in_(ids))
        .options(
            joinedload(Allocation.candidate),
            joinedload(Allocation.assessment).joinedload(Assessment.qualification),
            joinedload(Allocation.session).joinedload(SessionRow.room),
        )
    ).all()
    return [attempt_fact(a) for a in rows]


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
