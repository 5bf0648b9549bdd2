"""A recorded fail must not leave an already planned retake in breach of CAND-7 / CAND-8."""

from __future__ import annotations

from pathlib import Path

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import session_detail
from tests.helpers import PASSWORD, cli, plan, seeded, write_json


def _run(data_dir: Path, *args: object) -> object:
    return cli("--data-dir", data_dir, "--password-stdin", *args, stdin=PASSWORD + "\n")


def test_a_fail_that_breaks_a_planned_retake_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)
    first = _run(data_dir, "session", "plan", write_json(tmp_path / "a.json", plan(start="09:00", regs=("R1000001",))))
    retake_plan = plan(start="10:30", room="Room 2", regs=("R1000001",))
    retake = _run(data_dir, "session", "plan", write_json(tmp_path / "b.json", retake_plan))
    assert first.code == 0 and retake.code == 0, first.err + retake.err
    log = [
        {"type": "identity_check", "at": "2026-12-01T08:55", "registration_number": "R1000001"},
        {"type": "start", "at": "2026-12-01T09:02", "registration_number": "R1000001"},
        {"type": "finish", "at": "2026-12-01T09:50", "registration_number": "R1000001"},
        {"type": "result", "at": "2026-12-01T09:55", "registration_number": "R1000001", "result": "fail"},
    ]
    res = _run(data_dir, "session", "log", first.out.strip(), write_json(tmp_path / "log.json", log))
    assert res.code == 3, res.err
    assert [line.split(":")[0] for line in res.lines] == ["CAND-7", "CAND-8"]
    station = open_station(data_dir, PASSWORD)
    try:
        jane = session_detail(station, int(first.out))
        assert jane.allocations[0].result == "" and jane.allocations[0].state == "expected", "all or nothing"
    finally:
        station.close()


def test_a_pass_or_a_fail_with_no_planned_retake_is_recorded(tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)
    first = _run(data_dir, "session", "plan", write_json(tmp_path / "a.json", plan(start="09:00")))
    log = [
        {"type": "identity_check", "at": "2026-12-01T08:55", "registration_number": "R1000001"},
        {"type": "start", "at": "2026-12-01T09:02", "registration_number": "R1000001"},
        {"type": "result", "at": "2026-12-01T09:55", "registration_number": "R1000001", "result": "fail"},
        {"type": "result", "at": "2026-12-01T09:56", "registration_number": "R1000002", "result": "pass"},
    ]
    res = _run(data_dir, "session", "log", first.out.strip(), write_json(tmp_path / "log.json", log))
    assert res.code == 0, res.err
