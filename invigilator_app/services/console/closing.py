"""End of session: every candidate has an outcome, papers are collected, the invigilator
reviews the log and signs off with a declaration. The session becomes closed and waits
for the coordinator's review. Entries made after this are late entries with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from invigilator_app.domain.enums import AllocationState, SessionState
from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.rules.transitions import session_problem
from invigilator_app.services.console.sessions import (
    get_session_row,
    hhmm,
    label_of,
    session_allocations,
    session_entries,
    session_for_write,
    session_label,
)
from invigilator_app.services.station import Station
from invigilator_app.services.trust.checkpoints import create_checkpoint
from invigilator_app.store.models import Allocation, ClockPause
from invigilator_app.store.models import Session as SessionRow

OUTCOMES = (AllocationState.FINISHED.value, AllocationState.ABSENT.value, AllocationState.WITHDRAWN.value)


def declaration_text(invigilator: str, pin: str) -> str:
    return (
        f"I, {invigilator} (IMI PIN {pin or 'not recorded'}), invigilated this session in line with the IMI "
        "requirements for online assessments. I logged candidates on with my own PIN and never disclosed my "
        "password; candidates were invigilated at all times except where the log says otherwise; this log is "
        "complete and accurate, and every blank sheet issued was collected and destroyed."
    )


def outstanding(session: Session, row: SessionRow) -> list[str]:
    """What still stops the session from being closed, one line each."""
    problems = []
    allocs = session.scalars(
        select(Allocation)
        .where(Allocation.session_id == row.id, Allocation.cancelled.is_(False))
        .options(joinedload(Allocation.candidate))
        .order_by(Allocation.workstation_label)
    ).all()
    for a in allocs:
        who = f"{a.workstation_label or a.location} {a.candidate.full_name}".strip()
        if a.state not in OUTCOMES:
            problems.append(f"{who}: no outcome yet (finish, absent or withdrawn)")
        if a.paper_issued_at is not None and a.paper_collected_at is None:
            problems.append(f"{who}: paper issued but not collected and destroyed (ROOM-8)")
    if session.scalars(
        select(ClockPause).where(ClockPause.session_id == row.id, ClockPause.ended_at.is_(None))
    ).first():
        problems.append("the exam clock is still paused: resume it first")
    return problems


def closing_problems(station: Station, session_id: int) -> list[str]:
    with station.read() as session:
        return outstanding(session, get_session_row(session, session_id))


def declaration_for(station: Station, session_id: int) -> str:
    """The declaration the session's invigilator confirms at sign-off, as shown to them."""
    with station.read() as session:
        row = get_session_row(session, session_id)
        return declaration_text(row.invigilator.name, row.invigilator.imi_pin)


def sign_off(station: Station, session_id: int, declaration: str) -> None:
    """The invigilator's sign-off: closes the session for the coordinator's review."""
    with station.write() as session:
        row = session_for_write(station, session, session_id)
        if session_problem("sign_off", row.state, session_id):
            raise BadInput(
                f"The session in {session_label(row, station.zone)} is already {row.state.replace('_', ' ')}."
            )
        if station.actor.id != row.invigilator_id:
            raise NotPermitted(f"Only the session's invigilator, {row.invigilator.name}, signs off its record.")
        problems = outstanding(session, row)
        if problems:
            raise BadInput("The session cannot be closed yet:\n" + "\n".join(problems))
        expected = declaration_text(row.invigilator.name, row.invigilator.imi_pin)
        if declaration.strip() != expected:
            raise BadInput("Confirm the declaration as shown.")
        now = station.now()
        row.state = SessionState.CLOSED.value
        row.ended_at = row.ended_at or now
        row.signed_off_by_id = station.actor.id
        row.signed_off_at = now
        row.declaration = expected
        # The record printed at sign-off carries this checkpoint: it anchors the chain outside the PC.
        create_checkpoint(session, "session_closed", session_id)
    from invigilator_app.services.admin.backups import automatic_backup

    automatic_backup(station, f"session {session_id} signed off")  # into the chosen folder; never fails the sign-off


@dataclass(frozen=True)
class SignOffSummary:
    """What the invigilator reviews before the declaration."""

    invigilator: str
    may_sign: bool
    entries: int
    entry_lines: list[str]
    unresolved: list[str]
    without_outcome: list[str]
    problems: list[str]


def sign_off_summary(station: Station, session_id: int) -> SignOffSummary:
    """The log in brief (entries, notifications still owed, candidates without an outcome)
    and whether the user may sign: only the session's own invigilator signs it off."""
    zone = station.zone
    with station.read() as session:
        row = get_session_row(session, session_id)
        entries = session_entries(session, session_id)
        allocs = session_allocations(session, session_id)
        counts: dict[str, int] = {}
        for e in entries:
            counts[label_of(e.type)] = counts.get(label_of(e.type), 0) + 1
        return SignOffSummary(
            invigilator=row.invigilator.name,
            may_sign=station.actor.id == row.invigilator_id,
            entries=len(entries),
            entry_lines=[f"{label}: {n}" for label, n in sorted(counts.items())],
            unresolved=[
                f"{hhmm(e.at, zone)} {label_of(e.type)} — {e.notify_party} not yet notified"
                for e in entries
                if e.notify_party and e.notified_at is None
            ],
            without_outcome=[
                f"{a.workstation_label} {a.candidate.full_name}" for a in allocs if a.state not in OUTCOMES
            ],
            problems=outstanding(session, row),
        )
