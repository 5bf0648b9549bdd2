"""CAND-7 (retake interval), CAND-8 (support note), CAND-9 (resit charges)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from invigilator_app.domain.enums import Severity
from invigilator_app.domain.timezones import to_utc
from invigilator_app.rules.facts import AttemptFact, QualificationFact
from invigilator_app.rules.retakes import (
    attempt_number,
    check_resit_charge,
    check_retake_interval,
    check_support_note,
    previous_result,
    retake_from,
)
from invigilator_app.rules.scheduling import attempt_number as attempt_number_reexported

MOT = "601/8928/9"
LONG = "ST0033/A1"
QUALS = {MOT: QualificationFact(MOT, "MOT", retake_hours=2), LONG: QualificationFact(LONG, "Long")}


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return to_utc(day, time(int(hours), int(minutes)), "Europe/London")


def att(key: str, start: datetime, assessment: str = LONG, **kw: object) -> AttemptFact:
    return AttemptFact(
        key=key,
        registration_number="R1234567",
        candidate_name="Jane Smith",
        assessment_id=assessment,
        qualification=assessment,
        start=start,
        room="IT Suite",
        **kw,
    )  # type: ignore[arg-type]


def failed(start: datetime, assessment: str = LONG, key: str = "old", **kw: object) -> AttemptFact:
    return att(key, start, assessment, result="fail", finish=start, **kw)


MON = date(2026, 6, 1)


def interval_blocks(fail_at: datetime, retake_at: datetime, assessment: str = LONG) -> bool:
    found = check_retake_interval(
        [att("new", retake_at, assessment, support_note="x")], [failed(fail_at, assessment)], QUALS
    )
    assert all(v.rule_id == "CAND-7" and v.severity is Severity.BLOCK for v in found)
    return bool(found)


@pytest.mark.parametrize(
    ("gap", "assessment", "blocked"),
    [
        (timedelta(hours=48), LONG, False),
        (timedelta(hours=47, minutes=59), LONG, True),
        (timedelta(hours=49), LONG, False),
        (timedelta(hours=2), MOT, False),
        (timedelta(hours=1, minutes=59), MOT, True),
        (timedelta(hours=1, minutes=59), "unknown/qual", True),
        (timedelta(hours=47), "unknown/qual", True),  # not in the facts: 48 h
    ],
)
def test_interval_edges(gap: timedelta, assessment: str, blocked: bool) -> None:
    fail_at = at(MON, "10:00")
    assert interval_blocks(fail_at, fail_at + gap, assessment) is blocked


def test_spring_clock_change_counts_real_hours() -> None:
    # Sat 28 Mar 2026 10:00 GMT -> Mon 30 Mar 10:00 BST is only 47 h of real time.
    fail_at, retake_at = at(date(2026, 3, 28), "10:00"), at(date(2026, 3, 30), "10:00")
    assert retake_at - fail_at == timedelta(hours=47)
    [v] = check_retake_interval([att("new", retake_at, support_note="x")], [failed(fail_at)], QUALS)
    assert "earliest retake is Mon 30 Mar 11:00, not Mon 30 Mar 10:00 (only 47 h later)" in v.message
    assert v.message.startswith("Jane Smith (R1234567) failed ST0033/A1 (finished Sat 28 Mar 10:00)")
    assert not interval_blocks(fail_at, at(date(2026, 3, 30), "11:00"))


def test_autumn_clock_change_counts_real_hours() -> None:
    # Sat 24 Oct 2026 10:00 BST -> Mon 26 Oct 10:00 GMT is 49 h; 08:59 GMT is 47 h 59 min.
    fail_at = at(date(2026, 10, 24), "10:00")
    assert not interval_blocks(fail_at, at(date(2026, 10, 26), "10:00"))
    assert not interval_blocks(fail_at, at(date(2026, 10, 26), "09:00"))
    assert interval_blocks(fail_at, at(date(2026, 10, 26), "08:59"))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"finish": datetime(2026, 6, 1, 11, 0)}, datetime(2026, 6, 1, 11, 0)),
        ({"actual_start": datetime(2026, 6, 1, 9, 10), "planned_minutes": 60}, datetime(2026, 6, 1, 10, 10)),
        ({"planned_minutes": 90}, datetime(2026, 6, 1, 10, 30)),
        ({"actual_start": datetime(2026, 6, 1, 9, 5)}, datetime(2026, 6, 1, 9, 5)),
        ({}, datetime(2026, 6, 1, 9, 0)),
    ],
)
def test_interval_starts_at_the_best_known_finish(fields: dict[str, object], expected: datetime) -> None:
    from datetime import UTC

    fixed = {k: v.replace(tzinfo=UTC) if isinstance(v, datetime) else v for k, v in fields.items()}
    attempt = att("old", datetime(2026, 6, 1, 9, 0, tzinfo=UTC), result="fail", **fixed)  # type: ignore[arg-type]
    assert retake_from(attempt) == expected.replace(tzinfo=UTC)


def test_candidate_who_passed_needs_no_interval() -> None:
    fail_at = at(MON, "09:00")
    history = [failed(fail_at), att("pass", fail_at + timedelta(hours=50), result="pass", support_note="x")]
    planned = [att("new", fail_at + timedelta(hours=51))]
    assert check_retake_interval(planned, history, QUALS) == []
    assert check_support_note(planned, history) == []
    assert previous_result(planned[0], history) == history[1]


def test_passed_attempt_needs_no_interval() -> None:
    passed = att("old", at(MON, "09:00"), result="pass")
    assert check_retake_interval([att("new", at(MON, "10:00"))], [passed], QUALS) == []


def test_only_the_same_assessment_and_candidate_matter() -> None:
    fail_at = at(MON, "09:00")
    other_assessment = [failed(fail_at, "603/1465/5")]
    other_candidate = [AttemptFact("x", "R9", "Sam", LONG, LONG, fail_at, result="fail")]
    retake = [att("new", fail_at + timedelta(hours=1))]
    assert check_retake_interval(retake, other_assessment + other_candidate, QUALS) == []


def test_cancelled_failure_and_unknown_result_do_not_count() -> None:
    fail_at = at(MON, "09:00")
    retake = [att("new", fail_at + timedelta(hours=1))]
    assert check_retake_interval(retake, [failed(fail_at, cancelled=True)], QUALS) == []
    assert check_retake_interval(retake, [att("old", fail_at)], QUALS) == []


def test_moving_a_retake_is_checked_with_the_plan_version() -> None:
    fail_at = at(MON, "09:00")
    stored_retake = att("r", fail_at + timedelta(hours=60), support_note="x")
    moved = att("r", fail_at + timedelta(hours=3), support_note="x")
    assert check_retake_interval([moved], [failed(fail_at), stored_retake], QUALS) != []


# CAND-8 ------------------------------------------------------------------------------


def test_retake_needs_support_note() -> None:
    history = [failed(at(MON, "09:00"))]
    later = at(date(2026, 6, 5), "09:00")
    [v] = check_support_note([att("new", later)], history)
    assert v.rule_id == "CAND-8" and v.blocks
    assert "Jane Smith (R1234567) failed ST0033/A1 on Mon 1 Jun 09:00" in v.message
    assert "Fri 5 Jun 09:00" in v.message
    assert check_support_note([att("new", later, support_note="   ")], history) != []
    assert check_support_note([att("new", later, support_note="Extra session on brakes")], history) == []


def test_first_attempt_needs_no_support_note() -> None:
    assert check_support_note([att("new", at(MON, "09:00"))], []) == []


# CAND-9 ------------------------------------------------------------------------------


def test_attempt_number_counts_earlier_non_cancelled_attempts() -> None:
    history = [
        failed(at(MON, "09:00"), key="1"),
        failed(at(date(2026, 6, 4), "09:00"), key="2"),
        failed(at(date(2026, 6, 3), "09:00"), key="c", cancelled=True),
    ]
    new = att("new", at(date(2026, 6, 8), "09:00"))
    assert attempt_number(new, []) == 1
    assert attempt_number(new, history[:1]) == 2
    assert attempt_number(new, history) == 3
    assert attempt_number(history[0], history) == 1  # itself and later ones do not count
    assert attempt_number_reexported is attempt_number


@pytest.mark.parametrize(("earlier_fails", "warned"), [(0, False), (1, False), (2, True), (3, True)])
def test_second_and_later_resits_are_chargeable(earlier_fails: int, warned: bool) -> None:
    history = [failed(at(date(2026, 6, 1 + 3 * i), "09:00"), key=f"f{i}") for i in range(earlier_fails)]
    found = check_resit_charge([att("new", at(date(2026, 6, 20), "09:00"), support_note="x")], history)
    assert bool(found) is warned
    for v in found:
        assert v.rule_id == "CAND-9" and v.severity is Severity.WARN
        assert f"attempt {earlier_fails + 1} (resit {earlier_fails}), chargeable" in v.message
        assert "Key Stage 4/5" in v.message


def test_attempts_not_sat_are_shown_not_counted() -> None:
    from datetime import UTC, datetime, timedelta

    from invigilator_app.rules.facts import AttemptFact
    from invigilator_app.rules.retakes import attempt_number, check_resit_charge

    day = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)

    def one(key: str, days: int, **kw: object) -> AttemptFact:
        return AttemptFact(key, "R1", "Jane Smith", "A1", "Q1", day + timedelta(days=days), **kw)  # type: ignore[arg-type]

    history = [one("1", 0, result="fail", sat=True), one("2", 3, sat=False), one("3", 5, sat=None, cancelled=True)]
    assert attempt_number(one("p", 7), history) == 2
    assert check_resit_charge([one("p", 7)], history) == []
    found = check_resit_charge([one("p", 9)], [*history, one("4", 7, sat=True, result="fail")])
    assert len(found) == 1 and "attempt 3 (resit 2) (not counting 1 not sat: Fri 4 Dec 09:30)" in found[0].message
