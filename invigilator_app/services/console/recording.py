"""Live actions in the exam room: identity checks, starts, finishes and log entries.

Each call is one durable transaction (WAL, synchronous=FULL): when it returns, the entry
is on disk, so what the invigilator saw acknowledged is never lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import (
    AllocationState,
    IncidentType,
    Result,
    SessionState,
)
from invigilator_app.domain.errors import BadInput, NotPermitted, RuleRefused
from invigilator_app.domain.timezones import as_utc
from invigilator_app.rules.remote import ID_TO_CAMERA
from invigilator_app.rules.scheduling import check_start
from invigilator_app.rules.transitions import allocation_problem, allocation_target
from invigilator_app.services.console.checklist import require_complete
from invigilator_app.services.console.results import check_result
from invigilator_app.services.console.sessions import get_session_row, may_record, session_for_write, session_label
from invigilator_app.services.facts import renumber_later_attempts
from invigilator_app.services.review.amendments import GUARDED_STATES
from invigilator_app.services.station import Station
from invigilator_app.services.stations.ownership import refuse_new_rows
from invigilator_app.store.models import (
    Allocation,
    AuditEntry,
    Base,
    Candidate,
    IdentityCheck,
    LogEntry,
    LogEntryCandidate,
)

QUESTION_DESCRIPTION_MAX = 500
ID_METHODS = ("photo_id", "known_to_invigilator", ID_TO_CAMERA)


@dataclass(frozen=True)
class RecordedEntry:
    id: int
    at: datetime
    type: str


def record_entry(
    station: Station,
    session_id: int,
    type_id: str,
    *,
    note: str = "",
    registration_numbers: Sequence[str] = (),
    question_number: str = "",
    assessment_id: str = "",
    at: datetime | None = None,
    late_reason: str = "",
) -> RecordedEntry:
    """Log an incident or question issue now (or at ``at``) and commit it durably."""
    try:
        kind = IncidentType(type_id)
    except ValueError:
        raise BadInput(f"{type_id!r} is not an incident type.") from None
    if kind is IncidentType.QUESTION_ISSUE:
        if not question_number.strip() or not assessment_id.strip():
            raise BadInput("A question issue needs the question number and the assessment id.")
        if len(note) > QUESTION_DESCRIPTION_MAX:
            raise BadInput(
                f"Keep the description brief (at most {QUESTION_DESCRIPTION_MAX} characters) "
                "and never copy the question itself."
            )
    now = station.now()
    wanted = sorted({r.upper() for r in registration_numbers})
    # The lean path (store.lean): the checks the flush guards would make are made here.
    with station.lean_write() as tx:
        found = tx.one("SELECT state, invigilator_id FROM sessions WHERE id = ?", (session_id,))
        if found is None or not may_record(station, found[1]):
            _refuse_session(station, session_id)
        assert found is not None
        late = found[0] in GUARDED_STATES  # amendments.mark_late_entries: a late entry has its reason
        if late and not late_reason.strip():
            with station.read() as session:
                row = get_session_row(session, session_id)
                raise BadInput(
                    f"The session in {session_label(row, station.zone)} is {row.state.replace('_', ' ')}: "
                    "a late entry needs a reason."
                )
        people: list[tuple[Any, ...]] = []
        if wanted:
            marks = ", ".join("?" for _ in wanted)
            people = tx.all(
                f"SELECT id, upper(registration_number) FROM candidates WHERE upper(registration_number) IN ({marks})",
                wanted,
            )
            unknown = set(wanted) - {number for _, number in people}
            if unknown:
                raise BadInput(f"Unknown registration number(s): {', '.join(sorted(unknown))}.")
        refuse_new_rows(tx, station.db.centre_role, session_id)
        when = at or now
        entry_id = tx.insert(
            ENTRIES,
            {
                "session_id": session_id,
                "type": kind.value,
                "at": when,
                "note": note.strip(),
                "recorded_by_id": station.actor.id,
                "recorded_at": now,
                "question_number": question_number.strip(),
                "assessment_code": assessment_id.strip(),
                "notify_party": kind.notify or "",
                "late": late,
                "late_reason": late_reason.strip(),
            },
        )
        for person, _ in sorted(people):
            tx.insert(ENTRY_CANDIDATES, {"entry_id": entry_id, "candidate_id": person})
    assert entry_id is not None
    return RecordedEntry(entry_id, when, kind.value)


ENTRIES = Base.metadata.tables[LogEntry.__tablename__]
ENTRY_CANDIDATES = Base.metadata.tables[LogEntryCandidate.__tablename__]


def _refuse_session(station: Station, session_id: int) -> None:
    """Raise what ``session_for_write`` says of a session this user may not record in."""
    with station.read() as session:
        session_for_write(station, session, session_id)
    raise NotPermitted(f"{station.actor.name} may not record in session {session_id}.")


def _allowed(alloc: Allocation, action: str) -> None:
    """Refuse an action the state table does not allow (transcription flags the same)."""
    problem = allocation_problem(action, alloc.state, alloc.candidate.full_name)
    if problem:
        raise BadInput(problem[0].upper() + problem[1:] + ".")


def _allocation(session: Session, session_id: int, registration_number: str) -> Allocation:
    alloc = session.scalars(
        select(Allocation)
        .join(Candidate)
        .where(
            Allocation.session_id == session_id,
            func.upper(Candidate.registration_number) == registration_number.upper(),
        )
    ).first()
    if alloc is None:
        raise BadInput(f"{registration_number} is not allocated to this session.")
    return alloc


def check_identity(
    station: Station,
    session_id: int,
    registration_number: str,
    *,
    method: str,
    id_type: str = "",
    match_confirmed: bool = True,
) -> None:
    """CAND-1: record what was seen (photo ID type, or known to the invigilator)."""
    if method not in ID_METHODS:
        raise BadInput(f"Identity check method must be one of {', '.join(ID_METHODS)}.")
    with station.write() as session:
        row = session_for_write(station, session, session_id)
        if row.remote and method == "photo_id":
            raise BadInput(
                f"Session {session_id} is remotely invigilated: photo ID is checked to camera (method {ID_TO_CAMERA})."
            )
        if not row.remote and method == ID_TO_CAMERA:
            raise BadInput(f"Session {session_id} is in a room: check photo ID in person (method photo_id).")
        alloc = _allocation(session, session_id, registration_number)
        _allowed(alloc, "identity_check")
        session.add(
            IdentityCheck(
                allocation_id=alloc.id,
                at=station.now(),
                method=method,
                id_type=id_type,
                match_confirmed=match_confirmed,
                checked_by_id=station.actor.id,
            )
        )
        if match_confirmed:
            alloc.state = allocation_target("identity_check", alloc.state)


def confirm_logged_on(station: Station, session_id: int, registration_number: str) -> None:
    """CAND-1: the right candidate is logged on at the allocated PC."""
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        _allowed(alloc, "logged_on")
        alloc.logged_on_at = station.now()
        alloc.state = allocation_target("logged_on", alloc.state)


def start_candidate(station: Station, session_id: int, registration_number: str) -> None:
    """Start a candidate: refused without an identity check and logged-on confirmation (CAND-1)."""
    with station.write() as session:
        row = session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        _allowed(alloc, "start")
        confirmed = session.scalar(
            select(func.count())
            .select_from(IdentityCheck)
            .where(IdentityCheck.allocation_id == alloc.id, IdentityCheck.match_confirmed.is_(True))
        )
        blocks = check_start(
            bool(confirmed),
            alloc.logged_on_at is not None,
            f"{alloc.candidate.full_name} ({alloc.candidate.registration_number})",
        )
        if blocks:
            raise RuleRefused(blocks)
        require_complete(session, row)
        now = station.now()
        alloc.started_at = now
        alloc.state = AllocationState.STARTED.value
        if row.state == SessionState.PLANNED.value:
            row.state, row.started_at = SessionState.RUNNING.value, now


def finish_candidate(station: Station, session_id: int, registration_number: str, result: str | None = None) -> None:
    if result is not None and result not in {r.value for r in Result}:
        raise BadInput("A result is pass or fail.")
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        if alloc.started_at is None:
            raise BadInput(f"{alloc.candidate.full_name} has not started.")
        _allowed(alloc, "finish")
        alloc.finished_at = station.now()
        alloc.state = AllocationState.FINISHED.value
        if result:
            check_result(session, alloc, result, station.zone)
            alloc.result = result


def mark_absent(station: Station, session_id: int, registration_number: str) -> None:
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        if alloc.started_at is not None:
            raise BadInput(f"{alloc.candidate.full_name} has started and cannot be marked absent.")
        _allowed(alloc, "absent")
        alloc.state = allocation_target("absent", alloc.state)
        renumber_later_attempts(session, alloc)


def withdraw_candidate(station: Station, session_id: int, registration_number: str, reason: str) -> None:
    """The candidate leaves the assessment for good (illness, malpractice …); the reason is logged."""
    if not reason.strip():
        raise BadInput("Say why the candidate was withdrawn.")
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        if alloc.state in (AllocationState.FINISHED.value, AllocationState.ABSENT.value):
            raise BadInput(f"{alloc.candidate.full_name} is already {alloc.state}.")
        _allowed(alloc, "withdraw")
        alloc.state = allocation_target("withdraw", alloc.state)
        if alloc.started_at is None:
            renumber_later_attempts(session, alloc)
        alloc.finished_at = station.now()
        entry = LogEntry(
            session_id=session_id,
            type=IncidentType.OTHER.value,
            at=station.now(),
            note=f"Withdrawn: {reason.strip()}",
            recorded_by_id=station.actor.id,
            recorded_at=station.now(),
        )
        entry.candidates.append(alloc.candidate)
        session.add(entry)


def issue_paper(station: Station, session_id: int, registration_number: str) -> None:
    """ROOM-8: blank paper given to the candidate; it must be collected before they leave."""
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        alloc.paper_issued_at = alloc.paper_issued_at or station.now()


def collect_paper(station: Station, session_id: int, registration_number: str) -> None:
    """ROOM-8: the paper was collected and destroyed."""
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        if alloc.paper_issued_at is None:
            raise BadInput(f"No paper was issued to {alloc.candidate.full_name}.")
        alloc.paper_collected_at = station.now()


UNDO_SECONDS = 60
UNDOABLE = {AllocationState.FINISHED.value: "finished", AllocationState.ABSENT.value: "absent"}


def undo_outcome(station: Station, session_id: int, registration_number: str) -> str:
    """Take back a finish or an absence recorded by mistake, within a minute of recording it.

    The candidate returns to where they were (working, or checked in), and the log says
    what was undone. Returns the candidate's state afterwards."""
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _allocation(session, session_id, registration_number)
        outcome = UNDOABLE.get(alloc.state)
        if outcome is None:
            raise BadInput(f"{alloc.candidate.full_name} is not marked finished or absent: there is nothing to undo.")
        changed = session.scalar(
            select(AuditEntry.at)
            .where(AuditEntry.entity == "allocations", AuditEntry.entity_id == str(alloc.id))
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        now = station.now()
        if changed is None or (now - as_utc(changed)).total_seconds() > UNDO_SECONDS:
            raise BadInput(
                f"{alloc.candidate.full_name} was marked {outcome} more than a minute ago; "
                "correct it with an amendment instead."
            )
        if alloc.state == AllocationState.FINISHED.value:
            alloc.finished_at = None
            alloc.result = None
            alloc.state = AllocationState.STARTED.value
        else:
            checked = session.scalar(
                select(func.count())
                .select_from(IdentityCheck)
                .where(IdentityCheck.allocation_id == alloc.id, IdentityCheck.match_confirmed.is_(True))
            )
            alloc.state = (
                AllocationState.LOGGED_ON.value
                if alloc.logged_on_at is not None
                else AllocationState.IDENTITY_CHECKED.value
                if checked
                else AllocationState.EXPECTED.value
            )
        entry = LogEntry(
            session_id=session_id,
            type=IncidentType.OTHER.value,
            at=now,
            note=f"Undone within a minute: {alloc.candidate.full_name} marked {outcome} by mistake.",
            recorded_by_id=station.actor.id,
            recorded_at=now,
        )
        entry.candidates.append(alloc.candidate)
        session.add(entry)
        return alloc.state
