"""`session plan FILE`: stdout is only the session id; warnings on stderr with exit 0;
bad input exit 2 with JSON paths; rule blocks exit 3 listing every violation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.store.models import RuleAcknowledgement
from tests.helpers import PASSWORD, cli, plan, seeded, write_json


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded(tmp_path_factory.mktemp("template"))


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(template, target)
    return target


class Planner:
    def __init__(self, store: Path, tmp_path: Path) -> None:
        self.store, self.tmp_path, self.n = store, tmp_path, 0

    def __call__(self, data: Any, *, raw: str | None = None):
        self.n += 1
        path = self.tmp_path / f"plan{self.n}.json"
        if raw is not None:
            path.write_text(raw, encoding="utf-8")
        else:
            write_json(path, data)
        res = cli("--data-dir", self.store, "--password-stdin", "session", "plan", path, stdin=PASSWORD + "\n")
        assert "Traceback" not in res.err
        res.path = path  # type: ignore[attr-defined]
        return res


@pytest.fixture
def plan_file(store: Path, tmp_path: Path) -> Planner:
    return Planner(store, tmp_path)


def session_count(store: Path) -> int:
    station = open_station(store, PASSWORD)
    try:
        return len(list_sessions(station))
    finally:
        station.close()


def log(store: Path, tmp_path: Path, session_id: str, entries: list[dict[str, Any]]) -> None:
    res = cli(
        "--data-dir",
        store,
        "--password-stdin",
        "session",
        "log",
        session_id,
        write_json(tmp_path / f"log{session_id}.json", entries),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err


def test_plan_prints_only_the_session_id(store: Path, plan_file: Planner) -> None:
    res = plan_file(plan())
    assert res.code == 0, res.err
    assert re.fullmatch(r"\d+\n", res.out), res.out
    assert res.err == ""
    second = plan_file(plan(start="13:00", with_layout=False, assessment="MOT-4-B"))
    assert second.code == 0, second.err
    assert int(second.out) == int(res.out) + 1


def test_globals_before_and_password_stdin_after_the_subcommand(store: Path, tmp_path: Path) -> None:
    path = write_json(tmp_path / "plan.json", plan())
    res = cli(
        "--user",
        "Sam Coordinator",
        "--data-dir",
        store,
        "session",
        "plan",
        path,
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    assert res.out.strip().isdigit()
    res = cli("--data-dir", store, "sessions", "list", "--password-stdin", stdin=PASSWORD + "\n")
    assert res.code == 0 and len(res.out.splitlines()) == 1


@pytest.mark.parametrize(
    ("change", "rule"),
    [("notice_date", "CAND-4"), ("readiness_confirmed", "CAND-5")],
)
def test_warnings_go_to_stderr_and_exit_0(store: Path, plan_file: Planner, change: str, rule: str) -> None:
    data = plan()
    for c in data["candidates"]:
        if change == "notice_date":
            del c["notice_date"]
        else:
            c["readiness_confirmed"] = False
    res = plan_file(data)
    assert res.code == 0, res.err
    assert re.fullmatch(r"\d+\n", res.out)
    warnings = [line for line in res.lines if line.startswith(f"warning {rule}: ")]
    assert len(warnings) == 2, res.err  # one per candidate
    assert all(line.startswith("warning ") for line in res.lines)
    # Recorded as acknowledged by the acting user.
    station = open_station(store, PASSWORD)
    try:
        with station.read() as session:
            acks = session.scalars(select(RuleAcknowledgement).where(RuleAcknowledgement.rule_id == rule)).all()
            assert len(acks) == 2
            assert {a.acknowledged_by_id for a in acks} == {station.actor.id}
            assert {a.session_id for a in acks} == {int(res.out)}
    finally:
        station.close()


def test_unknown_registration_number_exit_2_with_json_path(store: Path, plan_file: Planner) -> None:
    res = plan_file(plan(regs=("R9999999", "R1000002")))
    assert res.code == 2
    assert res.out == ""
    assert f"{res.path}: $.candidates[0].registration_number: R9999999" in res.err
    assert session_count(store) == 0


def test_shape_problems_name_every_json_path(store: Path, plan_file: Planner) -> None:
    data = plan()
    data["date"] = "1 Dec 2026"
    del data["candidates"][1]["assessment_id"]
    data["candidates"][0]["readiness_confirmed"] = "yes"
    res = plan_file(data)
    assert res.code == 2
    assert "$.date:" in res.err
    assert "$.candidates[1].assessment_id: is required" in res.err
    assert "$.candidates[0].readiness_confirmed:" in res.err
    assert session_count(store) == 0


def test_malformed_json_exit_2_names_line_and_column(store: Path, plan_file: Planner) -> None:
    res = plan_file(None, raw='{\n  "date": "2026-12-01",\n  "start": 09:30\n}\n')
    assert res.code == 2
    assert re.search(r"line 3, column \d+", res.err), res.err
    assert str(res.path) in res.err
    assert session_count(store) == 0


def test_room_1_layout_exit_3(store: Path, plan_file: Planner) -> None:
    data = plan()
    data["workstations"] = [
        {"label": "PC-01", "x": 0.0, "y": 0.0, "screen": False, "privacy_filter": False},
        {"label": "PC-02", "x": 1.0, "y": 0.0, "screen": False, "privacy_filter": False},
    ]
    res = plan_file(data)
    assert res.code == 3
    assert res.out == ""
    assert any(line.startswith("ROOM-1: ") for line in res.lines), res.err
    assert session_count(store) == 0


def test_room_1_screen_between_is_fine(plan_file: Planner) -> None:
    data = plan()
    data["workstations"] = [
        {"label": "PC-01", "x": 0.0, "y": 0.0, "screen": True, "privacy_filter": False},
        {"label": "PC-02", "x": 1.0, "y": 0.0, "screen": False, "privacy_filter": False},
    ]
    assert plan_file(data).code == 0


def test_third_assessment_in_a_day_across_rooms_exit_3(store: Path, plan_file: Planner) -> None:
    assert plan_file(plan(start="09:00", regs=("R1000001",), assessment="MOT-4-A")).code == 0
    assert plan_file(plan(start="11:00", regs=("R1000001",), assessment="MOT-4-B", with_layout=False)).code == 0
    res = plan_file(plan(start="14:00", room="Library", regs=("R1000001",), assessment="MOT-4-C"))
    assert res.code == 3
    assert any(line.startswith("CAND-3: ") for line in res.lines), res.err
    assert session_count(store) == 2


def test_assessor_invigilator_needs_authorisation_exit_3(store: Path, plan_file: Planner) -> None:
    data = plan()
    data["invigilator"]["assessor"] = True
    res = plan_file(data)
    assert res.code == 3
    assert any(line.startswith("INV-2: ") for line in res.lines), res.err
    assert session_count(store) == 0


FAIL_LOG = [
    {"type": "identity_check", "at": "2026-12-01T09:25", "registration_number": "R1000001"},
    {"type": "start", "at": "2026-12-01T09:30", "registration_number": "R1000001"},
    {"type": "finish", "at": "2026-12-01T10:00", "registration_number": "R1000001"},
    {"type": "result", "at": "2026-12-01T10:00", "registration_number": "R1000001", "result": "fail"},
]


def test_retake_too_soon_without_support_lists_cand_7_and_cand_8(
    store: Path, plan_file: Planner, tmp_path: Path
) -> None:
    first = plan_file(plan(start="09:30", regs=("R1000001",)))
    assert first.code == 0
    log(store, tmp_path, first.out.strip(), FAIL_LOG)
    res = plan_file(plan(start="11:00", regs=("R1000001",), with_layout=False))
    assert res.code == 3
    assert res.out == ""
    assert any(line.startswith("CAND-7: ") for line in res.lines), res.err
    assert any(line.startswith("CAND-8: ") for line in res.lines), res.err
    assert session_count(store) == 1


def test_retake_after_two_hours_with_a_support_note_is_fine(store: Path, plan_file: Planner, tmp_path: Path) -> None:
    first = plan_file(plan(start="09:30", regs=("R1000001",)))
    log(store, tmp_path, first.out.strip(), FAIL_LOG)
    data = plan(start="12:00", regs=("R1000001",), with_layout=False)
    data["candidates"][0]["support_note"] = "Went through brake diagnostics with the tutor."
    res = plan_file(data)
    assert res.code == 0, res.err
    assert re.fullmatch(r"\d+\n", res.out)
    assert not [line for line in res.lines if not line.startswith("warning ")]
    assert session_count(store) == 2


def test_retake_after_two_hours_without_a_support_note_is_cand_8_only(
    plan_file: Planner, store: Path, tmp_path: Path
) -> None:
    first = plan_file(plan(start="09:30", regs=("R1000001",)))
    log(store, tmp_path, first.out.strip(), FAIL_LOG)
    res = plan_file(plan(start="12:00", regs=("R1000001",), with_layout=False))
    assert res.code == 3
    assert [line.split(":")[0] for line in res.lines] == ["CAND-8"]
