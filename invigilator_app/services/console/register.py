"""The register of a session: present, absent, late (with the arrival time), withdrawn and
transferred (to which session, and why), for the console, the record and register.csv."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import AllocationState, IncidentType, Role, SessionState
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.timezones import local
from invigilator_app.rules.transitions import allocation_problem, allocation_target
from invigilator_app.services.console.sessions import get_session_row, hhmm, session_for_write
from invigilator_app.services.facts import renumber_later_attempts
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, Candidate, LogEntry
from invigilator_app.store.models import Session as SessionRow


def _allocation(session: Session, session_id: int, registration_number: str) -> Allocation:
    alloc = session.scalars(
        select(Allocation)
        .join(Candidate)
        .where(
            Allocation.session_id == session_id,
            Allocation.cancelled.is_(False),
            func.upper(Candidate.registration_number) == registration_number.upper(),
        )
    ).first()
    if alloc is None:
        raise BadInput(f"{registration_number} is not allocated to session {session_id}.")
    return alloc


def _allowed(alloc: Allocation, action: str) -> None:
    problem = allocation_problem(action, alloc.state, alloc.candidate.full_name)
    if problem:
        raise BadInput(problem[0].upper() + problem[1:] + ".")


def mark_late(station: Station, session_id: int, registration_number: str, note: str = "") -> None:
    """A candidate arrived late: the arrival time goes on the register and a late-arrival
    entry on the log."""
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        _allowed(alloc, "late_arrival")
        now = station.now()
        alloc.arrived_at = now
        if alloc.state == AllocationState.ABSENT.value:
            alloc.state = AllocationState.EXPECTED.value
        entry = LogEntry(
            session_id=session_id,
            type=IncidentType.LATE_ARRIVAL.value,
            at=now,
            note=note.strip(),
            recorded_by_id=station.actor.id,
            recorded_at=now,
        )
        entry.candidates.append(alloc.candidate)
        session.add(entry)


def transfer_candidate(
    station: Station, session_id: int, registration_number: str, to_session_id: int, reason: str
) -> None:
    """The coordinator moves a candidate who has not started to another session, where they
    are already planned (with every rule checked there); this session's register says where
    and why, and the attempt here no longer counts (CAND-9)."""
    station.require(Role.COORDINATOR, action="transfer candidates")
    if len(reason.strip()) < 5:
        raise BadInput("Say why the candidate is transferred.")
    with station.write() as session:
        row = session_for_write(station, session, session_id)
        if row.state not in (SessionState.PLANNED.value, SessionState.RUNNING.value):
            raise BadInput(f"Session {session_id} is {row.state.replace('_', ' ')}; its register is closed.")
        alloc = _allocation(session, session_id, registration_number)
        _allowed(alloc, "transfer")
        if to_session_id == session_id:
            raise BadInput("A candidate is transferred to another session.")
        target = get_session_row(session, to_session_id)
        if target.state not in (SessionState.PLANNED.value, SessionState.RUNNING.value):
            raise BadInput(
                f"Session {to_session_id} is {target.state.replace('_', ' ')}; transfer to a session "
                "that has not ended."
            )
        if not any(a.candidate_id == alloc.candidate_id and not a.cancelled for a in target.allocations):
            raise BadInput(
                f"{alloc.candidate.full_name} is not planned in session {to_session_id}; add them "
                "there first (every rule is checked there)."
            )
        alloc.state = allocation_target("transfer", alloc.state)
        alloc.transferred_to_session_id, alloc.transfer_reason = to_session_id, reason.strip()
        now = station.now()
        entry = LogEntry(
            session_id=session_id,
            type=IncidentType.OTHER.value,
            at=now,
            note=f"Transferred to session {to_session_id}: {reason.strip()}",
            recorded_by_id=station.actor.id,
            recorded_at=now,
        )
        entry.candidates.append(alloc.candidate)
        session.add(entry)
        renumber_later_attempts(session, alloc)


def transfer_targets(station: Station, session_id: int, registration_number: str) -> list[tuple[int, str]]:
    """The sessions ``transfer_candidate`` accepts for this candidate: not ended, not this one,
    and where they are already planned; (id, "Session 7 — 14:00 Room B, 2 Dec")."""
    with station.read() as session:
        rows = session.scalars(
            select(SessionRow)
            .join(Allocation, Allocation.session_id == SessionRow.id)
            .join(Candidate)
            .where(
                SessionRow.id != session_id,
                SessionRow.state.in_((SessionState.PLANNED.value, SessionState.RUNNING.value)),
                Allocation.cancelled.is_(False),
                func.upper(Candidate.registration_number) == registration_number.upper(),
            )
            .order_by(SessionRow.start_utc)
        ).unique()
        return [
            (
                row.id,
                f"Session {row.id} — {local(row.start_utc, station.zone):%d %b} "
                f"{hhmm(row.start_utc, station.zone)} {row.room.name}",
            )
            for row in rows
        ]
