"""A remotely invigilated session from plan to signed record, through the services:
locations instead of workstations, the remote checklist (REMOTE-1 …), identity to camera,
the same log and clock, and a record that says "remotely invigilated" with a table of
locations in place of the seating plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.rules.remote import REMOTE_ITEMS
from invigilator_app.services.access import open_station
from invigilator_app.services.admin import accounts
from invigilator_app.services.console import checklist, closing
from invigilator_app.services.console import recording as console
from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator
from invigilator_app.services.planning.plans import PlannedCandidate
from invigilator_app.services.planning.remote import RemoteCandidate, RemotePlanRequest, plan_remote_session
from invigilator_app.services.review import queue as review
from invigilator_app.services.review.records import build_record, export_record, verify_file
from tests.helpers import PASSWORD, planned_session
from tests.review_helpers import FixedClock

ALEX = "alex invigilates on mondays"
INVIGILATOR = PlannedInvigilator("Alex Patel", "IMI-PIN-7731", False, True)


def remote(reg: str, location: str) -> RemoteCandidate:
    return RemoteCandidate(
        PlannedCandidate(reg, "MOT-4-A", "601/8928/9", "", notice_date=date(2026, 11, 20), readiness_confirmed=True),
        location,
    )


@pytest.fixture
def store(tmp_path: Path) -> Path:
    data_dir, _ = planned_session(tmp_path, day="2026-12-01")
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        accounts.add_user(station, "Alex Patel", "invigilator", ALEX, imi_pin="IMI-PIN-7731")
    finally:
        station.close()
    return data_dir


def at(hour: int, minute: int = 0) -> FixedClock:
    return FixedClock(datetime(2026, 12, 2, hour, minute, tzinfo=UTC))


def test_a_remote_session_from_plan_to_signed_record(store: Path, tmp_path: Path) -> None:
    coordinator = open_station(store, PASSWORD, user="Sam Coordinator", clock=at(8))
    try:
        with pytest.raises(BadInput, match="already R1000003's"):
            plan_remote_session(
                coordinator,
                RemotePlanRequest(
                    date(2026, 12, 2),
                    time(9, 30),
                    "IT Suite",
                    INVIGILATOR,
                    (remote("R1000003", "Home, 14 Mill Lane, Leeds"), remote("R1000004", "home,  14 mill lane, leeds")),
                ),
            )
        with pytest.raises(BadInput, match="R1000004: a remote candidate needs a location"):
            plan_remote_session(
                coordinator,
                RemotePlanRequest(
                    date(2026, 12, 2),
                    time(9, 30),
                    "IT Suite",
                    INVIGILATOR,
                    (remote("R1000003", "Home, 14 Mill Lane, Leeds"), remote("R1000004", " ")),
                ),
            )
        with pytest.raises(BadInput, match="not a known room"):
            plan_remote_session(
                coordinator,
                RemotePlanRequest(date(2026, 12, 2), time(9, 30), "Attic", INVIGILATOR, (remote("R1000003", "Home"),)),
            )
        result = plan_remote_session(
            coordinator,
            RemotePlanRequest(
                date(2026, 12, 2),
                time(9, 30),
                "IT Suite",
                INVIGILATOR,
                (remote("R1000003", "Home, 14 Mill Lane, Leeds"), remote("R1000004", "Workplace, Unit 7, Hull")),
            ),
        )
        session_id = result.session_id
    finally:
        coordinator.close()
    invigilator = open_station(store, ALEX, user="Alex Patel", clock=at(9, 20))
    try:
        items = checklist.checklist(invigilator, session_id)
        assert [i.rule_id for i in items] == [r.id for r in REMOTE_ITEMS] + ["ROOM-2", "ROOM-4", "ROOM-5"]
        assert items[-3].text.startswith("At each candidate's location: suitable seating")
        with pytest.raises(BadInput, match="photo ID is checked to camera"):
            console.check_identity(invigilator, session_id, "R1000003", method="photo_id", id_type="passport")
        console.check_identity(invigilator, session_id, "R1000003", method="id_to_camera", id_type="passport")
        console.check_identity(invigilator, session_id, "R1000004", method="id_to_camera", id_type="driving licence")
        for reg in ("R1000003", "R1000004"):
            console.confirm_logged_on(invigilator, session_id, reg)
        with pytest.raises(RuleRefused, match="remote checklist item"):
            console.start_candidate(invigilator, session_id, "R1000003")
        checklist.save_checklist(invigilator, session_id, [(i.rule_id, "yes", "") for i in items])
        invigilator.clock = at(9, 30)
        for reg in ("R1000003", "R1000004"):
            console.start_candidate(invigilator, session_id, reg)
        console.record_entry(
            invigilator,
            session_id,
            "it_issue",
            note="R1000004's video dropped for two minutes",
            registration_numbers=["R1000004"],
        )
        invigilator.clock = at(10, 40)
        for reg in ("R1000003", "R1000004"):
            console.finish_candidate(invigilator, session_id, reg, result="pass")
        closing.sign_off(invigilator, session_id, closing.declaration_text("Alex Patel", "IMI-PIN-7731"))
    finally:
        invigilator.close()
    coordinator = open_station(store, PASSWORD, user="Sam Coordinator", clock=at(12))
    try:
        review.sign_off_review(coordinator, session_id, "Remote session complete")
        record = build_record(coordinator, session_id)
        assert record.remote and record.workstations == []
        assert [c.workstation for c in record.candidates] == ["Home, 14 Mill Lane, Leeds", "Workplace, Unit 7, Hull"]
        assert record.candidates[0].identity_check.endswith("ID to camera (passport), match confirmed by Alex Patel")
        assert [c.rule_id for c in record.checklist][:6] == [r.id for r in REMOTE_ITEMS]
        out = export_record(coordinator, session_id, tmp_path / "remote.pdf")
    finally:
        coordinator.close()
    summary = verify_file(out, data_dir=store)
    assert summary.session_id == session_id
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(out).pages)
    assert "Remotely invigilated" in text and "Candidates' locations (remotely invigilated)" in text
    assert "14 Mill Lane, Leeds" in text and "REMOTE-1" in text and "ID to camera (passport)" in text
    assert "Seating plan" not in text and "video dropped" in text
