"""A whole session through the console services, as the invigilator runs it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput, NotPermitted, RuleRefused
from invigilator_app.services.access import open_station
from invigilator_app.services.console import checklist, clock, closing
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.review import queue as review
from invigilator_app.services.review.records import build_record
from invigilator_app.services.station import Station
from tests.helpers import PASSWORD, cli, plan, seeded, write_json

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 09:00 in London (GMT in December)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: int) -> None:
        self.now = T0 + timedelta(minutes=minutes)


@pytest.fixture
def running(tmp_path: Path) -> tuple[Station, int, Clock]:
    data_dir = seeded(tmp_path)
    data = plan(start="09:30", regs=("R1000001", "R1000002", "R1000003"), assessment="EV1", qualification="603/1465/5")
    for candidate in data["candidates"]:
        candidate["planned_minutes"] = 45
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / "p.json", data),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    fake = Clock()
    station = open_station(data_dir, PASSWORD, clock=fake)
    yield station, int(res.out), fake
    station.close()


def _ready(station: Station, sid: int, reg: str) -> None:
    console.check_identity(station, sid, reg, method="photo_id", id_type="passport")
    console.confirm_logged_on(station, sid, reg)


def _all_yes(station: Station, sid: int) -> None:
    checklist.save_checklist(station, sid, [(i.rule_id, "yes", "") for i in checklist.checklist(station, sid)])


def test_no_candidate_starts_before_the_room_checklist_is_complete(running) -> None:
    station, sid, _ = running
    _ready(station, sid, "R1000001")
    with pytest.raises(RuleRefused) as refused:
        console.start_candidate(station, sid, "R1000001")
    assert [line.split(":")[0] for line in refused.value.lines()] == [f"ROOM-{n}" for n in range(1, 9)]
    with pytest.raises(BadInput, match="ROOM-4: a “no” needs a note"):
        checklist.save_checklist(station, sid, [("ROOM-4", "no", "")])
    _all_yes(station, sid)
    console.start_candidate(station, sid, "R1000001")


def test_checklist_wording_follows_what_the_assessments_allow(running) -> None:
    station, sid, _ = running
    texts = {i.rule_id: i.text for i in checklist.checklist(station, sid)}
    assert "no calculators or dictionaries" in texts["ROOM-6"]
    assert "other software allowed" not in texts["ROOM-5"]


def test_fire_alarm_pauses_the_clock_and_moves_finish_times(running) -> None:
    station, sid, fake = running
    _all_yes(station, sid)
    for reg in ("R1000001", "R1000002"):
        _ready(station, sid, reg)
    fake.at(30)
    console.start_candidate(station, sid, "R1000001")
    console.start_candidate(station, sid, "R1000002")
    before = {c.registration_number: c.planned_finish for c in clock.session_clock(station, sid).candidates}
    assert before["R1000001"] == "10:15"
    fake.at(50)
    entry = console.record_entry(
        station, sid, "fire_alarm", note="Evacuated", registration_numbers=["R1000001", "R1000002"]
    )
    clock.pause_clock(station, sid, ["R1000001", "R1000002"], "Fire alarm", entry.id)
    fake.at(62)
    assert clock.resume_clock(station, sid) == 1
    after = {c.registration_number: c.planned_finish for c in clock.session_clock(station, sid).candidates}
    assert after["R1000001"] == "10:27" and after["R1000002"] == "10:27"
    assert any(e.type == "clock_pause" and "09:50–10:02" in e.note for e in build_record(station, sid).entries)


def test_question_issue_stays_outstanding_until_marked_notified(running) -> None:
    station, sid, _ = running
    entry = console.record_entry(
        station,
        sid,
        "question_issue",
        note="Diagram missing",
        question_number="7",
        assessment_id="EV1",
        registration_numbers=["R1000001"],
    )
    assert session_detail(station, sid).entries[0].notified == ""
    with pytest.raises(BadInput):
        review.mark_notified(station, entry.id, "  ")
    review.mark_notified(station, entry.id, "IMI enquiry 55123")
    assert "55123" in session_detail(station, sid).entries[0].notified


def test_sign_off_needs_outcomes_papers_and_the_invigilator(running, tmp_path: Path) -> None:
    station, sid, _fake = running
    _all_yes(station, sid)
    _ready(station, sid, "R1000001")
    console.start_candidate(station, sid, "R1000001")
    console.issue_paper(station, sid, "R1000001")
    console.mark_absent(station, sid, "R1000002")
    problems = closing.closing_problems(station, sid)
    assert any("R1000001" not in p and "PC-01" in p and "no outcome" in p for p in problems)
    assert any("paper issued but not collected" in p for p in problems)
    assert any("PC-03" in p for p in problems)
    console.finish_candidate(station, sid, "R1000001")
    console.collect_paper(station, sid, "R1000001")
    console.withdraw_candidate(station, sid, "R1000003", "Taken ill before starting")
    assert closing.closing_problems(station, sid) == []
    with pytest.raises(NotPermitted, match="Alex Patel"):
        closing.sign_off(station, sid, closing.declaration_text("Alex Patel", "IMI-PIN-7731"))
    record = build_record(station, sid)
    assert {c.registration_number: c.outcome for c in record.candidates} == {
        "R1000001": "finished",
        "R1000002": "absent",
        "R1000003": "withdrawn",
    }
    assert [c.paper_collected for c in record.candidates if c.registration_number == "R1000001"] == [True]
