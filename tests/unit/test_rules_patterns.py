"""Patterns (001, 000): unusual times, short completions, frequent attempts, early resits,
more than two a day — pure functions, edge cases at every threshold."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from invigilator_app.domain.patterns import PatternKind, PatternSettings
from invigilator_app.rules import patterns
from invigilator_app.rules.facts import AttemptFact

ZONE = "Europe/London"
DEFAULT = PatternSettings()


def attempt(
    key: str,
    start: datetime,
    minutes: int | None = 40,
    *,
    reg: str = "R1",
    code: str = "EV1",
    qual: str = "603/1465/5",
    result: str | None = "pass",
    started: bool = True,
    cancelled: bool = False,
) -> AttemptFact:
    return AttemptFact(
        key=key,
        registration_number=reg,
        candidate_name=f"Candidate {reg}",
        assessment_id=code,
        qualification=qual,
        start=start,
        actual_start=start if started else None,
        session_id=int(key) if key.isdigit() else None,
        finish=start + timedelta(minutes=minutes) if minutes is not None else None,
        result=result,
        cancelled=cancelled,
    )


def utc(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    """January 2026 is GMT, so these are also centre times. 5 Jan 2026 is a Monday."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_unusual_times_respect_the_thresholds_exactly() -> None:
    at = [
        attempt("1", utc(5, 7, 59)),
        attempt("2", utc(5, 8, 0)),
        attempt("3", utc(5, 18, 0)),
        attempt("4", utc(5, 18, 1)),
        attempt("5", utc(10, 10, 0)),
    ]  # Saturday
    found = patterns.unusual_times(at, DEFAULT, ZONE)
    assert [f.allocation_keys for f in found] == [("1",), ("4",), ("5",)]
    assert "before 08:00" in found[0].detail and "after 18:00" in found[1].detail and "Saturday" in found[2].detail
    relaxed = PatternSettings(day_starts=time(7, 0), day_ends=time(19, 0), weekends_unusual=False)
    assert patterns.unusual_times(at, relaxed, ZONE) == []


def test_unusual_time_is_judged_on_the_centres_clock_in_summer() -> None:
    # 07:30 UTC in July is 08:30 in London: not unusual.
    summer = attempt("1", datetime(2026, 7, 6, 7, 30, tzinfo=UTC))
    assert patterns.unusual_times([summer], DEFAULT, ZONE) == []
    assert patterns.unusual_times([summer], DEFAULT, "UTC")


def test_short_completion_is_below_the_share_of_the_median_and_needs_a_sample() -> None:
    normal = [attempt(str(i), utc(5 + i, 10), 40) for i in range(1, 4)]
    quick = attempt("9", utc(12, 10), 9)  # 9/40 = 22.5 % < 25 %
    border = attempt("8", utc(13, 10), 10)  # 25 % exactly: not below
    found = patterns.short_completions([*normal, quick, border], DEFAULT)
    assert [f.allocation_keys for f in found] == [("9",)]
    assert "23%" in found[0].detail or "22%" in found[0].detail
    # Too few completions: no median, no finding.
    assert patterns.short_completions([normal[0], quick], DEFAULT) == []
    # Unfinished, zero-length and cancelled attempts are ignored.
    odd = [attempt("20", utc(5, 9), None), attempt("21", utc(5, 9), 0), attempt("22", utc(5, 9), 1, cancelled=True)]
    assert patterns.short_completions([*normal, *odd], DEFAULT) == []


def test_frequent_attempts_count_one_candidate_at_one_assessment() -> None:
    at = [attempt(str(i), utc(5 + 3 * i, 10), result="fail") for i in range(3)]
    other = [attempt("7", utc(6, 10), reg="R2"), attempt("8", utc(6, 12), code="MOT4")]
    found = patterns.frequent_attempts([*at, *other], DEFAULT)
    assert len(found) == 1 and found[0].kind is PatternKind.FREQUENT_ATTEMPTS
    assert found[0].allocation_keys == ("0", "1", "2") and found[0].when == utc(11, 10)
    assert patterns.frequent_attempts(at[:2], DEFAULT) == []
    not_taken = attempt("9", utc(20, 10), started=False)
    assert len(patterns.frequent_attempts([*at[:2], not_taken], DEFAULT)) == 0


