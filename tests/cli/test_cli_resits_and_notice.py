"""CAND-9 counts only attempts actually sat: fail, then absent, then the first resit sat is
resit 1 (free), not "resit 2, chargeable"; absences are shown, never counted. Notice given
on the day itself warns (CAND-4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.console.recording import mark_absent
from invigilator_app.services.console.sessions import session_detail
from tests.helpers import PASSWORD, CliResult, cli, plan, seeded, write_json

FAIL_LOG = [
    {"type": "identity_check", "at": "2026-12-01T09:25", "registration_number": "R1000001"},
    {"type": "start", "at": "2026-12-01T09:30", "registration_number": "R1000001"},
    {"type": "finish", "at": "2026-12-01T10:00", "registration_number": "R1000001"},
    {"type": "result", "at": "2026-12-01T10:00", "registration_number": "R1000001", "result": "fail"},
]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return seeded(tmp_path)


def run(store: Path, tmp_path: Path, *argv: Any, name: str = "f", data: Any = None) -> CliResult:
    args: list[Any] = list(argv)
    if data is not None:
        args.append(write_json(tmp_path / f"{name}.json", data))
    res = cli("--data-dir", store, "--password-stdin", *args, stdin=PASSWORD + "\n")
    assert "Traceback" not in res.err
    return res


def resit(day: str) -> dict[str, Any]:
    data = plan(day=day, regs=("R1000001",), with_layout=day == "2026-12-01")
    data["candidates"][0]["support_note"] = "Went through the MOT brake test procedure with the tutor."
    return data


def attempt(store: Path, session_id: int) -> tuple[int, bool]:
    station = open_station(store, PASSWORD)
    try:
        a = session_detail(station, session_id).allocations[0]
        return a.attempt_number, a.chargeable
    finally:
        station.close()


def absent(store: Path, session_id: int) -> None:
    station = open_station(store, PASSWORD)
    try:
        mark_absent(station, session_id, "R1000001")
    finally:
        station.close()


def test_an_absence_is_not_a_resit(store: Path, tmp_path: Path) -> None:
    first = run(store, tmp_path, "session", "plan", data=resit("2026-12-01"), name="a")
    assert first.code == 0, first.err
    assert run(store, tmp_path, "session", "log", first.out.strip(), data=FAIL_LOG, name="l").code == 0
    missed = run(store, tmp_path, "session", "plan", data=resit("2026-12-04"), name="b")
    sat = run(store, tmp_path, "session", "plan", data=resit("2026-12-08"), name="c")
    assert missed.code == 0 and sat.code == 0, sat.err
    assert attempt(store, int(sat.out)) == (3, True)  # planned before the absence was known
    absent(store, int(missed.out))
    assert attempt(store, int(sat.out)) == (2, False), "the first resit actually sat is free"
    third = run(store, tmp_path, "session", "plan", data=resit("2026-12-11"), name="d")
    assert third.code == 0, third.err
    warning = next(line for line in third.lines if line.startswith("warning CAND-9: "))
    assert "attempt 3 (resit 2) (not counting 1 not sat: Fri 4 Dec 09:30)" in warning
    assert attempt(store, int(third.out)) == (3, True)


def test_same_day_notice_warns(store: Path, tmp_path: Path) -> None:
    data = plan()
    data["candidates"][0]["notice_date"] = "2026-12-01"
    res = run(store, tmp_path, "session", "plan", data=data)
    assert res.code == 0, res.err
    assert any(
        line.startswith("warning CAND-4: ") and "Jane Smith" in line and "on the day itself" in line
        for line in res.lines
    ), res.err
    assert not any("Tomasz" in line for line in res.lines if "CAND-4" in line)
