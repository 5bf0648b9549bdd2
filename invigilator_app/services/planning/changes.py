"""Changing a planned session: every change is checked against the rules before it is
written (issue: rules on every write). A block refuses the change; warnings are returned
and recorded as acknowledged; an assessor needs a coordinator's authorisation (INV-2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from invigilator_app.domain.enums import AllocationState, IncidentType, Role, SessionState, Severity
from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.domain.timezones import to_utc
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.clashes import plan_booking
from invigilator_app.rules.facts import AttemptFact, PlanFact, WorkstationFact
from invigilator_app.rules.plan import blocking, check_plan, needs_authorisation
from invigilator_app.rules.retakes import attempt_number
from invigilator_app.rules.room import check_room_layout
from invigilator_app.services import facts
from invigilator_app.services.admin.catalogue import ensure_assessment, ensure_qualification
from invigilator_app.services.console.sessions import get_session_row, session_for_write
from invigilator_app.services.planning.plans import PlannedCandidate
from invigilator_app.services.station import Station
from invigilator_app.store.models import (
    Allocation,
    Assessment,
    Candidate,
    LogEntry,
    RuleAcknowledgement,
    User,
    Workstation,
)
from invigilator_app.store.models import Session as SessionRow

EDITABLE = (SessionState.PLANNED.value,)


def _editable(row: SessionRow) -> None:
    if row.state not in EDITABLE:
        raise BadInput(
            f"Session {row.id} is {row.state.replace('_', ' ')}: only a planned session can be changed; "
            "corrections after the event are amendments."
        )


def _allocations(session: Session, session_id: int) -> list[Allocation]:
    return list(
        session.scalars(
            select(Allocation)
            .where(Allocation.session_id == session_id, Allocation.cancelled.is_(False))
            .options(
                joinedload(Allocation.candidate), joinedload(Allocation.assessment).joinedload(Assessment.qualification)
            )
        )
    )


def check_session(
    session: Session,
    station: Station,
    row: SessionRow,
    attempts: Sequence[AttemptFact],
    invigilator: User | None = None,
    extra_candidates: Sequence[int] = (),
) -> list[Violation]:
    """All rule violations of a session as it would be after a change."""
    ids = [a.candidate_id for a in _allocations(session, row.id)] + list(extra_candidates)
    history = facts.history_for(
        session,
        ids,
        around=sorted({a.start for a in attempts} | {row.start_utc}),
        assessment_codes=[a.assessment_id for a in attempts],
    )
    plan = PlanFact(
        session_id=row.id,
        start=min((a.start for a in attempts), default=row.start_utc),
        room=row.room.name,
        invigilator=facts.invigilator_fact(invigilator or row.invigilator),
        workstations=tuple(
            WorkstationFact(w.label, w.x, w.y, w.screen, w.privacy_filter) for w in row.room.workstations
        ),
        attempts=tuple(attempts),
        qualifications=facts.all_qualifications(session),
    )
    booking = plan_booking(plan)
    others = facts.bookings_near(session, booking.start, booking.finish)
    return check_plan(plan, history, station.zone, station.now(), others=others)


def _enforce(session: Session, station: Station, row: SessionRow, violations: list[Violation]) -> list[Violation]:
    refused = blocking(violations) + needs_authorisation(violations)
    if refused:
        raise RuleRefused(refused)
    warnings = [v for v in violations if v.severity is Severity.WARN]
    known = {
        (a.rule_id, a.message)
        for a in session.scalars(select(RuleAcknowledgement).where(RuleAcknowledgement.session_id == row.id))
    }
    for v in warnings:
        if (v.rule_id, v.message) not in known:
            session.add(
                RuleAcknowledgement(
                    session_id=row.id,
                    rule_id=v.rule_id,
                    severity=v.severity.value,
                    message=v.message,
                    acknowledged_by_id=station.actor.id,
                    at=station.now(),
                )
            )
    return warnings


def reschedule_session(station: Station, session_id: int, day: date, start: time) -> list[Violation]:
    """Move a planned session to another date or time (CAND-3, CAND-7 … re-checked)."""
    station.require(Role.COORDINATOR, action="change sessions")
    new_start = to_utc(day, start, station.zone)
    with station.write() as session:
        row = get_session_row(session, session_id)
        _editable(row)
        allocs = _allocations(session, session_id)
        attempts = [replace(facts.attempt_fact(a), start=new_start) for a in allocs]
        warnings = _enforce(session, station, row, check_session(session, station, row, attempts))
        row.start_utc = new_start
        for a in allocs:
            a.planned_start_utc = new_start
        return warnings


def change_invigilator(station: Station, session_id: int, name: str) -> list[Violation]:
    """Give a planned session another invigilator (INV-2, INV-3, INV-4 re-checked)."""
    station.require(Role.COORDINATOR, action="change sessions")
    with station.write() as session:
        row = get_session_row(session, session_id)
        _editable(row)
        user = session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()
        if user is None or user.role == Role.INSPECTOR.value:
            raise BadInput(f"{name} is not a known invigilator.")
        attempts = [facts.attempt_fact(a) for a in _allocations(session, session_id)]
        warnings = _enforce(session, station, row, check_session(session, station, row, attempts, user))
        row.invigilator = user
        return warnings


def move_candidate(station: Station, session_id: int, registration_number: str, workstation: str) -> None:
    """Re-seat one candidate at a free workstation of the session's room. Once the session
    has started, the move is logged with both seats, so the record shows where they sat."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="re-seat candidates")
    with station.write() as session:
        row = session_for_write(station, session, session_id)
        if row.state not in (SessionState.PLANNED.value, SessionState.RUNNING.value):
            raise BadInput(f"Session {session_id} is {row.state.replace('_', ' ')}; seats can no longer change.")
        allocs = _allocations(session, session_id)
        labels = {w.label for w in row.room.workstations}
        if workstation not in labels:
            raise BadInput(f"{workstation} is not a workstation in {row.room.name}.")
        taken = {a.workstation_label: a for a in allocs}
        mover = next(
            (a for a in allocs if a.candidate.registration_number.upper() == registration_number.upper()), None
        )
        if mover is None:
            raise BadInput(f"{registration_number} is not allocated to session {session_id}.")
        other = taken.get(workstation)
        if other is not None and other is not mover:
            raise BadInput(f"{workstation} is taken by {other.candidate.full_name}.")
        if row.state == SessionState.PLANNED.value and mover.workstation_label != workstation:
            attempts = [
                replace(facts.attempt_fact(a), workstation=workstation) if a is mover else facts.attempt_fact(a)
                for a in allocs
            ]
            _enforce(session, station, row, check_session(session, station, row, attempts))
        if row.state == SessionState.RUNNING.value and mover.workstation_label != workstation:
            entry = LogEntry(
                session_id=session_id,
                type=IncidentType.OTHER.value,
                at=station.now(),
                note=f"Re-seated from {mover.workstation_label} to {workstation}",
                recorded_by_id=station.actor.id,
                recorded_at=station.now(),
            )
            entry.candidates.append(mover.candidate)
            session.add(entry)
        mover.workstation_label = workstation


