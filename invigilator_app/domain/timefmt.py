"""One way of writing dates and times, for every screen, message and the record.

Locale independent (an exam-room PC's locale must not change the record), times in the
centre's zone, 24-hour clock:

- ``day_text``: "Tue 1 Dec 2026"         - ``long_day_text``: "Tuesday 1 December 2026"
- ``time_text``: "09:30"                  - ``clock_text``: "09:30:15"
- ``when_text``: "Tue 1 Dec 2026 09:30"   - ``session_name``: "IT Suite, Tue 1 Dec 2026 09:30"
"""

from __future__ import annotations

from datetime import date, datetime, time

from invigilator_app.domain.timezones import local

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def short_day_text(day: date) -> str:
    """A day within the year on screen: "Tue 1 Dec"."""
    return f"{DAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"


def day_text(day: date) -> str:
    """A day: "Tue 1 Dec 2026"."""
    return f"{short_day_text(day)} {day.year}"


def long_day_text(day: date) -> str:
    """A day written out, for headings and the room clock: "Tuesday 1 December 2026"."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _shown(moment: datetime, zone_name: str | None) -> datetime:
    """In the centre's zone when one is named; otherwise as given (already local)."""
    return local(moment, zone_name) if zone_name is not None else moment


def time_text(moment: datetime | time | None, zone_name: str | None = None) -> str:
    """A time of day, "09:30" (empty for none); a plain time is shown as it is."""
    if moment is None:
        return ""
    return f"{moment:%H:%M}" if isinstance(moment, time) else f"{_shown(moment, zone_name):%H:%M}"


def clock_text(moment: datetime, zone_name: str | None = None) -> str:
    """The clock with seconds: "09:30:15"."""
    return f"{_shown(moment, zone_name):%H:%M:%S}"


def when_text(moment: datetime | None, zone_name: str | None = None) -> str:
    """Day and time: "Tue 1 Dec 2026 09:30" (empty for none)."""
    if moment is None:
        return ""
    shown = _shown(moment, zone_name)
    return f"{day_text(shown.date())} {shown:%H:%M}"


def session_name(room: str, day: date, start: str) -> str:
    """How a session is named to people: by room, date and time, never by its number."""
    return f"{room}, {day_text(day)} {start}"
