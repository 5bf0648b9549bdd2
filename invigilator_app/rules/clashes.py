"""Clashes between sessions whose times overlap: CAND-11 (a candidate), ROOM-9 (a
workstation), INV-5 (an invigilator).

A session holds its candidates, its workstations and its invigilator from its planned
start to its planned finish: the latest of its candidates' planned finishes, each the
start plus the assessment's planned minutes stretched by the candidate's extra time. An
assessment whose length is not known is taken to last ``UNKNOWN_MINUTES``, so a session
never holds nothing. Sessions that only touch (one finishes as the other starts) do not
overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from invigilator_app.domain.timezones import DEFAULT_ZONE, as_utc
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.catalogue import violation
from invigilator_app.rules.common import active, fmt_clock, fmt_when, join_names
from invigilator_app.rules.facts import AttemptFact, BookingFact, PlanFact

UNKNOWN_MINUTES = 90
"""The length assumed for an assessment whose planned minutes are not recorded."""


def attempt_finish(start: datetime, planned_minutes: int | None, extra_time_percent: int = 0) -> datetime:
    """Planned finish of one attempt: start + planned minutes × (100 + extra time %) / 100."""
    minutes = planned_minutes if planned_minutes else UNKNOWN_MINUTES
    return as_utc(start) + timedelta(minutes=minutes * (100 + max(extra_time_percent, 0)) / 100)


def booking_of(
    session_id: int | None,
    room: str,
    start: datetime,
    invigilator: str,
    attempts: Iterable[AttemptFact],
) -> BookingFact:
    """The booking a session makes with these attempts (cancelled ones hold nothing)."""
    held = active(attempts)
    begin = min([as_utc(start), *(as_utc(a.start) for a in held)])
    finishes = [attempt_finish(a.start, a.planned_minutes, a.extra_time_percent) for a in held]
    finish = max(finishes) if finishes else attempt_finish(start, None)
    people = {a.registration_number.upper(): (a.registration_number, a.candidate_name) for a in held}
    seats = sorted({a.workstation for a in held if a.workstation.strip()})
    return BookingFact(
        session_id, room, begin, finish, invigilator, tuple(people[k] for k in sorted(people)), tuple(seats)
    )


def plan_booking(plan: PlanFact) -> BookingFact:
    """The booking of a planned (new or changed) session."""
    return booking_of(plan.session_id, plan.room, plan.start, plan.invigilator.name, plan.attempts)


def overlaps(a: BookingFact, b: BookingFact) -> bool:
    """True when the two sessions' times overlap (touching end to start does not)."""
    return as_utc(a.start) < as_utc(b.finish) and as_utc(b.start) < as_utc(a.finish)


def session_label(booking: BookingFact, zone_name: str = DEFAULT_ZONE) -> str:
    """ "session 12 (IT Suite, Tue 1 Dec 09:30–11:00)", or "this session (…)" for a new one."""
    name = f"session {booking.session_id}" if booking.session_id is not None else "this session"
    return f"{name} ({booking.room}, {fmt_when(booking.start, zone_name)}–{fmt_clock(booking.finish, zone_name)})"


def _same_room(a: BookingFact, b: BookingFact) -> bool:
    return a.room.strip().casefold() == b.room.strip().casefold()


def check_clashes(
    booking: BookingFact, others: Sequence[BookingFact], zone_name: str = DEFAULT_ZONE
) -> list[Violation]:
    """CAND-11, ROOM-9 and INV-5 for one session against every other stored session.

    Other bookings with the same session id as ``booking`` are the session itself (as it
    was before a change) and are skipped. Every message names both sessions.
    """
    found: list[Violation] = []
    mine = session_label(booking, zone_name)
    people = {reg.upper(): (reg, name) for reg, name in booking.candidates}
    for other in sorted(others, key=lambda o: (as_utc(o.start), o.session_id or 0, o.room)):
        if booking.session_id is not None and other.session_id == booking.session_id:
            continue
        if not overlaps(booking, other):
            continue
        theirs = session_label(other, zone_name)
        shared = sorted({reg.upper() for reg, _ in other.candidates} & set(people))
        for key in shared:
            reg, name = people[key]
            who = f"{name} ({reg})" if name.strip() else reg
            found.append(
                violation(
                    "CAND-11",
                    (
                        f"{who} would be in {mine} and in {theirs} at the same time (CAND-11: a candidate"
                        " is never in two sessions whose times overlap)"
                    ),
                )
            )
        if _same_room(booking, other):
            seats = sorted(set(booking.workstations) & set(other.workstations))
            if seats:
                found.append(
                    violation(
                        "ROOM-9",
                        (
                            f"{join_names(seats)} in {booking.room} would be allocated in {mine} and in"
                            f" {theirs} at the same time (ROOM-9: a workstation holds one candidate at"
                            " a time)"
                        ),
                    )
                )
        name = booking.invigilator.strip()
        if name and name.casefold() == other.invigilator.strip().casefold():
            found.append(
                violation(
                    "INV-5",
                    (
                        f"{name} would invigilate {mine} and {theirs} at the same time (INV-5: an"
                        " invigilator is in one room at a time; record a relief invigilator's"
                        " change-over in the log instead)"
                    ),
                )
            )
    return found
