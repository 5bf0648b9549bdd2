"""Planning a remotely invigilated session (seed 002): the invigilator watches from a room
at the centre; each candidate sits at their own location instead of a workstation.

Every rule about candidates and the invigilator is checked as for a room (``plans``: the
same shared check); the room's layout rules are not, since no candidate sits in it. Each
candidate needs a location, and no two share one (rules.remote)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.domain.timezones import to_utc
from invigilator_app.rules.plan import blocking, needs_authorisation
from invigilator_app.rules.remote import check_locations
from invigilator_app.rules.retakes import attempt_number
from invigilator_app.services import facts
from invigilator_app.services.jsonfile import raise_problems
from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator, invigilator_for_plan
from invigilator_app.services.planning.plans import (
    PlannedCandidate,
    PlanResult,
    _rule_check,
    acknowledge_warnings,
    seat_candidates,
)
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, Candidate
from invigilator_app.store.models import Session as SessionRow

LOCATION_MAX = 200


@dataclass(frozen=True)
class RemoteCandidate:
    candidate: PlannedCandidate
    """Who and which assessment (its ``workstation`` is left empty)."""
    location: str
    """Where they sit the assessment, e.g. "home, 14 Mill Lane, Leeds"."""


@dataclass(frozen=True)
class RemotePlanRequest:
    day: date
    start: time
    room: str
    """The centre's room the invigilator watches from (a known room)."""
    invigilator: PlannedInvigilator
    candidates: tuple[RemoteCandidate, ...]


def plan_remote_session(station: Station, request: RemotePlanRequest, source: str = "remote plan") -> PlanResult:
    station.require(Role.COORDINATOR, action="plan sessions")
    if not request.candidates:
        raise BadInput(f"{source}: a remote session needs at least one candidate.")
    problems = check_locations([(c.candidate.registration_number, c.location) for c in request.candidates])
    problems += [
        f"{c.candidate.registration_number}: keep the location under {LOCATION_MAX} characters"
        for c in request.candidates
        if len(c.location) > LOCATION_MAX
    ]
    raise_problems(source, problems)
    start_utc = to_utc(request.day, request.start, station.zone)
    planned = [c.candidate for c in request.candidates]
    with station.write() as session:
        room = facts.room_by_name(session, request.room)
        if room is None:
            raise BadInput(
                f"{source}: room {request.room!r} is not a known room (the room the invigilator watches from)."
            )
        regs = [c.registration_number.upper() for c in planned]
        found = {
            c.registration_number.upper(): c
            for c in session.scalars(select(Candidate).where(func.upper(Candidate.registration_number).in_(regs)))
        }
        unknown = [c.registration_number for c in planned if c.registration_number.upper() not in found]
        if unknown:
            raise BadInput(f"{source}: not registered candidates: {', '.join(unknown)}")
        invigilator = invigilator_for_plan(session, station, request.invigilator, source)
        seated, assessments = seat_candidates(session, planned, found, lambda c: f"{source}: {c.registration_number}")
        violations, history, attempts = _rule_check(
            session,
            station,
            start_utc,
            room.name,
            (),
            facts.invigilator_fact(invigilator),
            seated,
            facts.all_qualifications(session),
        )
        refused = blocking(violations) + needs_authorisation(violations)
        if refused:
            raise RuleRefused(refused)
        now = station.now()
        row = SessionRow(
            room=room,
            invigilator=invigilator,
            start_utc=start_utc,
            state="planned",
            created_by_id=station.actor.id,
            created_at=now,
            remote=True,
        )
        session.add(row)
        session.flush()
        merged = history + list(attempts)
        for s, remote, assessment, attempt in zip(seated, request.candidates, assessments, attempts, strict=True):
            number = attempt_number(attempt, merged)
            c = s.request
            session.add(
                Allocation(
                    session_id=row.id,
                    candidate_id=s.candidate.id,
                    assessment_id=assessment.id,
                    workstation_label="",
                    location=" ".join(remote.location.split()),
                    planned_start_utc=start_utc,
                    notice_date=c.notice_date,
                    readiness_confirmed=c.readiness_confirmed,
                    support_note=c.support_note,
                    attempt_number=number,
                    chargeable=number >= 3,
                )
            )
        return PlanResult(row.id, acknowledge_warnings(session, station, row.id, violations, now))
