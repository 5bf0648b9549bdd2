"""Deadlines of the centre's quality file, as pure date arithmetic on centre-time days
(the caller turns "now" into the centre's own date first, so a clock change never moves
a deadline).

- EQA actions (000): completed by the date the EQA set, then signed off by the EQA;
  a warning from 7 days before the date, overdue after it.
- Complaints (004): to be raised within 90 days of the incident; heard later only at the
  awarding body's discretion, and never more than 6 months after it.
- Malpractice (003): the awarding body is told immediately (by the day the centre knew);
  the records are kept while the investigation is open and at least five years after.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

WARN_DAYS = 7
"""A deadline this many days away or fewer (or past) is warned about."""
PROMPT_DAYS = 90
LAST_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day
    (31 August + 6 months is the last day of February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def days_left(due: date, today: date) -> int:
    """Whole days from today to the due day: 0 on the day, negative once past."""
    return (due - today).days


def due_state(due: date, today: date, *, done: bool = False) -> str:
    """done, overdue, due soon (within WARN_DAYS) or open."""
    if done:
        return "done"
    left = days_left(due, today)
    if left < 0:
        return "overdue"
    return "due soon" if left <= WARN_DAYS else "open"


def needs_warning(due: date, today: date, *, done: bool = False) -> bool:
    return due_state(due, today, done=done) in ("overdue", "due soon")


def describe_days(due: date, today: date) -> str:
    left = days_left(due, today)
    if left == 0:
        return "due today"
    if left < 0:
        return f"{-left} day{'s' if left != -1 else ''} overdue"
    return f"{left} day{'s' if left != 1 else ''} left"


@dataclass(frozen=True)
class ComplaintWindows:
    prompt_until: date
    """The last day to raise it "promptly" (90 days after the incident)."""
    last_day: date
    """The last day it can be heard at all (6 months after the incident)."""
    standing: str
    """As received: "within 90 days", "late: at the awarding body's discretion" or
    "out of time: more than 6 months after the incident"."""


def complaint_windows(incident: date, received: date) -> ComplaintWindows:
    prompt = incident + timedelta(days=PROMPT_DAYS)
    last = add_months(incident, LAST_MONTHS)
    if received <= prompt:
        standing = "within 90 days"
    elif received <= last:
        standing = "late: at the awarding body's discretion"
    else:
        standing = "out of time: more than 6 months after the incident"
    return ComplaintWindows(prompt, last, standing)


def escalation_days_left(incident: date, today: date) -> int:
    """Days left to take the complaint to the awarding body before it is out of time."""
    return days_left(add_months(incident, LAST_MONTHS), today)
