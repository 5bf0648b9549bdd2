"""The hub re-checks every record a station returns against the whole centre.

A station checks what it knows; the hub knows every room. Each session a bundle touched
is checked again with every rule (``planning.changes.check_session``: CAND-3, CAND-7/8,
CAND-11, ROOM-9, INV-5 among them, over every room's history); whatever blocks or needs
an authorisation becomes a flag on the hub's review queue, named by rule id (a
``session_reviews`` row of action ``flagged``), once.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.rules.plan import blocking, needs_authorisation
from invigilator_app.services import facts
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.planning.changes import check_session
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, SessionReview

FLAGGED = "flagged"


def flag_sessions(session: Session, station: Station, session_ids: Sequence[int], source: str) -> list[str]:
    """Flag what only the centre's whole view shows; returns the new flags as text."""
    session.flush()
    out: list[str] = []
    for sid in session_ids:
        row = get_session_row(session, sid)
        allocs = session.scalars(
            select(Allocation).where(Allocation.session_id == sid, Allocation.cancelled.is_(False))
        ).all()
        if not allocs:
            continue
        attempts = [facts.attempt_fact(a) for a in allocs]
        violations = check_session(session, station, row, attempts)
        found = blocking(violations) + needs_authorisation(violations)
        known = {
            r.text
            for r in session.scalars(
                select(SessionReview).where(SessionReview.session_id == sid, SessionReview.action == FLAGGED)
            )
        }
        for v in found:
            text = f"{v.rule_id}: {v.message} (found at the hub when {source}'s record came back)"
            if text in known:
                continue
            known.add(text)
            session.add(
                SessionReview(session_id=sid, action=FLAGGED, text=text, by_id=station.actor.id, at=station.now())
            )
            out.append(f"session {sid}: {text}")
    return out
