"""The register from the console: late with the arrival time, transferred to another
session with the reason; the console refuses what the state table does not allow."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.register import mark_late, transfer_candidate
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.planning.changes import add_candidate
from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator
from invigilator_app.services.planning.plans import PlannedCandidate, PlanRequest, plan_session
from invigilator_app.services.review.records import build_record
from tests.services.test_session_console import running  # noqa: F401 - fixture


def _register(station, sid: int) -> dict[str, str]:
    return {a.registration_number: a.register for a in session_detail(station, sid).allocations}


def test_late_and_transferred_reach_the_console_and_the_record(running, tmp_path: Path) -> None:  # noqa: F811
    station, sid, clock = running
    clock.at(41)
    mark_late(station, sid, "R1000001", "bus delayed")
    later = plan_session(
        station,
        PlanRequest(
            date(2026, 12, 1),
            time(14, 0),
            "IT Suite",
            PlannedInvigilator("Alex Patel", "IMI-PIN-7731"),
            (
                PlannedCandidate(
                    "R1000004", "EV1", "603/1465/5", "PC-01", notice_date=date(2026, 11, 20), readiness_confirmed=True
                ),
            ),
        ),
    ).session_id
    with pytest.raises(BadInput, match="not planned in session"):
        transfer_candidate(station, sid, "R1000002", later, "Room too cold for the candidate")
    add_candidate(
        station,
        later,
        PlannedCandidate(
            "R1000002", "EV1", "603/1465/5", "PC-02", notice_date=date(2026, 11, 20), readiness_confirmed=True
        ),
    )
    transfer_candidate(station, sid, "R1000002", later, "Room too cold for the candidate")
    marks = _register(station, sid)
    assert marks["R1000001"] == "late (arrived 09:41)"
    assert marks["R1000002"] == f"transferred to session {later}: Room too cold for the candidate"
    with pytest.raises(BadInput, match="Start recorded for Tomasz Nowak, who is transferred"):
        console.start_candidate(station, sid, "R1000002")
    record = build_record(station, sid)
    assert [c.register for c in record.candidates][:2] == [
        "late (arrived 09:41)",
        f"transferred to session {later}: Room too cold for the candidate",
    ]
    assert any(e.type == "late_arrival" and "bus delayed" in e.note for e in record.entries)
