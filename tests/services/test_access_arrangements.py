"""Access arrangements as data: set in the plan JSON (and the candidate form), applied by the
clock (extra time; a supervised rest break stops that candidate's clock, start and end
logged), shown on the seating plan and printed on the record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.candidates import list_candidates
from invigilator_app.services.console import checklist, clock
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.review.records import build_record
from tests.helpers import PASSWORD, cli, plan, seeded, write_json

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_arrangements_from_the_plan_to_the_clock_and_the_record(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    data = plan(regs=("R1000001", "R1000002"))
    for c in data["candidates"]:
        c["planned_minutes"] = 60
    data["candidates"][0]["access_arrangements"] = {
        "extra_time_percent": 25,
        "rest_breaks": True,
        "reader": "Mrs J Hill",
        "separate_room": "Room 4",
        "other": "coloured overlay",
    }
    res = cli(
        "--data-dir",
        store,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / "p.json", data),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    bad = dict(data, start="14:00")
    bad["candidates"] = [dict(data["candidates"][0], access_arrangements={"extra_time_percent": 250, "pet": 1})]
    res = cli(
        "--data-dir",
        store,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / "b.json", bad),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 2
    assert "$.candidates[0].access_arrangements.extra_time_percent" in res.err
    assert "$.candidates[0].access_arrangements.pet" in res.err
    fake = Clock()
    station = open_station(store, PASSWORD, clock=fake)
    try:
        jane = list_candidates(station, "R1000001")[0]
        assert (jane.extra_time_percent, jane.rest_breaks, jane.reader, jane.separate_room) == (
            25,
            True,
            "Mrs J Hill",
            "Room 4",
        )
        checklist.save_checklist(station, 1, [(i.rule_id, "yes", "") for i in checklist.checklist(station, 1)])
        for reg in ("R1000001", "R1000002"):
            console.check_identity(station, 1, reg, method="photo_id", id_type="passport")
            console.confirm_logged_on(station, 1, reg)
        fake.now = T0 + timedelta(minutes=30)
        for reg in ("R1000001", "R1000002"):
            console.start_candidate(station, 1, reg)
        fake.now = T0 + timedelta(minutes=50)
        with pytest.raises(BadInput, match="no supervised rest breaks"):
            clock.start_rest_break(station, 1, "R1000002")
        clock.start_rest_break(station, 1, "R1000001")
        fake.now = T0 + timedelta(minutes=60)
        clock.end_rest_break(station, 1, "R1000001")
        rows = {c.registration_number: c for c in clock.session_clock(station, 1).candidates}
        assert rows["R1000001"].planned_finish == "10:55", "09:30 + 75 min (25% extra) + 10 min break"
        assert rows["R1000002"].planned_finish == "10:30"
        detail = session_detail(station, 1)
        label = next(a for a in detail.allocations if a.registration_number == "R1000001").arrangements_label
        assert label == "+25% time, supervised rest breaks; reader: Mrs J Hill; separate room: Room 4; coloured overlay"
        notes = [e.note for e in detail.entries]
        assert any(n.startswith("Supervised rest break started") for n in notes)
        assert any(n.startswith("Supervised rest break ended after 10 min") for n in notes)
        record = build_record(station, 1)
        assert record.candidates[0].access_arrangements == (
            "25% extra time; supervised rest breaks; reader: Mrs J Hill; separate room: Room 4; coloured overlay"
        )
        assert any(
            e.type == "clock_pause" and "09:50–10:00" in e.note and "rest break" in e.note for e in record.entries
        )
    finally:
        station.close()
