"""Searching every log entry across sessions, and the pattern report over a date range."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput, NotPermitted
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