def test_a_resit_sooner_than_the_interval_after_a_fail_is_found() -> None:
    failed = attempt("1", utc(5, 9), 40, result="fail")
    soon = attempt("2", utc(6, 9), 40)  # 23h20m after the fail finished: < 48 h
    later = attempt("3", utc(9, 9), 40)
    found = patterns.early_resits([failed, soon, later], {"603/1465/5": 48})
    assert [f.allocation_keys for f in found] == [("1", "2")]
    assert "48 hours" in found[0].detail
    # The same gap is allowed for a 2-hour qualification; a retake after a pass is not a resit.
    assert patterns.early_resits([failed, soon], {"603/1465/5": 2}) == []
    assert patterns.early_resits([attempt("4", utc(5, 9)), attempt("5", utc(5, 11))], {}) == []
    # Exactly at the interval is allowed.
    exact = attempt("6", utc(5, 9, 40) + timedelta(hours=48))
    assert patterns.early_resits([failed, exact], {"603/1465/5": 48}) == []


def test_more_than_two_in_a_centre_day() -> None:
    day = [attempt("1", utc(5, 9), code="A"), attempt("2", utc(5, 11), code="B"), attempt("3", utc(5, 14), code="C")]
    assert [f.allocation_keys for f in patterns.many_in_a_day(day, DEFAULT, ZONE)] == [("1", "2", "3")]
    assert patterns.many_in_a_day(day[:2], DEFAULT, ZONE) == []
    # 23:30 UTC on 4 July is 00:30 on 5 July in London: a different centre day from the 4th.
    july = [
        attempt("4", datetime(2026, 7, 4, 9, tzinfo=UTC), code="A"),
        attempt("5", datetime(2026, 7, 4, 12, tzinfo=UTC), code="B"),
        attempt("6", datetime(2026, 7, 4, 23, 30, tzinfo=UTC), code="C"),
    ]
    assert patterns.many_in_a_day(july, DEFAULT, ZONE) == []
    assert len(patterns.many_in_a_day(july, DEFAULT, "UTC")) == 1


def test_charts_count_every_attempt_and_flag_the_bars_the_lists_show() -> None:
    at = [attempt("1", utc(5, 6, 30)), attempt("2", utc(5, 10)), attempt("3", utc(6, 10)), attempt("4", utc(7, 10))]
    hours, durations, attempts = patterns.charts(at, DEFAULT, ZONE)
    assert hours.total == 4 and len(hours.bars) == 24
    assert hours.bars[6].flagged and hours.bars[6].value == 1 and not hours.bars[10].flagged
    assert durations.total == 4 and durations.bars[0].flagged and not durations.bars[1].flagged
    assert [b.value for b in attempts.bars][:4] == [0, 0, 0, 1] and attempts.bars[2].flagged
    empty = patterns.charts([], DEFAULT, ZONE)
    assert all(c.total == 0 for c in empty)


def test_settings_name_every_problem() -> None:
    bad = PatternSettings(day_starts=time(19), day_ends=time(8), short_share=1.5, frequent_attempts=1, max_per_day=0)
    assert len(bad.problems()) == 4
    assert DEFAULT.problems() == []


@given(
    st.lists(
        st.tuples(
            st.integers(0, 27),
            st.integers(0, 23),
            st.integers(1, 200),
            st.sampled_from("ABC"),
            st.sampled_from(["R1", "R2"]),
            st.sampled_from(["pass", "fail", None]),
        ),
        max_size=30,
    )
)
def test_findings_only_name_attempts_that_took_place(rows: list[tuple[int, int, int, str, str, str | None]]) -> None:
    at = [attempt(str(i), utc(1 + d, h), m, reg=r, code=c, result=res) for i, (d, h, m, c, r, res) in enumerate(rows)]
    keys = {a.key for a in at}
    found = patterns.find_patterns(at, DEFAULT, ZONE, {"603/1465/5": 48})
    for f in found:
        assert set(f.allocation_keys) <= keys
    hours = patterns.hour_chart(at, DEFAULT, ZONE)
    assert hours.total == len(at)
