"""Complaints and appeals (004) with their windows and the hold on the sessions they name;
the deadlines of malpractice reports (003) and their warnings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput, NotFound, NotPermitted
from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.services.quality import complaints, malpractice_deadlines
from invigilator_app.services.quality.warnings import startup_warnings
from invigilator_app.services.review import malpractice, retention
from invigilator_app.services.review import queue as review
from invigilator_app.services.review.search import EntryFilters, search_entries
from tests.review_helpers import FixedClock, close, coordinator, demo_store, inspector


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    return demo_store(tmp_path)


def test_the_register_shows_each_complaints_windows(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        prompt = complaints.record_complaint(
            station,
            complaints.ComplaintInput(
                received_on=date(2026, 11, 20),
                incident_on=date(2026, 11, 16),
                summary="Noise from the corridor",
                complainant="R4410230's parent",
                registration_number="R4410230",
                session_ids=(1,),
            ),
        )
        assert prompt.standing == "within 90 days" and prompt.prompt_until == date(2027, 2, 14)
        assert prompt.last_day == date(2027, 5, 16) and prompt.last_day_note == "6-month limit: 174 days left"
        assert prompt.about.endswith("(R4410230)") and prompt.session_ids == [1]
        late = complaints.record_complaint(
            station,
            complaints.ComplaintInput(
                received_on=date(2026, 11, 23),
                incident_on=date(2026, 5, 31),
                summary="Results late",
                stage="awarding_body",
            ),
        )
        assert late.standing.startswith("late") and late.last_day == date(2026, 11, 30)
        assert late.last_day_note == "6-month limit: 7 days left"
        old = complaints.record_complaint(
            station,
            complaints.ComplaintInput(
                received_on=date(2026, 11, 23),
                incident_on=date(2026, 5, 1),
                summary="An old one",
                about_person="J. Bloggs",
            ),
        )
        assert old.standing.startswith("out of time") and old.last_day_note == "6-month limit passed"
        with pytest.raises(BadInput, match="Incident date"):
            complaints.record_complaint(station, complaints.ComplaintInput(date(2026, 11, 1), date(2026, 11, 2), "x"))
        with pytest.raises(BadInput, match="Summary"):
            complaints.record_complaint(station, complaints.ComplaintInput(date(2026, 11, 2), date(2026, 11, 1), " "))
        with pytest.raises(NotFound, match="no session 99"):
            complaints.record_complaint(
                station, complaints.ComplaintInput(date(2026, 11, 2), date(2026, 11, 1), "x", session_ids=(99,))
            )
        with pytest.raises(BadInput, match="record the outcome"):
            complaints.update_complaint(station, old.id, closed_on=date(2026, 11, 23))
        complaints.update_complaint(
            station, old.id, outcome="Out of time: signposted to the awarding body", closed_on=date(2026, 11, 23)
        )
        assert [c.id for c in complaints.list_complaints(station)] == [late.id, prompt.id, old.id], "open ones first"
        assert [c.id for c in complaints.list_complaints(station, open_only=True)] == [late.id, prompt.id]
        assert any(f"Complaint {late.id}: 6-month limit: 7 days left" in w for w in startup_warnings(station))
    finally:
        station.close()
    station = inspector(store[0])
    try:
        assert len(complaints.list_complaints(station)) == 3
        with pytest.raises(NotPermitted):
            complaints.update_complaint(station, prompt.id, stage="appeal")
    finally:
        station.close()


def test_sessions_named_by_an_open_complaint_are_held_from_purge(store: tuple[Path, str]) -> None:
    data_dir, password = store
    station = coordinator(data_dir, password)
    try:
        past = list_sessions(station)[0].id
        close(station, past)
        review.sign_off_review(station, past)
        complaint = complaints.record_complaint(
            station,
            complaints.ComplaintInput(
                date(2026, 11, 20), date(2026, 11, 16), "Candidate says the clock was wrong", session_ids=(past,)
            ),
        )
        retention.set_retention_years(station, 1)
    finally:
        station.close()
    later = FixedClock(datetime(2028, 1, 10, 12, tzinfo=UTC))
    station = coordinator(data_dir, password, later)
    try:
        assert retention.purge_plan(station).held == [past]
        assert retention.purge_expired(station).eligible == []
        assert past in [s.id for s in list_sessions(station)]
        complaints.update_complaint(
            station, complaint.id, outcome="Not upheld: the clock was checked", closed_on=date(2028, 1, 10)
        )
        assert retention.purge_plan(station).eligible == [past], "closed: the hold ends"
    finally:
        station.close()


def test_each_malpractice_report_shows_when_to_tell_and_when_it_may_be_purged(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        entry = search_entries(station, EntryFilters(type="submitted_early"))[0]
        report = malpractice.draft_report(station, [entry.id])
        [deadline] = malpractice_deadlines.list_deadlines(station)
        assert deadline.report_id == report.id and deadline.purge == "held: under investigation"
        assert deadline.tell_by == date(2026, 11, 23) and deadline.when == "due today" and deadline.state == "due soon"
        assert any(f"Malpractice report {report.id}: tell the awarding body" in w for w in startup_warnings(station))
        with pytest.raises(BadInput, match="Reference"):
            malpractice_deadlines.record_notified(station, report.id, date(2026, 11, 23), " ")
        with pytest.raises(BadInput, match="in the future"):
            malpractice_deadlines.record_notified(station, report.id, date(2026, 11, 24), "x")
        told = malpractice_deadlines.record_notified(station, report.id, date(2026, 11, 23), "QC-2026-118")
        assert told.state == "done" and told.when == "told 23 Nov 2026" and told.reference == "QC-2026-118"
        assert not any("Malpractice" in w for w in startup_warnings(station))
        malpractice.close_investigation(station, report.id)
        assert malpractice_deadlines.list_deadlines(station)[0].purge == "not before 23 Nov 2031"
    finally:
        station.close()
    late = FixedClock(datetime(2026, 11, 25, 9, tzinfo=UTC))
    station = coordinator(*store, clock=late)
    try:
        report2 = malpractice.draft_report(station, [search_entries(station, EntryFilters(type="it_issue"))[0].id])
        d = next(x for x in malpractice_deadlines.list_deadlines(station) if x.report_id == report2.id)
        assert d.state == "overdue" and d.when.endswith("overdue"), "told by the day the entry was logged"
    finally:
        station.close()
