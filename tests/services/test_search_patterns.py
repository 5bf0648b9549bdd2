"""Searching every log entry across sessions, and the pattern report over a date range."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput, Cancelled, NotPermitted
from invigilator_app.domain.patterns import PatternSettings
from invigilator_app.services.review import patterns, search
from invigilator_app.services.review.search import EntryFilters
from tests.review_helpers import TODAY, coordinator, demo_store, inspector


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    return demo_store(tmp_path)


def test_entries_are_found_by_every_filter_and_paged(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        everything = search.search_entries(station, EntryFilters())
        assert len(everything) == search.count_entries(station, EntryFilters()) == 5
        assert everything[0].day == TODAY.isoformat(), "newest session first"
        pages = (
            search.search_entries(station, EntryFilters(), 0, 2)
            + search.search_entries(station, EntryFilters(), 2, 2)
            + search.search_entries(station, EntryFilters(), 4, 2)
        )
        assert [e.id for e in pages] == [e.id for e in everything]
        assert [e.type for e in search.search_entries(station, EntryFilters(type="question_issue"))] == [
            "question_issue"
        ]
        assert search.search_entries(station, EntryFilters(type="question_issue"))[0].note.startswith(
            "Q14 in EV1-ONL-01"
        )
        week_ago = search.search_entries(station, EntryFilters(from_day=date(2026, 11, 16), to_day=date(2026, 11, 16)))
        assert [e.type for e in week_ago] == ["it_issue"]
        assert len(search.search_entries(station, EntryFilters(state="outstanding"))) == 2
        assert search.search_entries(station, EntryFilters(text="bus delayed"))[0].type == "late_arrival"
        assert search.search_entries(station, EntryFilters(text="100%")) == [], "LIKE wildcards are literal"
        by_name = search.search_entries(station, EntryFilters(candidate="chloe EV"))
        by_reg = search.search_entries(station, EntryFilters(candidate=by_name[0].candidates.lower()))
        assert [e.id for e in by_name] == [e.id for e in by_reg] and len(by_name) == 1
        assert search.search_entries(station, EntryFilters(room="IT Suite", invigilator="Alex Patel"))
        assert search.search_entries(station, EntryFilters(room="Nowhere")) == []
        with pytest.raises(BadInput, match="Unknown entry state"):
            search.search_entries(station, EntryFilters(state="pending"))
        with pytest.raises(BadInput, match="after it ends"):
            search.search_entries(station, EntryFilters(from_day=date(2026, 12, 1), to_day=date(2026, 11, 1)))
        choices = search.search_choices(station)
        assert choices.rooms == ["IT Suite"] and choices.invigilators == ["Alex Patel"]
    finally:
        station.close()


def test_pattern_report_for_a_range_and_settings_kept_in_the_store(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        report = patterns.pattern_report(station, date(2026, 11, 1), TODAY)
        assert report.attempts == 23  # 12 a week ago, 11 started this morning
        assert [c.key for c in report.charts] == ["hours", "durations", "attempts"]
        assert report.charts[0].bars[13].value == 12 and report.charts[0].bars[9].value == 11
        assert report.findings == ()
        strict = PatternSettings(day_starts=time_(10), day_ends=time_(13))
        patterns.set_pattern_settings(station, strict)
        assert patterns.pattern_settings(station) == strict
        report = patterns.pattern_report(station, date(2026, 11, 1), TODAY)
        assert len(report.findings) == 23 and {f.kind.value for f in report.findings} == {"unusual_time"}
        with pytest.raises(BadInput, match="start before it ends"):
            patterns.set_pattern_settings(station, PatternSettings(day_starts=time_(19), day_ends=time_(8)))
        with pytest.raises(BadInput, match="after it ends"):
            patterns.pattern_report(station, TODAY, date(2026, 11, 1))
        pdf = patterns.patterns_pdf(station, date(2026, 11, 1), TODAY)
        assert pdf.startswith(b"%PDF")
    finally:
        station.close()


def test_inspectors_search_and_see_patterns_but_cannot_change_thresholds(store: tuple[Path, str]) -> None:
    station = inspector(store[0])
    try:
        assert search.count_entries(station, EntryFilters()) == 5
        assert patterns.pattern_report(station, date(2026, 11, 1), TODAY).attempts == 23
        with pytest.raises(NotPermitted):
            patterns.set_pattern_settings(station, PatternSettings())
    finally:
        station.close()


def time_(hour: int):
    from datetime import time

    return time(hour, 0)


def test_a_year_of_attempts_gives_the_findings_and_charts_of_the_rules_over_every_attempt(
    store: tuple[Path, str],
) -> None:
    """The report counts its charts from a lean read and gives the rules only the attempts
    they may find something in; over a busy, irregular year (both clock changes, weekends,
    evenings, fails and quick retakes, short completions, several a day) it says exactly
    what the rules say over every attempt, whatever the thresholds."""
    import random
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert, select, text

    from invigilator_app.rules import patterns as rules
    from invigilator_app.store.models import Allocation, Qualification
    from invigilator_app.store.models import Session as SessionRow

    station = coordinator(*store)
    try:
        rng = random.Random(7)
        with station.write() as session:
            conn = session.connection()
            room, invigilator = conn.execute(text("SELECT room_id, invigilator_id FROM sessions LIMIT 1")).one()
            people = [r[0] for r in conn.execute(text("SELECT id FROM candidates ORDER BY id LIMIT 12"))]
            tests = [r[0] for r in conn.execute(text("SELECT id FROM assessments ORDER BY id LIMIT 4"))]
            day = datetime(2025, 11, 1, tzinfo=UTC)
            for _ in range(160):
                start = day + timedelta(hours=rng.choice([5, 8, 9, 13, 17, 19]), minutes=rng.choice([0, 29, 59]))
                sid = conn.execute(
                    insert(SessionRow).values(
                        room_id=room, invigilator_id=invigilator, start_utc=start, state="signed_off", created_at=start
                    )
                ).inserted_primary_key[0]
                for person in rng.sample(people, 4):
                    began = start + timedelta(minutes=rng.randint(0, 20), seconds=rng.randint(0, 59))
                    took = timedelta(minutes=rng.choice([5, 30, 45, 60, 60, 90]), microseconds=rng.randint(0, 999999))
                    conn.execute(
                        insert(Allocation).values(
                            session_id=sid,
                            candidate_id=person,
                            assessment_id=rng.choice(tests),
                            planned_start_utc=start,
                            state="finished",
                            cancelled=rng.random() < 0.05,
                            started_at=began,
                            finished_at=began + took if rng.random() < 0.9 else None,
                            result=rng.choice(["pass", "fail", "fail", None]),
                        )
                    )
                day += timedelta(days=rng.choice([0, 1, 2, 3]), hours=rng.choice([0, 0, 3]))
        cases = [
            PatternSettings(),
            PatternSettings(
                day_starts=time_(9),
                day_ends=time_(17),
                weekends_unusual=False,
                short_share=0.6,
                min_sample=2,
                frequent_attempts=2,
                max_per_day=1,
            ),
        ]
        first, last = date(2025, 10, 20), date(2026, 11, 23)
        start, end = patterns.day_bounds(station, first, last)
        with station.read() as session:
            every = patterns.read_attempts(session, start, end)
            hours = dict(session.execute(select(Qualification.number, Qualification.retake_hours)).all())
        done = rules.taken(every)
        assert len(done) > 500
        kinds: set[str] = set()
        for settings in cases:
            report = patterns.pattern_report(station, first, last, settings)
            assert report.attempts == len(every)
            assert list(report.charts) == rules.charts(done, settings, station.zone)
            expected = rules.find_patterns(done, settings, station.zone, hours)
            assert list(report.findings) == expected
            kinds |= {f.kind.value for f in expected}
        assert kinds == {"unusual_time", "short_completion", "frequent_attempts", "early_resit", "many_in_a_day"}
    finally:
        station.close()


def test_the_pattern_pdf_tells_each_page_and_a_cancel_at_any_step_writes_nothing(
    store: tuple[Path, str], tmp_path: Path
) -> None:
    station = coordinator(*store)
    strict = PatternSettings(day_starts=time_(10), day_ends=time_(13))  # 23 findings: more than a page
    patterns.set_pattern_settings(station, strict)
    try:
        told: list[tuple[int, int, str]] = []
        out = patterns.export_patterns(
            station, date(2026, 11, 1), TODAY, tmp_path / "all.pdf", progress=lambda *a: told.append(a)
        )
        pages = [done for done, _, what in told if what.startswith("page")]
        assert told[0] == (0, 0, "counting the attempts") and pages == list(range(1, len(pages) + 1))
        assert len(pages) >= 2 and out.read_bytes().startswith(b"%PDF")

        for stop_at in (1, 2, len(told)):  # after the counting, after the first page, at the end
            target = tmp_path / f"stopped-{stop_at}.pdf"
            with pytest.raises(Cancelled, match="Export cancelled; nothing was written"):
                patterns.export_patterns(station, date(2026, 11, 1), TODAY, target, cancelled=_yes_at(stop_at))
            assert not target.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["all.pdf", "demo"]
        with pytest.raises(Cancelled, match="no pattern report was made"):
            patterns.pattern_report(station, date(2026, 11, 1), TODAY, cancelled=_yes_at(1))  # during the count
    finally:
        station.close()


def _yes_at(n: int) -> Callable[[], bool]:
    """A ``cancelled`` that says yes the n-th time it is asked."""
    asked = itertools.count(1)
    return lambda: next(asked) >= n
