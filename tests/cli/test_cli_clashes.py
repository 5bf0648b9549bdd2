"""`session plan` refuses double bookings (exit 3, both sessions named): a candidate in two
rooms at once (CAND-11), one workstation at 09:00 and 09:30 (ROOM-9), an invigilator in two
rooms (INV-5); the identical plan made twice is refused by all three."""

from __future__ import annotations

import shutil
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from invigilator_app.domain.errors import RuleRefused
from invigilator_app.services.access import open_station
from invigilator_app.services.planning.changes import change_invigilator, reschedule_session
from tests.helpers import PASSWORD, CliResult, cli, plan, seeded, write_json


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded(tmp_path_factory.mktemp("template"))


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(template, target)
    return target


def run(store: Path, tmp_path: Path, data: dict[str, Any], name: str) -> CliResult:
    path = write_json(tmp_path / f"{name}.json", data)
    res = cli("--data-dir", store, "--password-stdin", "session", "plan", path, stdin=PASSWORD + "\n")
    assert "Traceback" not in res.err
    return res


def timed(minutes: int = 60, **kw: Any) -> dict[str, Any]:
    data = plan(**kw)
    for c in data["candidates"]:
        c["planned_minutes"] = minutes
    return data


def test_identical_plan_twice_is_refused(store: Path, tmp_path: Path) -> None:
    first = run(store, tmp_path, timed(), "a")
    assert first.code == 0, first.err
    again = run(store, tmp_path, timed(), "b")
    assert again.code == 3
    assert again.out == ""
    rules = {line.split(":")[0] for line in again.lines}
    assert {"CAND-11", "ROOM-9", "INV-5"} <= rules, again.err
    sid = first.out.strip()
    assert all(
        f"session {sid} (IT Suite, Tue 1 Dec 09:30–10:30)" in line
        for line in again.lines
        if line.split(":")[0] in {"CAND-11", "ROOM-9", "INV-5"}
    )
    assert "this session (IT Suite, Tue 1 Dec 09:30–10:30)" in again.err


def test_same_candidate_in_two_rooms_at_once(store: Path, tmp_path: Path) -> None:
    assert run(store, tmp_path, timed(regs=("R1000001",)), "a").code == 0
    other = timed(room="Library", regs=("R1000001",), assessment="MOT-4-B", start="10:00")
    other["invigilator"]["name"] = "Rhian Evans"
    res = run(store, tmp_path, other, "b")
    assert res.code == 3
    assert [line.split(":")[0] for line in res.lines] == ["CAND-11"], res.err
    assert "Jane Smith (R1000001)" in res.err and "Library" in res.err and "IT Suite" in res.err


def test_workstation_at_nine_and_half_past(store: Path, tmp_path: Path) -> None:
    assert run(store, tmp_path, timed(start="09:00", regs=("R1000001",)), "a").code == 0
    other = timed(start="09:30", regs=("R1000002",), with_layout=False)
    other["invigilator"]["name"] = "Rhian Evans"
    res = run(store, tmp_path, other, "b")
    assert res.code == 3
    assert [line.split(":")[0] for line in res.lines] == ["ROOM-9"], res.err
    assert "PC-01 in IT Suite" in res.err


def test_sessions_that_only_touch_are_fine(store: Path, tmp_path: Path) -> None:
    assert run(store, tmp_path, timed(start="09:00", regs=("R1000001",)), "a").code == 0
    later = timed(start="10:00", regs=("R1000001",), assessment="MOT-4-B", with_layout=False)
    assert run(store, tmp_path, later, "b").code == 0  # 09:00–10:00 then 10:00: touching is fine


def test_changes_are_checked_too(store: Path, tmp_path: Path) -> None:
    first = run(store, tmp_path, timed(start="09:00", regs=("R1000001",)), "a")
    other = timed(start="13:00", room="Library", regs=("R1000002",))
    other["invigilator"]["name"] = "Rhian Evans"
    second = run(store, tmp_path, other, "b")
    assert first.code == 0 and second.code == 0
    station = open_station(store, PASSWORD)
    try:
        assert reschedule_session(station, int(second.out), date(2026, 12, 1), time(9, 30)) is not None
        with pytest.raises(RuleRefused) as refused:
            change_invigilator(station, int(second.out), "Alex Patel")
        assert [v.rule_id for v in refused.value.violations] == ["INV-5"]
        assert f"session {first.out.strip()} (IT Suite" in refused.value.violations[0].message
        assert f"session {second.out.strip()} (Library" in refused.value.violations[0].message
    finally:
        station.close()
