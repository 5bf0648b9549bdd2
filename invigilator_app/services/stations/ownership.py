"""Who may change a session's record in a centre with several rooms.

A session sent to a station belongs to it until its record comes back signed off: on the
hub, a flush that would change it (the session, its places, log, identity checks,
checklist, acknowledgements, pauses, amendments) is refused with the reason, except
cancelling a place, which travels to the station with the next bundle. On a station,
only the sessions it holds can change; sessions are planned at the hub (a walk-in is
added to a session the station holds). A bundle being written passes
(``exchange.IMPORTING``). A single-PC centre is never checked (no query, no cost).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.domain.timefmt import when_text
from invigilator_app.store.centre_models import EnrolledStation, StationSession
from invigilator_app.store.database import ROLE_INFO
from invigilator_app.store.lean import LeanWrite
from invigilator_app.store.models import (
    Allocation,
    Amendment,
    ChecklistAnswer,
    ClockPause,
    IdentityCheck,
    LogEntry,
    RuleAcknowledgement,
)
from invigilator_app.store.models import Session as SessionRow

IMPORTING = "bundle_import"
HUB_KEPT = frozenset(
    {
        "centres",
        "rooms",
        "workstations",
        "users",
        "user_certificates",
        "candidates",
        "stations",
        "qualifications",
        "assessments",
    }
)
"""Tables a station holds as copies of the hub's: changed only by the hub's bundles."""
WITH_SESSION = (Allocation, LogEntry, ChecklistAnswer, RuleAcknowledgement, ClockPause, Amendment)


PLANNED_AT_HUB = (
    "Sessions are planned at the hub: this PC is a station of the centre. A walk-in is added to a "
    "session this station holds."
)


def refuse_planning_at_station(role: str | None) -> None:
    """Planning a session on a station is refused before anything is read or written."""
    if role == "station":
        raise NotPermitted(PLANNED_AT_HUB)


def _session_of(session: Session, obj: Any) -> int | None:
    if isinstance(obj, SessionRow):
        return obj.id
    if isinstance(obj, WITH_SESSION):
        return obj.session_id
    if isinstance(obj, IdentityCheck):
        alloc = session.get(Allocation, obj.allocation_id)
        return alloc.session_id if alloc is not None else None
    return None


def _only_cancelling(obj: Any) -> bool:
    if not isinstance(obj, Allocation):
        return False
    state = inspect(obj)
    changed = {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}
    return "cancelled" in changed and changed <= {"cancelled", "state"} and obj.cancelled is True


@event.listens_for(Session, "before_flush")
def _guard(session: Session, _ctx: Any, _instances: Any) -> None:
    role = session.info.get(ROLE_INFO)
    if role is None or session.info.get(IMPORTING):
        return
    touched: dict[int, Any] = {}
    with session.no_autoflush:
        if role == "station":
            for obj in session.new:
                if isinstance(obj, SessionRow):
                    raise NotPermitted(PLANNED_AT_HUB)
            for group in (session.new, session.dirty, session.deleted):
                for obj in group:
                    table = inspect(obj).mapper.local_table.name
                    if table in HUB_KEPT and (obj not in session.dirty or session.is_modified(obj)):
                        raise NotPermitted(
                            f"This PC is a station of the centre: its {table.replace('_', ' ')} are copies of "
                            "the hub's, changed at the hub and brought here with the next bundle."
                        )
        for group in (session.new, session.dirty, session.deleted):
            for obj in group:
                if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                    continue
                if role == "station" and isinstance(obj, SessionRow) and obj in session.new:
                    continue
                sid = _session_of(session, obj)
                if sid is not None:
                    touched.setdefault(sid, obj)
        if not touched:
            return
        rows = {
            r.session_id: r
            for r in session.scalars(select(StationSession).where(StationSession.session_id.in_(list(touched))))
        }
        for sid, obj in sorted(touched.items()):
            held = rows.get(sid)
            if role == "station":
                if held is None:
                    raise NotPermitted(_not_held(sid))
                continue
            if held is None or not held.held:
                continue
            if _only_cancelling(obj) and all(_only_cancelling(o) for o in touched.values()):
                continue
            where = session.get(EnrolledStation, held.station_id)
            raise NotPermitted(_out_at(sid, where.name if where else None, held.sent_at))


def _not_held(sid: int) -> str:
    return (
        f"Session {sid} is not held by this station: it is part of the centre's history, "
        "changed only at the hub (or at the station that holds it)."
    )


def _out_at(sid: int, station: str | None, sent_at: datetime | None) -> str:
    since = f" since {when_text(sent_at)}" if sent_at else ""
    return (
        f"Session {sid} is out at station {station or '?'}{since}: it is changed there until "
        "its record comes back signed off. Only cancelling a candidate's place is possible here (the "
        "cancellation travels with the next bundle)."
    )


HELD = (
    "SELECT ss.held, ss.sent_at, st.name FROM station_sessions ss "
    "LEFT JOIN stations st ON st.id = ss.station_id WHERE ss.session_id = ?"
)


def refuse_new_rows(tx: LeanWrite, role: str | None, sid: int) -> None:
    """What the flush guard decides for new rows of session ``sid`` (not a session
    itself), for a write through ``store.lean``: at a station, only a session it holds;
    at the hub, not a session out at a station."""
    if role is None:
        return
    found = tx.one(HELD, (sid,))
    if role == "station":
        if found is None:
            raise NotPermitted(_not_held(sid))
        return
    if found is None or not found[0]:
        return
    sent_at = datetime.fromisoformat(found[1]).replace(tzinfo=UTC) if found[1] else None
    raise NotPermitted(_out_at(sid, found[2], sent_at))
