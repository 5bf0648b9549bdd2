"""CAND-1 to CAND-6: starting, naming, the daily limit, notice, readiness and spread."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from invigilator_app.domain.enums import Severity
from invigilator_app.domain.timezones import to_utc
from invigilator_app.rules.facts import AttemptFact
from invigilator_app.rules.scheduling import (
    check_assessment_named,
    check_daily_limit,
    check_notice,
    check_readiness,
    check_spread,
    check_start,
)


def at(day: date, hhmm: str, zone: str = "Europe/London") -> datetime:
    hours, minutes = hhmm.split(":")
    return to_utc(day, time(int(hours), int(minutes)), zone)


def att(
    key: str,
    day: date,
    hhmm: str,
    assessment: str = "601/8928/9",
    room: str = "IT Suite",
    reg: str = "R1234567",
    name: str = "Jane Smith",
    **kw: object,
) -> AttemptFact:
    return AttemptFact(
        key=key,
        registration_number=reg,
        candidate_name=name,
        assessment_id=assessment,
        qualification=assessment,
        start=at(day, hhmm),
        room=room,
        **kw,
    )  # type: ignore[arg-type]


DEC1 = date(2026, 12, 1)


# CAND-1 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identity", "logged_on", "blocked"),
    [(True, True, False), (False, True, True), (True, False, True), (False, False, True)],
)
def test_start_needs_identity_and_logon(identity: bool, logged_on: bool, blocked: bool) -> None:
    found = check_start(identity, logged_on, "Jane Smith (R1234567) at PC-03")
    assert bool(found) is blocked
    for v in found:
        assert v.rule_id == "CAND-1" and v.severity is Severity.BLOCK
        assert v.message.startswith("Jane Smith (R1234567) at PC-03 cannot start")


# CAND-2 ------------------------------------------------------------------------------


def test_every_allocation_names_an_assessment() -> None:
    found = check_assessment_named([att("a", DEC1, "09:30", assessment="  "), att("b", DEC1, "11:00")])
    [v] = found
    assert v.rule_id == "CAND-2" and v.blocks
    assert "Jane Smith (R1234567) has no assessment named for" in v.message
    assert "Tue 1 Dec 09:30 in IT Suite" in v.message


def test_cancelled_unnamed_allocation_is_ignored() -> None:
    assert check_assessment_named([att("a", DEC1, "09:30", assessment="", cancelled=True)]) == []


# CAND-3 ------------------------------------------------------------------------------


def test_third_assessment_in_another_room_is_blocked() -> None:
    existing = [att("1", DEC1, "09:30"), att("2", DEC1, "11:00", "603/1465/5", "Room 2")]
    planned = [att("new", DEC1, "14:00", "603/1467/9", "Room 3")]
    [v] = check_daily_limit(planned, existing, "Europe/London")
    assert v.rule_id == "CAND-3" and v.severity is Severity.BLOCK
    assert v.message.startswith(
        "Jane Smith (R1234567) already has 2 online assessments on Tue 1 Dec: "
        "601/8928/9 at 09:30 in IT Suite, 603/1465/5 at 11:00 in Room 2; "
        "adding 603/1467/9 at 14:00 in Room 3 makes 3"
    )
    assert "CAND-3" in v.message


def test_two_a_day_is_fine() -> None:
    assert check_daily_limit([att("new", DEC1, "14:00")], [att("1", DEC1, "09:30")]) == []


def test_three_all_planned_is_one_violation() -> None:
    planned = [att(k, DEC1, t) for k, t in (("a", "09:00"), ("b", "11:00"), ("c", "13:00"))]
    [v] = check_daily_limit(planned, [])
    assert "would have 3 online assessments on Tue 1 Dec" in v.message


def test_cancelled_allocation_no_longer_counts() -> None:
    existing = [att("1", DEC1, "09:30"), att("2", DEC1, "11:00", cancelled=True)]
    assert check_daily_limit([att("new", DEC1, "14:00")], existing) == []


def test_cancelling_in_the_plan_frees_the_slot() -> None:
    existing = [att("1", DEC1, "09:30"), att("2", DEC1, "11:00")]
    planned = [att("2", DEC1, "11:00", cancelled=True), att("new", DEC1, "14:00")]
    assert check_daily_limit(planned, existing) == []


def test_moving_an_allocation_counts_it_once() -> None:
    existing = [att("1", DEC1, "09:30"), att("2", date(2026, 12, 2), "11:00")]
    moved = [att("2", DEC1, "15:00")]  # same key: the stored one moves, not a third
    assert check_daily_limit(moved, existing) == []
    moved_away = [att("1", date(2026, 12, 3), "09:30")]
    full = [*existing, att("3", DEC1, "12:00"), att("4", DEC1, "13:00")]
    assert check_daily_limit(moved_away, full) == []


def test_existing_overload_not_touched_by_plan_is_not_reported() -> None:
    existing = [att(k, DEC1, t) for k, t in (("a", "09:00"), ("b", "11:00"), ("c", "13:00"))]
    assert check_daily_limit([att("n", date(2026, 12, 5), "09:00")], existing) == []


def test_other_candidates_do_not_count() -> None:
    existing = [att("1", DEC1, "09:30", reg="R2"), att("2", DEC1, "11:00", reg="R3")]
    assert check_daily_limit([att("new", DEC1, "14:00")], existing) == []


@pytest.mark.parametrize(("other_day", "blocked"), [(date(2026, 7, 1), True), (date(2026, 6, 30), False)])
def test_day_is_the_local_day(other_day: date, blocked: bool) -> None:
    # 00:30 BST on Wed 1 Jul is 23:30 UTC on Tue 30 Jun: it counts on Wed 1 Jul.
    early = att("early", date(2026, 7, 1), "00:30")
    assert early.start.date() == date(2026, 6, 30)
    existing = [att("1", other_day, "10:00"), att("2", other_day, "14:00")]
    found = check_daily_limit([early], existing, "Europe/London")
    assert bool(found) is blocked
    if blocked:
        assert "Wed 1 Jul" in found[0].message and "00:30" in found[0].message


def test_zone_name_changes_the_day() -> None:
    early = att("early", date(2026, 7, 1), "00:30")  # 23:30 UTC on 30 Jun
    utc_day = [
        AttemptFact("1", "R1234567", "Jane Smith", "x", "x", datetime(2026, 6, 30, 9, 0, tzinfo=early.start.tzinfo)),
        AttemptFact("2", "R1234567", "Jane Smith", "y", "y", datetime(2026, 6, 30, 12, 0, tzinfo=early.start.tzinfo)),
    ]
    assert check_daily_limit([early], utc_day, "UTC") != []
    assert check_daily_limit([early], utc_day, "Europe/London") == []


# CAND-4 / CAND-5 ---------------------------------------------------------------------


def test_notice_warnings() -> None:
    found = check_notice(
        [
            att("a", DEC1, "09:30"),
            att("b", DEC1, "11:00", notice_date=date(2026, 11, 20)),
            att("c", DEC1, "13:00", notice_date=DEC1),
            att("d", DEC1, "15:00", notice_date=date(2026, 12, 2)),
        ]
    )
    assert [v.rule_id for v in found] == ["CAND-4", "CAND-4", "CAND-4"]
    assert all(v.severity is Severity.WARN for v in found)
    assert "No notice date recorded for Jane Smith (R1234567) for 601/8928/9 at Tue 1 Dec 09:30" in found[0].message
    assert "notice on the day itself for 601/8928/9 at Tue 1 Dec 13:00" in found[1].message
    assert "Wed 2 Dec" in found[2].message


@pytest.mark.parametrize(("ready", "warned"), [(None, True), (False, True), (True, False)])
def test_readiness(ready: bool | None, warned: bool) -> None:
    found = check_readiness([att("a", DEC1, "09:30", readiness_confirmed=ready)])
    assert bool(found) is warned
    assert all(v.rule_id == "CAND-5" and v.severity is Severity.WARN for v in found)


# CAND-6 ------------------------------------------------------------------------------


def test_four_in_seven_days_warns_once() -> None:
    existing = [att(str(i), date(2026, 3, 2 + i), "10:00", f"A{i}") for i in range(3)]
    planned = [att("new", date(2026, 3, 8), "10:00", "A9")]
    [v] = check_spread(planned, existing)
    assert v.rule_id == "CAND-6" and v.severity is Severity.WARN
    assert "4 online assessments within 7 days (Mon 2 Mar to Sun 8 Mar)" in v.message


def test_spread_over_eight_days_is_fine() -> None:
    existing = [att(str(i), date(2026, 3, 2 + i), "10:00", f"A{i}") for i in range(3)]
    assert check_spread([att("new", date(2026, 3, 9), "10:00")], existing) == []


def test_spread_not_reported_without_a_planned_attempt_in_the_run() -> None:
    existing = [att(str(i), date(2026, 3, 2 + i), "10:00", f"A{i}") for i in range(4)]
    assert check_spread([att("new", date(2026, 5, 1), "10:00")], existing) == []
    assert check_spread([att("new", date(2026, 3, 6), "10:00", cancelled=True)], existing) == []