def cancel_allocation(station: Station, session_id: int, registration_number: str) -> None:
    """Cancel one candidate's place; a cancelled allocation no longer counts for CAND-3."""
    station.require(Role.COORDINATOR, action="change sessions")
    with station.write() as session:
        row = get_session_row(session, session_id)
        _editable(row)
        alloc = next(
            (
                a
                for a in _allocations(session, session_id)
                if a.candidate.registration_number.upper() == registration_number.upper()
            ),
            None,
        )
        if alloc is None:
            raise BadInput(f"{registration_number} is not allocated to session {session_id}.")
        alloc.cancelled = True
        alloc.state = AllocationState.CANCELLED.value
        facts.renumber_later_attempts(session, alloc)


def change_room_layout(
    station: Station, room_name: str, layout: Sequence[WorkstationFact], *, desk: tuple[float, float] | None = None
) -> None:
    """Replace a room's layout after the ROOM-1 check; seats in use cannot disappear.
    ``desk``, when given, moves the invigilator's desk in the same transaction."""
    station.require(Role.COORDINATOR, action="change room layouts")
    blocks = blocking(check_room_layout(layout))
    if blocks:
        raise RuleRefused(blocks)
    with station.write() as session:
        room = facts.room_by_name(session, room_name)
        if room is None:
            raise BadInput(f"There is no room called {room_name}.")
        wanted = {w.label for w in layout}
        in_use = session.scalars(
            select(Allocation.workstation_label)
            .join(SessionRow)
            .where(
                SessionRow.room_id == room.id,
                SessionRow.state == SessionState.PLANNED.value,
                Allocation.cancelled.is_(False),
            )
        ).all()
        missing = sorted(set(in_use) - wanted)
        if missing:
            raise BadInput(
                f"Planned sessions still use {', '.join(missing)} in {room.name}; re-seat those candidates first."
            )
        existing = {w.label: w for w in room.workstations}
        for fact in layout:
            w = existing.get(fact.label)
            if w is None:
                room.workstations.append(
                    Workstation(
                        label=fact.label, x=fact.x, y=fact.y, screen=fact.screen, privacy_filter=fact.privacy_filter
                    )
                )
            else:
                w.x, w.y, w.screen, w.privacy_filter = fact.x, fact.y, fact.screen, fact.privacy_filter
        for label, w in existing.items():
            if label not in wanted:
                room.workstations.remove(w)
        if desk is not None:
            room.desk_x, room.desk_y = desk


