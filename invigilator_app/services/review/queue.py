"""The coordinator's review after a session: the queue of closed sessions, comments, a
query back to the invigilator and its answer, the sign-off, and the follow-up list of
what is still outstanding across every session (who must be told, what is not handled,
which results are not recorded), with its age."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import IncidentType, Role, SessionState
from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.domain.timefmt import time_text, when_text
from invigilator_app.domain.timezones import as_utc, local
from invigilator_app.services.console.sessions import get_session_row, label_of, session_for_write
from invigilator_app.services.station import Station
from invigilator_app.services.trust import checkpoints
from invigilator_app.store.models import (
    Allocation,
    Candidate,
    LogEntry,
    MalpracticeReportEntry,
    Room,
    SessionReview,
    User,
)
from invigilator_app.store.models import Session as SessionRow

COMMENT, RETURNED, ANSWERED, SIGNED_OFF = "comment", "returned", "answered", "signed_off"
MAX_TEXT = 4000


@dataclass(frozen=True)
class QueueItem:
    session_id: int
    day: str
    start: str
    room: str
    invigilator: str
    closed_at: str
    status: str
    """"to review", "returned" (a query awaits the invigilator) or "answered"."""
    outstanding: int
    """Follow-ups still open in this session."""
    flags: tuple[str, ...] = ()
    """Violations the hub found when the record came back from a station ("CAND-3: …")."""


@dataclass(frozen=True)
class ReviewView:
    at: str
    by: str
    action: str
    text: str


@dataclass(frozen=True)
class FollowUp:
    kind: str
    """"notify" (someone must be told), "malpractice" (not yet handled) or "result"."""
    session_id: int
    entry_id: int | None
    allocation_id: int | None
    what: str
    who: str
    """Who must act or be told."""
    since: datetime
    age: timedelta

    @property
    def age_text(self) -> str:
        days = self.age.days
        if days >= 1:
            return f"{days} day{'s' if days != 1 else ''}"
        hours = int(self.age.total_seconds() // 3600)
        return f"{hours} h" if hours else "under 1 h"


def _text(text: str, what: str, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise BadInput(f"A {what} needs some text.")
    if len(text) > MAX_TEXT:
        raise BadInput(f"Keep the {what} under {MAX_TEXT} characters.")
    return text


def _last_action(session: Session, session_id: int) -> str:
    return _last_actions(session, [session_id]).get(session_id, "")


def _last_actions(session: Session, session_ids: list[int]) -> dict[int, str]:
    """Each session's latest query or answer (one query per 500 sessions, not one each)."""
    found: dict[int, str] = {}
    for chunk in range(0, len(session_ids), 500):
        latest = (
            select(func.max(SessionReview.id))
            .where(
                SessionReview.session_id.in_(session_ids[chunk : chunk + 500]),
                SessionReview.action.in_([RETURNED, ANSWERED]),
            )
            .group_by(SessionReview.session_id)
        )
        for sid, action in session.execute(
            select(SessionReview.session_id, SessionReview.action).where(SessionReview.id.in_(latest))
        ):
            found[sid] = action
    return found


def review_queue(station: Station) -> list[QueueItem]:
    """Sessions closed by their invigilator and not yet signed off by the coordinator."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="see the review queue")
    return _queue(station)


def returned_to_me(station: Station) -> list[QueueItem]:
    """An invigilator's own sessions waiting for their answer to a query."""
    station.require(Role.INVIGILATOR, Role.COORDINATOR, action="see queries on records")
    mine = station.actor.id if station.actor.role is Role.INVIGILATOR else None
    return [q for q in _queue(station, invigilator_id=mine) if q.status == "returned"]


def _queue(station: Station, invigilator_id: int | None = None) -> list[QueueItem]:
    zone = station.zone
    with station.read() as session:
        # Plain columns, not sessions with their room and invigilator loaded: a centre can
        # have a thousand records waiting.
        query = (
            select(SessionRow.id, SessionRow.start_utc, SessionRow.signed_off_at, Room.name, User.name)
            .join(Room, Room.id == SessionRow.room_id)
            .join(User, User.id == SessionRow.invigilator_id)
            .where(SessionRow.state == SessionState.CLOSED.value)
            .order_by(SessionRow.start_utc, SessionRow.id)
        )
        if invigilator_id is not None:
            query = query.where(SessionRow.invigilator_id == invigilator_id)
        rows = session.execute(query).all()
        open_items = _open_counts(session, [r[0] for r in rows])
        last_actions = _last_actions(session, [r[0] for r in rows])
        flags = _flags(session, [r[0] for r in rows])
        items = []
        for sid, start_utc, signed_off_at, room, invigilator in rows:
            last = last_actions.get(sid, "")
            start = local(start_utc, zone)
            items.append(
                QueueItem(
                    session_id=sid,
                    day=start.date().isoformat(),
                    start=time_text(start),
                    room=room,
                    invigilator=invigilator,
                    closed_at=when_text(signed_off_at, zone),
                    status={RETURNED: "returned", ANSWERED: "answered"}.get(last, "to review"),
                    outstanding=open_items.get(sid, 0),
                    flags=tuple(flags.get(sid, ())),
                )
            )
        return items


