"""Shared helpers for the rule checks: wording of times, people and attempts."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from invigilator_app.domain.timefmt import short_day_text, time_text
from invigilator_app.domain.timezones import as_utc, local
from invigilator_app.rules.facts import AttemptFact


def fmt_day(day: date) -> str:
    """A day as a coordinator reads it: "Tue 1 Dec" (locale independent; domain.timefmt)."""
    return short_day_text(day)


def fmt_clock(moment: datetime, zone_name: str) -> str:
    """The wall-clock time in the centre's zone: "09:30"."""
    return time_text(moment, zone_name)


def fmt_when(moment: datetime, zone_name: str) -> str:
    """Day and time in the centre's zone: "Tue 1 Dec 09:30"."""
    shown = local(moment, zone_name)
    return f"{fmt_day(shown.date())} {shown:%H:%M}"


def fmt_duration(delta: timedelta) -> str:
    """A length of time in whole minutes, rounded down: "47 h 59 min", "2 h", "-1 h 5 min"."""
    minutes = math.floor(delta.total_seconds() / 60)
    sign = "-" if minutes < 0 else ""
    hours, mins = divmod(abs(minutes), 60)
    if hours and mins:
        return f"{sign}{hours} h {mins} min"
    if hours:
        return f"{sign}{hours} h"
    return f"{sign}{mins} min"


def ceil_minute(moment: datetime) -> datetime:
    """The moment rounded up to a whole minute (for "earliest allowed" times)."""
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=1)


def candidate_label(attempt: AttemptFact) -> str:
    """ "Jane Smith (R1234567)", or just the registration number if no name is known."""
    name = attempt.candidate_name.strip()
    return f"{name} ({attempt.registration_number})" if name else attempt.registration_number


def assessment_label(attempt: AttemptFact) -> str:
    """The assessment's id, or a clear stand-in when none is named (CAND-2)."""
    named = attempt.assessment_id.strip()
    if named:
        return named
    qualification = attempt.qualification.strip()
    return f"(no assessment named{', qualification ' + qualification if qualification else ''})"


def attempt_at(attempt: AttemptFact, zone_name: str, *, with_day: bool = False) -> str:
    """ "601/8928/9 at 09:30 in IT Suite" (optionally with the day before the time)."""
    when = fmt_when(attempt.start, zone_name) if with_day else fmt_clock(attempt.start, zone_name)
    room = f" in {attempt.room}" if attempt.room.strip() else ""
    return f"{assessment_label(attempt)} at {when}{room}"


def attempt_order(attempt: AttemptFact) -> tuple[datetime, str, str, str]:
    """A total order on attempts that does not depend on how a list was built."""
    return (as_utc(attempt.start), attempt.registration_number, attempt.assessment_id, attempt.key)


def active(attempts: Iterable[AttemptFact]) -> list[AttemptFact]:
    """The attempts that still count (not cancelled), in ``attempt_order``."""
    return sorted((a for a in attempts if not a.cancelled), key=attempt_order)


def merge_attempts(planned: Sequence[AttemptFact], existing: Iterable[AttemptFact]) -> list[AttemptFact]:
    """Existing attempts with the planned ones laid over them by key, in ``attempt_order``.

    An existing attempt with the same key as a planned one is the same allocation being
    changed (moved, cancelled, re-roomed): only the planned version counts.
    """
    by_key: dict[str, AttemptFact] = {a.key: a for a in existing}
    for attempt in planned:
        by_key[attempt.key] = attempt
    return sorted(by_key.values(), key=attempt_order)


def same_assessment(a: AttemptFact, b: AttemptFact) -> bool:
    """Same candidate, same (named) assessment, different allocation."""
    return (
        a.key != b.key
        and a.registration_number == b.registration_number
        and bool(a.assessment_id.strip())
        and a.assessment_id.strip() == b.assessment_id.strip()
    )


def join_names(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