def authorise_assessor(station: Station, name: str, reason: str) -> None:
    """INV-2: the coordinator records why an assessor may invigilate (shown on the record)."""
    station.require(Role.COORDINATOR, action="authorise assessors to invigilate")
    if len(reason.strip()) < 10:
        raise BadInput("Give the exceptional circumstances in a sentence (at least 10 characters).")
    with station.write() as session:
        user = session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()
        if user is None:
            raise BadInput(f"{name} is not a known user.")
        if not user.assessor:
            raise BadInput(f"{user.name} is not declared an assessor; no authorisation is needed.")
        user.assessor_authorisation = reason.strip()
        user.authorised_by_id = station.actor.id
        user.authorised_at = station.now()


def add_candidate(station: Station, session_id: int, candidate: PlannedCandidate) -> list[Violation]:
    """Add one candidate to a planned session, after every rule check for the whole session."""
    station.require(Role.COORDINATOR, action="change sessions")
    with station.write() as session:
        row = get_session_row(session, session_id)
        _editable(row)
        allocs = _allocations(session, session_id)
        person = session.scalars(
            select(Candidate).where(func.upper(Candidate.registration_number) == candidate.registration_number.upper())
        ).first()
        if person is None:
            raise BadInput(f"{candidate.registration_number} is not a registered candidate.")
        if any(a.candidate_id == person.id for a in allocs):
            raise BadInput(f"{person.full_name} is already in session {session_id}.")
        if candidate.workstation not in {w.label for w in row.room.workstations}:
            raise BadInput(f"{candidate.workstation} is not a workstation in {row.room.name}.")
        taken = {a.workstation_label: a.candidate.full_name for a in allocs}
        if candidate.workstation in taken:
            raise BadInput(f"{candidate.workstation} is taken by {taken[candidate.workstation]}.")
        qualification = ensure_qualification(session, candidate.qualification)
        assessment = ensure_assessment(
            session,
            candidate.assessment_id,
            qualification,
            title=candidate.assessment_title,
            planned_minutes=candidate.planned_minutes,
            where=candidate.registration_number,
        )
        new = AttemptFact(
            key="new",
            registration_number=person.registration_number,
            candidate_name=person.full_name,
            assessment_id=assessment.code,
            qualification=qualification.number,
            start=row.start_utc,
            room=row.room.name,
            planned_minutes=assessment.planned_minutes,
            support_note=candidate.support_note,
            notice_date=candidate.notice_date,
            readiness_confirmed=candidate.readiness_confirmed,
            workstation=candidate.workstation,
            extra_time_percent=person.extra_time_percent,
        )
        attempts = [facts.attempt_fact(a) for a in allocs] + [new]
        violations = check_session(session, station, row, attempts, extra_candidates=[person.id])
        warnings = _enforce(session, station, row, violations)
        history = facts.history_for(session, [person.id])
        number = attempt_number(new, [*history, new])
        session.add(
            Allocation(
                session_id=row.id,
                candidate_id=person.id,
                assessment_id=assessment.id,
                workstation_label=candidate.workstation,
                planned_start_utc=row.start_utc,
                notice_date=candidate.notice_date,
                readiness_confirmed=candidate.readiness_confirmed,
                support_note=candidate.support_note,
                attempt_number=number,
                chargeable=number >= 3,
            )
        )
        return warnings


def change_room(station: Station, session_id: int, room_name: str) -> list[Violation]:
    """Move a planned session to another room; every seat must exist there (ROOM-1 re-checked)."""
    station.require(Role.COORDINATOR, action="change sessions")
    with station.write() as session:
        row = get_session_row(session, session_id)
        _editable(row)
        room = facts.room_by_name(session, room_name)
        if room is None:
            raise BadInput(f"There is no room called {room_name}.")
        allocs = _allocations(session, session_id)
        labels = {w.label for w in room.workstations}
        missing = sorted({a.workstation_label for a in allocs} - labels)
        if missing:
            raise BadInput(f"{room.name} has no workstation {', '.join(missing)}; re-seat those candidates first.")
        row.room = room
        attempts = [replace(facts.attempt_fact(a), room=room.name) for a in allocs]
        return _enforce(session, station, row, check_session(session, station, row, attempts))
