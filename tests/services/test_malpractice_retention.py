"""Malpractice reports drafted from log entries (003), and retention that never purges
records linked to an investigation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.domain.malpractice import Learner, missing_fields
from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.services.review import malpractice, retention
from invigilator_app.services.review import queue as review
from invigilator_app.services.review.search import EntryFilters, search_entries
from invigilator_app.services.trust.integrity import verify_store
from tests.review_helpers import FixedClock, close, coordinator, demo_store, inspector


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    return demo_store(tmp_path)


def _entry(station: object, type_id: str) -> int:
    return search_entries(station, EntryFilters(type=type_id))[0].id  # type: ignore[arg-type]


def test_a_draft_is_filled_from_the_store_and_lists_what_is_missing(store: tuple[Path, str], tmp_path: Path) -> None:
    station = coordinator(*store)
    try:
        draft = malpractice.draft_report(
            station, [_entry(station, "submitted_early"), _entry(station, "explanation_requested")]
        )
        f = draft.fields
        assert f.centre_name == "Northgate College of Automotive Skills" and f.centre_number == "IMI 40213"
        assert f.centre_address.startswith("Unit 4") and "Submitted before completion" in f.nature
        assert [x.registration_number for x in f.learners] == ["R4410244", "R4410230"], "in the order of the entries"
        assert all(x.date_of_birth for x in f.learners) and "EV1-ONL-01" in f.product
        assert "Alex Patel, invigilator" in f.centre_staff and f.reporter.startswith("Helen Ward")
        assert draft.under_investigation and draft.retain_until == "2031-11-23"
        assert draft.missing == [
            "IMI personnel involved (name, job role)",
            "Initial investigation carried out",
            "Outcome of the initial investigation",
            "Mitigating circumstances",
            "Reporter's declaration of personal or conflict of interest",
        ]
        with pytest.raises(BadInput, match="is missing: IMI personnel"):
            malpractice.export_report(station, draft.id, tmp_path / "report.pdf")
        assert not (tmp_path / "report.pdf").exists()
        done = replace(
            f,
            awarding_body_staff="None",
            initial_investigation="Candidate interviewed 23 Nov.",
            outcome="Answers were the candidate's own.",
            mitigating_circumstances="None",
            conflict_of_interest="None: I do not teach this candidate.",
        )
        assert malpractice.update_report(station, draft.id, done).missing == []
        malpractice.export_report(station, draft.id, tmp_path / "report.pdf")
        text = "".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
        assert (
            "Malpractice / maladministration report" in text and "R4410230" in text and "Candidate interviewed" in text
        )
        assert malpractice.get_report(station, draft.id).status == "exported"
        assert [r.id for r in malpractice.list_reports(station)] == [draft.id]
    finally:
        station.close()


def test_missing_fields_name_each_learner_gap() -> None:
    from invigilator_app.domain.malpractice import MalpracticeFields

    assert "Learner: at least one learner" in missing_fields(MalpracticeFields())
    gaps = missing_fields(MalpracticeFields(learners=(Learner("Jane Smith"),)))
    assert "Learner Jane Smith: date of birth" in gaps and "Learner Jane Smith: IMI learner registration number" in gaps


def test_a_reported_malpractice_entry_leaves_the_follow_up_list(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        running = next(s for s in list_sessions(station) if s.state == "running").id
        from invigilator_app.services.console.recording import record_entry

        entry = record_entry(
            station,
            running,
            "suspected_malpractice",
            note="Phone seen under the desk",
            registration_numbers=["R4410237"],
        )
        assert any(f.entry_id == entry.id and f.kind == "malpractice" for f in review.follow_ups(station))
        malpractice.draft_report(station, [entry.id])
        assert all(f.entry_id != entry.id for f in review.follow_ups(station))
    finally:
        station.close()


def test_inspectors_read_reports_but_cannot_draft_or_edit(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        report = malpractice.draft_report(station, [_entry(station, "submitted_early")])
    finally:
        station.close()
    station = inspector(store[0])
    try:
        assert malpractice.get_report(station, report.id).fields.centre_number == "IMI 40213"
        with pytest.raises(NotPermitted):
            malpractice.draft_report(station, [1])
        with pytest.raises(NotPermitted):
            malpractice.update_report(station, report.id, report.fields)
        with pytest.raises(NotPermitted):
            retention.purge_expired(station)
    finally:
        station.close()


def test_retention_purges_old_signed_off_sessions_but_never_one_under_investigation(store: tuple[Path, str]) -> None:
    data_dir, password = store
    station = coordinator(data_dir, password)
    try:
        past = list_sessions(station)[0].id
        close(station, past)
        review.sign_off_review(station, past)
        report = malpractice.draft_report(station, [_entry(station, "it_issue")])
        assert retention.retention_years(station) == 6
        with pytest.raises(BadInput, match="1 to 50 years"):
            retention.set_retention_years(station, 0)
        retention.set_retention_years(station, 1)
    finally:
        station.close()
    later = FixedClock(datetime(2028, 1, 10, 12, tzinfo=UTC))
    station = coordinator(data_dir, password, later)
    try:
        plan = retention.purge_plan(station)
        assert plan.cutoff == date(2027, 1, 10) and plan.eligible == [] and plan.held == [past]
        assert retention.purge_expired(station).held == [past]
        assert past in [s.id for s in list_sessions(station)]
        malpractice.close_investigation(station, report.id)
        assert malpractice.get_report(station, report.id).retain_until == "2033-01-10", "five years from closing"
        assert retention.purge_plan(station).held == [past]
    finally:
        station.close()
    much_later = FixedClock(datetime(2033, 2, 1, 12, tzinfo=UTC))
    station = coordinator(data_dir, password, much_later)
    try:
        assert retention.purge_plan(station).eligible == [past]
        before = len(search_entries(station, EntryFilters()))
        purged = retention.purge_expired(station)
        assert purged.eligible == [past]
        assert past not in [s.id for s in list_sessions(station)]
        assert len(search_entries(station, EntryFilters())) == before - 1
        assert "OK" in verify_store(station), "the deletions are chained in the audit trail"
        assert malpractice.get_report(station, report.id).entries == []
    finally:
        station.close()
