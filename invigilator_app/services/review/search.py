"""Every log entry across sessions, filtered and read a page at a time.

Filters run on indexed columns where they can: the date range on the sessions' start
(``ix_sessions_start``; an entry belongs to its session's day), entries through
``ix_log_entries_session_at``, a candidate through the registration-number look-up.
Free text is a LIKE over the note, question number and assessment id. Pages come newest
first; the candidates of a page are read in one further query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import QueryableAttribute, aliased

from invigilator_app.domain.enums import IncidentType, Role
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.timefmt import time_text
from invigilator_app.domain.timezones import local
from invigilator_app.services.console.sessions import label_of
from invigilator_app.services.review.patterns import check_range, day_bounds
from invigilator_app.services.station import Station
from invigilator_app.store.models import Candidate, LogEntry, LogEntryCandidate, Room, User
from invigilator_app.store.models import Session as SessionRow

STATES = {
    "outstanding": "someone must still be told",
    "notified": "the party was told",
    "no_follow_up": "nobody needs to be told",
    "late": "entered after the session closed",
    "transcribed": "transcribed from a paper log",
}
PAGE = 200
INVIGILATOR = aliased(User, name="invigilator")


@dataclass(frozen=True)
class EntryFilters:
    from_day: date | None = None
    to_day: date | None = None
    room: str = ""
    invigilator: str = ""
    candidate: str = ""
    """A registration number, or part of a name."""
    type: str = ""
    state: str = ""
    """One of STATES, or "" for any."""
    text: str = ""


@dataclass(frozen=True)
class EntryRow:
    id: int
    session_id: int
    day: str
    at: str
    room: str
    invigilator: str
    type: str
    type_label: str
    candidates: str
    note: str
    state: str


@dataclass(frozen=True)
class SearchChoices:
    rooms: list[str]
    invigilators: list[str]
    types: list[tuple[str, str]]
    states: list[tuple[str, str]]


def search_choices(station: Station) -> SearchChoices:
    station.require(Role.COORDINATOR, Role.INSPECTOR, Role.INVIGILATOR, action="search the log")
    with station.read() as session:
        rooms = list(session.scalars(select(Room.name).order_by(Room.name)))
        names = list(
            session.scalars(
                select(User.name).where(User.id.in_(select(SessionRow.invigilator_id).distinct())).order_by(User.name)
            )
        )
    return SearchChoices(rooms, names, [(t.value, t.label) for t in IncidentType], list(STATES.items()))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


Column = QueryableAttribute[Any] | ColumnElement[Any]


def _filtered(station: Station, filters: EntryFilters, columns: Sequence[Column], *, paged: bool = True) -> Select:  # type: ignore[type-arg]
    invigilator = INVIGILATOR
    # Sessions drive the join, newest first along ix_sessions_start, each reaching its entries
    # through ix_log_entries_session_at; "+ 0" keeps SQLite from turning it round (the store
    # has no statistics) — except for a candidate, whose few entries are best found first,
    # and for a count, which needs no order.
    session_key = SessionRow.id if filters.candidate.strip() or not paged else SessionRow.id + 0
    query = select(*columns).select_from(LogEntry)
    by_session = bool(
        filters.from_day
        or filters.to_day
        or filters.room
        or filters.invigilator
        or station.actor.role is Role.INVIGILATOR
    )
    if paged or by_session:  # a count of every entry by type, state, candidate or text needs no session
        query = (
            query.join(SessionRow, session_key == LogEntry.session_id)
            .join(Room, Room.id == SessionRow.room_id)
            .join(invigilator, invigilator.id == SessionRow.invigilator_id)
        )
    if filters.from_day or filters.to_day:
        first = filters.from_day or date(1970, 1, 1)
        last = filters.to_day or date(9999, 12, 30)
        check_range(first, last)
        start, end = day_bounds(station, first, last)
        query = query.where(SessionRow.start_utc >= start, SessionRow.start_utc < end)
    if station.actor.role is Role.INVIGILATOR:
        query = query.where(SessionRow.invigilator_id == station.actor.id)
    if filters.room:
        query = query.where(Room.name == filters.room)
    if filters.invigilator:
        query = query.where(invigilator.name == filters.invigilator)
    if filters.type:
        query = query.where(LogEntry.type == filters.type)
    if filters.state:
        if filters.state not in STATES:
            raise BadInput(f"Unknown entry state {filters.state!r}: use one of {', '.join(STATES)}.")
        query = query.where(
            {
                "outstanding": (LogEntry.notify_party != "") & LogEntry.notified_at.is_(None),
                "notified": LogEntry.notified_at.is_not(None),
                "no_follow_up": LogEntry.notify_party == "",
                "late": LogEntry.late.is_(True),
                "transcribed": LogEntry.transcribed.is_(True),
            }[filters.state]
        )
    if filters.candidate.strip():
        wanted = filters.candidate.strip()
        matches = select(Candidate.id).where(
            or_(
                func.upper(Candidate.registration_number) == wanted.upper(),
                (Candidate.first_name + " " + Candidate.last_name).ilike(_like(wanted), escape="\\"),
            )
        )
        query = query.where(
            LogEntry.id.in_(select(LogEntryCandidate.entry_id).where(LogEntryCandidate.candidate_id.in_(matches)))
        )
    if filters.text.strip():
        pattern = _like(filters.text.strip())
        query = query.where(
            or_(
                LogEntry.note.like(pattern, escape="\\"),
                LogEntry.question_number.like(pattern, escape="\\"),
                LogEntry.assessment_code.like(pattern, escape="\\"),
            )
        )
    return query


def _state(notify: str, notified: object, late: bool, transcribed: bool) -> str:
    marks = []
    if notify:
        marks.append(f"told {notify}" if notified else f"OUTSTANDING: tell {notify}")
    if late:
        marks.append("late entry")
    if transcribed:
        marks.append("from paper log")
    return "; ".join(marks)


def search_entries(station: Station, filters: EntryFilters, offset: int = 0, limit: int = PAGE) -> list[EntryRow]:
    """One page of matching entries, newest session first."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, Role.INVIGILATOR, action="search the log")
    if offset < 0 or limit < 1:
        raise BadInput("A page starts at 0 and holds at least one entry.")
    zone = station.zone
    with station.read() as session:
        query = _filtered(
            station,
            filters,
            [
                LogEntry.id,
                LogEntry.session_id,
                SessionRow.start_utc,
                LogEntry.at,
                Room.name,
                INVIGILATOR.name,
                LogEntry.type,
                LogEntry.note,
                LogEntry.question_number,
                LogEntry.assessment_code,
                LogEntry.notify_party,
                LogEntry.notified_at,
                LogEntry.late,
                LogEntry.transcribed,
            ],
        )
        query = (
            query.order_by(SessionRow.start_utc.desc(), SessionRow.id.desc(), LogEntry.at.desc(), LogEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
        rows = session.execute(query).all()
        names: dict[int, list[str]] = {}
        ids = [r[0] for r in rows]
        if ids:
            for entry_id, reg in session.execute(
                select(LogEntryCandidate.entry_id, Candidate.registration_number)
                .join(Candidate, Candidate.id == LogEntryCandidate.candidate_id)
                .where(LogEntryCandidate.entry_id.in_(ids))
                .order_by(Candidate.registration_number)
            ):
                names.setdefault(entry_id, []).append(reg)
    out = []
    for r in rows:
        note = r[7]
        if r[6] == IncidentType.QUESTION_ISSUE.value:
            note = f"Q{r[8]} in {r[9]}: {note}"
        out.append(
            EntryRow(
                id=r[0],
                session_id=r[1],
                day=local(r[2], zone).date().isoformat(),
                at=time_text(r[3], zone),
                room=r[4],
                invigilator=r[5],
                type=r[6],
                type_label=label_of(r[6]),
                candidates=", ".join(names.get(r[0], [])),
                note=note,
                state=_state(r[10], r[11], r[12], r[13]),
            )
        )
    return out


def count_entries(station: Station, filters: EntryFilters) -> int:
    station.require(Role.COORDINATOR, Role.INSPECTOR, Role.INVIGILATOR, action="search the log")
    with station.read() as session:
        return int(session.scalar(_filtered(station, filters, [func.count(LogEntry.id)], paged=False)) or 0)
