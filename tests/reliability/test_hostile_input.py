"""Hostile input is bad input (exit 2, naming the file, the place and what is wrong), never
an unexpected error, and nothing accepted breaks later: each case here exited 1 or was
accepted and broke an export before the importers held every input to its limits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PASSWORD, cli, plan, seeded, write_json


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded(tmp_path_factory.mktemp("template"))


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(template, target)
    return target


def run(store: Path, *argv: Any):
    return cli("--data-dir", store, "--password-stdin", *argv, stdin=PASSWORD + "\n")


def _refused(res, *names: str) -> None:
    assert res.code == 2, res.err
    assert "Unexpected" not in res.err and "Traceback" not in res.err
    for name in names:
        assert name in res.err, res.err


def _sessions(store: Path) -> str:
    return run(store, "sessions", "list").out


def test_a_csv_field_longer_than_the_csv_limit(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("registration_number,first_name,last_name\nR1000009,Ann," + "x" * 140_000 + "\n", encoding="utf-8")
    _refused(run(store, "candidates", "import", path), "long.csv, line 2", "characters")


@pytest.mark.parametrize("dob", ["0001-01-01", "9999-12-31"])
def test_a_date_of_birth_out_of_range(store: Path, tmp_path: Path, dob: str) -> None:
    path = tmp_path / "dob.csv"
    path.write_text(
        f"registration_number,first_name,last_name,date_of_birth\nR1000009,Ann,Lee,{dob}\n", encoding="utf-8"
    )
    _refused(run(store, "candidates", "import", path), "dob.csv, line 2", "date_of_birth", "outside")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_plan_date_out_of_range(store: Path, tmp_path: Path, day: str) -> None:
    _refused(run(store, "session", "plan", write_json(tmp_path / "p.json", plan(day=day))), "$.date", "outside")
    assert _sessions(store) == ""


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e6", "1e308", "1e999"])
def test_coordinates_must_be_finite_and_inside_a_room(store: Path, tmp_path: Path, value: str) -> None:
    text = json.dumps(plan()).replace('"x": 0.0', f'"x": {value}', 1)
    assert value in text
    path = tmp_path / "p.json"
    path.write_text(text, encoding="utf-8")
    res = run(store, "session", "plan", path)
    _refused(res, "p.json")
    assert "$.workstations[0].x" in res.err or "not a number JSON allows" in res.err or "finite" in res.err
    assert _sessions(store) == ""


def test_a_layout_wider_than_a_room(store: Path, tmp_path: Path) -> None:
    data = plan()
    data["workstations"][0]["x"] = -60.0
    data["workstations"][1]["x"] = 60.0
    _refused(run(store, "session", "plan", write_json(tmp_path / "p.json", data)), "$.workstations", "100 m")


def test_json_nested_a_thousand_deep(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    _refused(run(store, "session", "plan", path), "deep.json", "nested")
    _refused(run(store, "session", "log", "1", path), "deep.json", "nested")


def test_a_five_thousand_digit_number(store: Path, tmp_path: Path) -> None:
    text = json.dumps(plan()).replace('"x": 0.0', '"x": ' + "9" * 5000, 1)
    path = tmp_path / "big.json"
    path.write_text(text, encoding="utf-8")
    _refused(run(store, "session", "plan", path), "big.json", "5,000 characters")


def test_a_session_id_of_ten_to_the_thirty(store: Path, tmp_path: Path) -> None:
    log = write_json(tmp_path / "log.json", [])
    _refused(run(store, "session", "log", str(10**30), log), "is not a session id")
    _refused(run(store, "session", "export", str(10**30), "--out", tmp_path / "r.pdf"), "is not a session id")


def test_a_log_time_that_cannot_be_converted(store: Path, tmp_path: Path) -> None:
    sid = run(store, "session", "plan", write_json(tmp_path / "p.json", plan())).out.strip()
    log = write_json(tmp_path / "log.json", [{"type": "fire_alarm", "at": "9999-12-31T23:59-01:00"}])
    _refused(run(store, "session", "log", sid, log), "log.json", "$[0].at", "outside")


def test_too_many_workstations(store: Path, tmp_path: Path) -> None:
    data = plan()
    data["workstations"] = [
        {"label": f"PC-{i}", "x": i % 50, "y": i // 50 * 2, "screen": True, "privacy_filter": True} for i in range(600)
    ]
    _refused(run(store, "session", "plan", write_json(tmp_path / "p.json", data)), "$.workstations", "at most 500")


def test_the_identical_plan_cannot_be_made_twice(store: Path, tmp_path: Path) -> None:
    path = write_json(tmp_path / "p.json", plan())
    first = run(store, "session", "plan", path)
    assert first.code == 0, first.err
    again = run(store, "session", "plan", path)
    assert again.code == 3, again.err  # the clash rules: the same room, seats and candidates at that time
    assert "ROOM-9" in again.err and f"session {first.out.strip()}" in again.err
    assert len(_sessions(store).splitlines()) == 1