FLAGGED = "flagged"


def _flags(session: Session, session_ids: list[int]) -> dict[int, list[str]]:
    """Each session's flags from the hub's re-check of a returned record (one query per 500)."""
    found: dict[int, list[str]] = {}
    for chunk in range(0, len(session_ids), 500):
        for sid, text in session.execute(
            select(SessionReview.session_id, SessionReview.text)
            .where(SessionReview.session_id.in_(session_ids[chunk : chunk + 500]), SessionReview.action == FLAGGED)
            .order_by(SessionReview.id)
        ):
            found.setdefault(sid, []).append(text)
    return found


def _open_counts(session: Session, session_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for chunk in range(0, len(session_ids), 500):
        ids = session_ids[chunk : chunk + 500]
        for (sid,) in session.execute(
            select(LogEntry.session_id).where(
                LogEntry.session_id.in_(ids), LogEntry.notify_party != "", LogEntry.notified_at.is_(None)
            )
        ):
            counts[sid] = counts.get(sid, 0) + 1
    return counts


def review_history(station: Station, session_id: int) -> list[ReviewView]:
    zone = station.zone
    with station.read() as session:
        get_session_row(session, session_id)
        rows = session.execute(
            select(SessionReview, User.name)
            .outerjoin(User, User.id == SessionReview.by_id)
            .where(SessionReview.session_id == session_id)
            .order_by(SessionReview.id)
        ).all()
        return [ReviewView(when_text(r.at, zone), name or "", r.action, r.text) for r, name in rows]


def _closed(session: Session, session_id: int) -> SessionRow:
    row = get_session_row(session, session_id)
    if row.state != SessionState.CLOSED.value:
        state = row.state.replace("_", " ")
        raise BadInput(f"Session {session_id} is {state}: only a session closed by its invigilator is reviewed.")
    return row


def _add(station: Station, session: Session, session_id: int, action: str, text: str) -> None:
    session.add(
        SessionReview(session_id=session_id, action=action, text=text, by_id=station.actor.id, at=station.now())
    )


def comment(station: Station, session_id: int, text: str) -> None:
    """A coordinator's note on the record that needs no answer."""
    station.require(Role.COORDINATOR, action="comment on a session's record")
    body = _text(text, "comment")
    with station.write() as session:
        _closed(session, session_id)
        _add(station, session, session_id, COMMENT, body)


def return_with_query(station: Station, session_id: int, query: str) -> None:
    """Send the record back to its invigilator with a question; sign-off waits for the answer."""
    station.require(Role.COORDINATOR, action="return a record with a query")
    body = _text(query, "query")
    with station.write() as session:
        _closed(session, session_id)
        _add(station, session, session_id, RETURNED, body)


def answer_query(station: Station, session_id: int, answer: str) -> None:
    """The invigilator's answer to a returned query (their own sessions only)."""
    station.require(Role.INVIGILATOR, Role.COORDINATOR, action="answer a query on a record")
    body = _text(answer, "answer")
    with station.write() as session:
        row = _closed(session, session_id)
        if station.actor.role is Role.INVIGILATOR and row.invigilator_id != station.actor.id:
            raise NotPermitted(f"Session {session_id} is {row.invigilator.name}'s; only they answer its query.")
        if _last_action(session, session_id) != RETURNED:
            raise BadInput(f"Session {session_id} has no query waiting for an answer.")
        _add(station, session, session_id, ANSWERED, body)


def sign_off_review(station: Station, session_id: int, comment_text: str = "") -> None:
    """The coordinator's sign-off: the record is final (corrections only as amendments)."""
    station.require(Role.COORDINATOR, action="sign off a session's record")
    body = _text(comment_text, "sign-off comment", required=False)
    with station.write() as session:
        row = _closed(session, session_id)
        if _last_action(session, session_id) == RETURNED:
            raise BadInput(f"Session {session_id} was returned with a query that is not answered yet.")
        now = station.now()
        row.state = SessionState.SIGNED_OFF.value
        row.reviewed_by_id = station.actor.id
        row.reviewed_at = now
        row.review_comment = body
        _add(station, session, session_id, SIGNED_OFF, body)
        checkpoints.create_checkpoint(session, "signed_off", session_id)
    from invigilator_app.services.admin.backups import automatic_backup

    automatic_backup(station, f"record of session {session_id} signed off")  # never fails the sign-off


def mark_notified(station: Station, entry_id: int, reference: str, at: datetime | None = None) -> None:
    """Record that the party to tell about an entry was told: when, and their reference.
    The coordinator, or the session's own invigilator, records it."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="record a notification")
    ref = _text(reference, "notification reference")
    with station.write() as session:
        entry = session.get(LogEntry, entry_id)
        if entry is None:
            raise BadInput(f"There is no log entry {entry_id}.")
        session_for_write(station, session, entry.session_id)
        if not entry.notify_party:
            raise BadInput(f"Log entry {entry_id} ({label_of(entry.type)}) needs nobody to be told.")
        if entry.notified_at is not None:
            raise BadInput(
                f"Log entry {entry_id} was already marked notified "
                f"({entry.notification_reference}); correct it with an amendment."
            )
        when = as_utc(at) if at else station.now()
        if when > station.now() + timedelta(minutes=5):
            raise BadInput("A notification cannot be recorded in the future.")
        entry.notified_at = when
        entry.notification_reference = ref


def _to_tell() -> Select[*tuple[Any, ...]]:
    """Entries whose party is not yet told (or a suspected malpractice not yet reported)."""
    return (
        select(
            LogEntry.id,
            LogEntry.session_id,
            LogEntry.type,
            LogEntry.at,
            LogEntry.notify_party,
            LogEntry.note,
            LogEntry.question_number,
            LogEntry.assessment_code,
            Room.name,
        )
        .join(SessionRow, SessionRow.id == LogEntry.session_id)
        .join(Room, Room.id == SessionRow.room_id)
        .where(
            LogEntry.notify_party != "",
            LogEntry.notified_at.is_(None),
            LogEntry.id.not_in(select(MalpracticeReportEntry.entry_id)),
        )
        .order_by(LogEntry.at)
    )


def _without_result() -> Select[*tuple[Any, ...]]:
    """Attempts that took place in a closed session and have no result recorded."""
    return (
        select(
            Allocation.id,
            Allocation.session_id,
            Allocation.finished_at,
            Allocation.started_at,
            Candidate.first_name,
            Candidate.last_name,
            Candidate.registration_number,
        )
        .join(Candidate, Candidate.id == Allocation.candidate_id)
        .join(SessionRow, SessionRow.id == Allocation.session_id)
        .where(
            SessionRow.state.in_([SessionState.CLOSED.value, SessionState.SIGNED_OFF.value]),
            Allocation.started_at.is_not(None),
            Allocation.result.is_(None),
            Allocation.cancelled.is_(False),
        )
        .order_by(Allocation.started_at)
    )


def follow_up_count(station: Station, limit: int = 2000) -> int:
    """How many items ``follow_ups`` lists (with the same ``limit``), counted without reading them."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="see the follow-up list")
    with station.read() as session:
        return sum(
            int(session.scalar(select(func.count()).select_from(query.limit(limit).subquery())) or 0)
            for query in (_to_tell(), _without_result())
        )


def follow_ups(station: Station, limit: int = 2000) -> list[FollowUp]:
    """What is outstanding across every session, oldest first."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="see the follow-up list")
    now = station.now()
    items: list[FollowUp] = []
    with station.read() as session:
        for e in session.execute(_to_tell().limit(limit)).all():
            malpractice = e.type == IncidentType.SUSPECTED_MALPRACTICE.value
            what = f"{label_of(e.type)} in session {e.session_id} ({e.name})"
            if e.type == IncidentType.QUESTION_ISSUE.value:
                what += f": Q{e.question_number} in {e.assessment_code}"
            elif e.note:
                what += f": {e.note[:80]}"
            items.append(
                FollowUp(
                    kind="malpractice" if malpractice else "notify",
                    session_id=e.session_id,
                    entry_id=e.id,
                    allocation_id=None,
                    what=what,
                    who=e.notify_party if not malpractice else f"{e.notify_party} (not yet handled)",
                    since=as_utc(e.at),
                    age=now - as_utc(e.at),
                )
            )
        for r in session.execute(_without_result().limit(limit)).all():
            since = as_utc(r.finished_at or r.started_at)
            items.append(
                FollowUp(
                    kind="result",
                    session_id=r.session_id,
                    entry_id=None,
                    allocation_id=r.id,
                    what=f"Result not recorded: {r.first_name} {r.last_name} ({r.registration_number}), session {r.session_id}",
                    who="centre coordinator",
                    since=since,
                    age=now - since,
                )
            )
    return sorted(items, key=lambda f: f.since)
