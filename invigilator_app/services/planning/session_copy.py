"""Copying a session to another date: the same room, invigilator, candidates, assessments
and seats, planned afresh through ``planning.plan_session`` so every rule is checked again."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.timezones import local
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator
from invigilator_app.services.planning.plans import (
    PlannedCandidate,
    PlanRequest,
    PlanResult,
    plan_session,
)
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, Assessment


def copy_request(station: Station, session_id: int, day: date, start: time | None = None) -> PlanRequest:
    """The plan a copy would make. Notice dates are not copied: candidates need notice of
    the new date (CAND-4); readiness (CAND-5) and support notes (CAND-8) are kept."""
    with station.read() as session:
        row = get_session_row(session, session_id)
        allocs = session.scalars(
            select(Allocation)
            .where(Allocation.session_id == session_id, Allocation.cancelled.is_(False))
            .options(
                joinedload(Allocation.candidate), joinedload(Allocation.assessment).joinedload(Assessment.qualification)
            )
            .order_by(Allocation.id)
        ).all()
        if not allocs:
            raise BadInput(f"Session {session_id} has no candidates to copy.")
        inv = row.invigilator
        return PlanRequest(
            day=day,
            start=start or local(row.start_utc, station.zone).time().replace(second=0, microsecond=0),
            room=row.room.name,
            invigilator=PlannedInvigilator(inv.name, inv.imi_pin, inv.assessor, inv.impartial),
            candidates=tuple(
                PlannedCandidate(
                    registration_number=a.candidate.registration_number,
                    assessment_id=a.assessment.code,
                    qualification=a.assessment.qualification.number,
                    workstation=a.workstation_label,
                    support_note=a.support_note,
                    readiness_confirmed=a.readiness_confirmed,
                    path=f"{a.candidate.registration_number}",
                )
                for a in allocs
            ),
        )


def copy_session(station: Station, session_id: int, day: date, start: time | None = None) -> PlanResult:
    """A new planned session like ``session_id`` on ``day`` (at the same time unless
    ``start`` is given), checked against every rule; blocks raise RuleRefused."""
    station.require(Role.COORDINATOR, action="plan sessions")
    return plan_session(station, copy_request(station, session_id, day, start), f"copy of session {session_id}")
