"""Rules are checked on every change to a planned session, not only when it is planned."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.users import add_invigilator
from invigilator_app.services.planning import changes
from invigilator_app.services.planning.plans import PlannedCandidate
from invigilator_app.services.review.records import build_record
from invigilator_app.services.station import Station
from tests.helpers import PASSWORD, cli, plan, seeded, write_json


def _plan(data_dir: Path, tmp_path: Path, name: str, **kwargs: object) -> int:
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / f"{name}.json", plan(**kwargs)),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    return int(res.out)


@pytest.fixture
def station_with_sessions(tmp_path: Path) -> tuple[Station, list[int]]:
    data_dir = seeded(tmp_path)
    first = _plan(data_dir, tmp_path, "a", start="09:00", assessment="EV1-A", qualification="603/1465/5")
    second = _plan(
        data_dir, tmp_path, "b", start="11:00", room="Room 2", assessment="EV1-B", qualification="603/1465/5"
    )
    third = _plan(
        data_dir, tmp_path, "c", day="2026-12-02", start="09:00", assessment="EV1-C", qualification="603/1465/5"
    )
    station = open_station(data_dir, PASSWORD)
    yield station, [first, second, third]
    station.close()


def test_moving_a_session_onto_a_full_day_is_refused_by_cand3(station_with_sessions) -> None:
    station, (_first, _second, third) = station_with_sessions
    with pytest.raises(RuleRefused) as refused:
        changes.reschedule_session(station, third, date(2026, 12, 1), time(14, 0))
    lines = refused.value.lines()
    assert any(line.startswith("CAND-3:") and "Jane Smith (R1000001)" in line for line in lines)
    assert any("Tomasz Nowak" in line for line in lines), "every violation is listed, not just the first"


def test_moving_a_session_to_a_free_day_is_accepted(station_with_sessions) -> None:
    station, (_a, _b, third) = station_with_sessions
    assert changes.reschedule_session(station, third, date(2026, 12, 3), time(10, 0)) == []


def test_a_cancelled_allocation_no_longer_counts(station_with_sessions) -> None:
    station, (first, _b, third) = station_with_sessions
    changes.cancel_allocation(station, first, "R1000001")
    changes.cancel_allocation(station, first, "R1000002")
    changes.reschedule_session(station, third, date(2026, 12, 1), time(14, 0))


def test_an_assessor_needs_an_authorisation_which_then_appears_on_the_record(
    station_with_sessions, tmp_path: Path
) -> None:
    station, (first, _b, _c) = station_with_sessions
    res = cli(
        "--data-dir",
        station.db.paths.data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(
            tmp_path / "assessor.json",
            plan(
                day="2026-12-09",
                regs=("R1000003",),
                invigilator={"name": "Chris Assessor", "imi_pin": "PIN-1", "assessor": True, "impartial": True},
            ),
        ),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 3 and res.lines[0].startswith("INV-2:")
    with pytest.raises(BadInput):
        changes.change_invigilator(station, first, "Nobody Known")
    add_invigilator(station, "Chris Assessor", "PIN-1", assessor=True, impartial=True)
    with pytest.raises(RuleRefused, match="INV-2"):
        changes.change_invigilator(station, first, "Chris Assessor")
    changes.authorise_assessor(station, "Chris Assessor", "Only approved invigilator on site during the flood closure")
    changes.change_invigilator(station, first, "Chris Assessor")
    record = build_record(station, first)
    assert record.invigilator_name == "Chris Assessor"
    assert "flood closure" in record.invigilator_status and "INV-2" in record.invigilator_status


def test_a_layout_with_workstations_too_close_is_refused(station_with_sessions) -> None:
    station, _ = station_with_sessions
    layout = [
        WorkstationFact("PC-01", 0, 0),
        WorkstationFact("PC-02", 1.2, 0),
        WorkstationFact("PC-03", 4, 0),
        WorkstationFact("PC-04", 6, 0),
    ]
    with pytest.raises(RuleRefused) as refused:
        changes.change_room_layout(station, "IT Suite", layout)
    assert refused.value.lines()[0].startswith("ROOM-1:") and "PC-01" in refused.value.lines()[0]


def test_a_layout_that_drops_a_seat_in_use_is_bad_input(station_with_sessions) -> None:
    station, _ = station_with_sessions
    with pytest.raises(BadInput, match="PC-02"):
        changes.change_room_layout(station, "IT Suite", [WorkstationFact("PC-01", 0, 0)])


def test_re_seating_a_candidate(station_with_sessions) -> None:
    station, (first, _b, _c) = station_with_sessions
    with pytest.raises(BadInput, match="taken by Tomasz Nowak"):
        changes.move_candidate(station, first, "R1000001", "PC-02")
    changes.move_candidate(station, first, "R1000001", "PC-04")
    assert {c.workstation for c in build_record(station, first).candidates} == {"PC-04", "PC-02"}


def test_adding_candidates_checks_the_rules_and_duplicates(station_with_sessions) -> None:
    station, (first, _second, third) = station_with_sessions
    extra = PlannedCandidate(
        "R1000003", "EV1-C", "603/1465/5", "PC-03", notice_date=date(2026, 11, 20), readiness_confirmed=True
    )
    assert changes.add_candidate(station, third, extra) == []
    blocked = PlannedCandidate(
        "R1000001", "EV1-D", "603/1465/5", "PC-03", notice_date=date(2026, 11, 20), readiness_confirmed=True
    )
    with pytest.raises(BadInput, match="already in session"):
        changes.add_candidate(station, first, blocked)
    warned = changes.add_candidate(station, first, PlannedCandidate("R1000004", "EV1-A", "603/1465/5", "PC-03"))
    assert {v.rule_id for v in warned} == {"CAND-4", "CAND-5"}


def test_changing_the_room_needs_every_seat_there(station_with_sessions) -> None:
    station, (first, _second, _c) = station_with_sessions
    assert changes.change_room(station, first, "Room 2") == []
    assert build_record(station, first).room == "Room 2"
    with pytest.raises(BadInput, match="no room"):
        changes.change_room(station, first, "Nowhere")
