"""Recording a result can break a rule too: a fail makes CAND-7 and CAND-8 apply to any
retake of the same assessment that is already planned. Such a result is refused until
the retake is moved, given a support note, or cancelled; nothing else is written."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from invigilator_app.domain.enums import AllocationState, Result
from invigilator_app.domain.errors import RuleRefused
from invigilator_app.rules.plan import blocking
from invigilator_app.rules.retakes import check_retake_interval, check_support_note
from invigilator_app.services import facts
from invigilator_app.store.models import Allocation, Assessment


def check_result(session: Session, alloc: Allocation, result: str, zone: str) -> None:
    """Refuse a fail that would put an already planned retake in breach of CAND-7 or CAND-8."""
    if result != Result.FAIL.value:
        return
    later = session.scalars(
        select(Allocation)
        .where(
            Allocation.candidate_id == alloc.candidate_id,
            Allocation.assessment_id == alloc.assessment_id,
            Allocation.id != alloc.id,
            Allocation.cancelled.is_(False),
            Allocation.state == AllocationState.EXPECTED.value,
            Allocation.planned_start_utc > (alloc.started_at or alloc.planned_start_utc),
        )
        .options(
            joinedload(Allocation.candidate), joinedload(Allocation.assessment).joinedload(Assessment.qualification)
        )
    ).all()
    if not later:
        return
    failed = replace(facts.attempt_fact(alloc), result=result, finish=alloc.finished_at)
    planned = [facts.attempt_fact(a) for a in later]
    qualifications = facts.all_qualifications(session)
    found = blocking(
        check_retake_interval(planned, [failed], qualifications, zone) + check_support_note(planned, [failed], zone)
    )
    if found:
        raise RuleRefused(found)
