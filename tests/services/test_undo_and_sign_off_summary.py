"""Finish and absent can be taken back within a minute (and the log says so); the sign-off
summary the invigilator reads before the declaration."""

from __future__ import annotations

import pytest

from invigilator_app.domain.errors import BadInput
from invigilator_app.services.console import closing
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.sessions import session_detail
from tests.services.test_session_console import _all_yes, _ready, running  # noqa: F401 - the fixture


def _states(station, sid: int) -> dict[str, str]:
    return {a.registration_number: a.state for a in session_detail(station, sid).allocations}


def test_a_finish_is_undone_within_a_minute_and_the_undo_is_logged(running) -> None:  # noqa: F811
    station, sid, clock = running
    _all_yes(station, sid)
    clock.at(30)
    _ready(station, sid, "R1000001")
    console.start_candidate(station, sid, "R1000001")
    clock.at(60)
    console.finish_candidate(station, sid, "R1000001")
    clock.now = clock.now.replace(second=50)
    assert console.undo_outcome(station, sid, "R1000001") == "started"
    detail = session_detail(station, sid)
    assert _states(station, sid)["R1000001"] == "started"
    assert next(a for a in detail.allocations if a.registration_number == "R1000001").finish == ""
    undo = [e for e in detail.entries if "Undone within a minute" in e.note]
    assert len(undo) == 1 and "R1000001" in undo[0].candidates and "finished" in undo[0].note


def test_an_absence_is_undone_back_to_where_the_candidate_was(running) -> None:  # noqa: F811
    station, sid, _clock = running
    console.check_identity(station, sid, "R1000002", method="photo_id", id_type="passport")
    console.mark_absent(station, sid, "R1000002")
    console.mark_absent(station, sid, "R1000003")
    assert console.undo_outcome(station, sid, "R1000002") == "identity_checked"
    assert console.undo_outcome(station, sid, "R1000003") == "expected"


def test_after_a_minute_an_undo_is_refused_and_nothing_changes(running) -> None:  # noqa: F811
    station, sid, clock = running
    console.mark_absent(station, sid, "R1000002")
    entries = len(session_detail(station, sid).entries)
    clock.at(2)
    with pytest.raises(BadInput, match="more than a minute ago"):
        console.undo_outcome(station, sid, "R1000002")
    assert _states(station, sid)["R1000002"] == "absent"
    assert len(session_detail(station, sid).entries) == entries
    with pytest.raises(BadInput, match="nothing to undo"):
        console.undo_outcome(station, sid, "R1000001")


def test_the_sign_off_summary_counts_entries_notifications_and_outcomes(running) -> None:  # noqa: F811
    station, sid, _clock = running
    console.record_entry(
        station,
        sid,
        "question_issue",
        note="Image missing",
        registration_numbers=["R1000001"],
        question_number="4",
        assessment_id="EV1",
    )
    console.record_entry(station, sid, "late_arrival", registration_numbers=["R1000002"])
    console.mark_absent(station, sid, "R1000003")
    summary = closing.sign_off_summary(station, sid)
    assert summary.entries == 2
    assert sorted(summary.entry_lines) == ["Late arrival: 1", "Question or diagram issue: 1"]
    assert len(summary.unresolved) == 1 and "awarding body" in summary.unresolved[0]
    assert [line.split(" ", 1)[0] for line in summary.without_outcome] == ["PC-01", "PC-02"]
    assert summary.may_sign is False, "the coordinator is not the session's invigilator"
