"""A relief invigilator takes over at the lock screen.

The lock screen accepts, besides the locked user's own password, that of an invigilator
nominated by the coordinator (INV-4) or of a coordinator. The change-over is a log entry
of the running session (``invigilator_change``: who handed over to whom, when, with both
IMI PINs), so the record shows it as JCQ's incident log expects of invigilator changes
(INV-5: a change-over is recorded, not planned as a second session). An invigilator who
takes over becomes the session's invigilator from then on, and may record in it and sign
it off; the earlier one stays on the record through the change-over entry.
"""

from __future__ import annotations

from invigilator_app.domain.enums import Role, SessionState, Severity
from invigilator_app.domain.errors import NotPermitted, RuleRefused
from invigilator_app.domain.timezones import local
from invigilator_app.domain.violations import Violation
from invigilator_app.services.console.sessions import get_session_row
from invigilator_app.services.station import Actor, Station
from invigilator_app.store.models import LogEntry, User

CHANGE_TYPE = "invigilator_change"
TAKING_OVER = (SessionState.PLANNED.value, SessionState.RUNNING.value)


def _who(user: User | None, name: str) -> str:
    pin = f", IMI PIN {user.imi_pin}" if user is not None and user.imi_pin else ""
    return f"{name}{pin}"


def take_over(locked: Station, relief: Station, session_id: int | None) -> str:
    """Hand the locked station to ``relief`` (opened with its own password): check that it
    may take over, log the change-over in the session, and put the relief user's store and
    identity into the locked Station object, so every screen holding it carries on.
    Returns the line logged (or, with no session on screen, a sentence for the status bar).
    ``relief`` is closed or absorbed either way."""
    new = relief.actor
    try:
        if new.role not in (Role.INVIGILATOR, Role.COORDINATOR):
            raise NotPermitted(
                f"{new.name} ({new.role.value}) cannot take over the station: only an invigilator or a coordinator can."
            )
        line = f"{new.name} took over from {locked.actor.name}."
        if session_id is not None:
            line = _log_change_over(locked.actor, relief, session_id)
    except BaseException:
        relief.close()
        raise
    locked.db = relief.db
    locked.actor = new
    locked.signer, locked.centre_key = relief.signer, relief.centre_key  # from now on they sign
    return line


def _log_change_over(before: Actor, relief: Station, session_id: int) -> str:
    new = relief.actor
    now = relief.now()
    with relief.write() as session:
        row = get_session_row(session, session_id)
        if row.state not in TAKING_OVER:
            return f"{new.name} took over from {before.name}."
        user = session.get(User, new.id)
        assert user is not None
        if new.role is Role.INVIGILATOR:
            if user.nominated_by_id is None:
                raise RuleRefused(
                    [
                        Violation(
                            "INV-4",
                            Severity.BLOCK,
                            f"{new.name} has not been nominated as an invigilator "
                            "by the coordinator, so cannot take over the room.",
                        )
                    ]
                )
            if user.assessor and not user.assessor_authorisation:
                raise RuleRefused(
                    [
                        Violation(
                            "INV-2",
                            Severity.BLOCK,
                            f"{new.name} is an assessor without the coordinator's authorisation to invigilate.",
                        )
                    ]
                )
        previous = session.get(User, before.id)
        when = local(now, relief.zone).strftime("%H:%M")
        line = f"Invigilator change at {when}: {_who(user, new.name)} took over from {_who(previous, before.name)}"
        session.add(
            LogEntry(
                session_id=session_id,
                type=CHANGE_TYPE,
                at=now,
                note=line,
                recorded_by_id=new.id,
                recorded_at=now,
            )
        )
        if new.role is Role.INVIGILATOR:
            row.invigilator_id = new.id
        return line
