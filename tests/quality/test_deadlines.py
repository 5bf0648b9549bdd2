"""The quality file's windows as date arithmetic: months that lack the day, leap days, and
each boundary (the last day inside, the first day outside)."""

from __future__ import annotations

from datetime import date

import pytest

from invigilator_app.rules.deadlines import (
    add_months,
    complaint_windows,
    describe_days,
    due_state,
    needs_warning,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # into a leap February
        (date(2028, 2, 29), 6, date(2028, 8, 29)),  # from a leap day
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 11, 23), 6, date(2027, 5, 23)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_months_are_calendar_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_a_complaint_within_90_days_late_or_out_of_time() -> None:
    incident = date(2027, 12, 1)
    assert complaint_windows(incident, date(2028, 2, 29)).standing == "within 90 days", "the 90th day, in a leap year"
    assert complaint_windows(incident, date(2028, 2, 29)).prompt_until == date(2028, 2, 29)
    assert complaint_windows(incident, date(2028, 3, 1)).standing.startswith("late")
    assert complaint_windows(incident, date(2028, 6, 1)).standing.startswith("late"), "6 months to the day"
    assert complaint_windows(incident, date(2028, 6, 2)).standing.startswith("out of time")
    assert complaint_windows(date(2027, 8, 31), date(2027, 9, 1)).last_day == date(2028, 2, 29)


def test_an_action_is_due_soon_from_7_days_and_overdue_the_day_after() -> None:
    due = date(2028, 2, 29)
    assert due_state(due, date(2028, 2, 21)) == "open" and not needs_warning(due, date(2028, 2, 21))
    assert due_state(due, date(2028, 2, 22)) == "due soon" and needs_warning(due, date(2028, 2, 22))
    assert describe_days(due, date(2028, 2, 28)) == "1 day left"
    assert describe_days(due, date(2028, 2, 29)) == "due today" and due_state(due, date(2028, 2, 29)) == "due soon"
    assert describe_days(due, date(2028, 3, 1)) == "1 day overdue" and due_state(due, date(2028, 3, 1)) == "overdue"
    assert due_state(due, date(2028, 3, 9), done=True) == "done" and not needs_warning(due, date(2028, 3, 9), done=True)
