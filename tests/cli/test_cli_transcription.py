"""A transcribed paper log says what the paper said: who wrote each entry on paper (never
the typist) and who typed it in; identity checks "checked on paper by …"; the room
checklist, log-on, a fire alarm's pause and resume, late arrivals reaching the register,
several candidates per entry, and the paper sign-off; `session sign-off` on the command line."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import SessionDetail, session_detail
from invigilator_app.services.review.records import build_record
from tests.helpers import PASSWORD, CliResult, cli, plan, plan_session, seeded, write_json

D = "2026-12-01T"
ALL = ["R1000001", "R1000002", "R1000003"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("template")
    data_dir = seeded(base)
    data = plan(regs=tuple(ALL))
    for c in data["candidates"]:
        c["planned_minutes"] = 45
    assert plan_session(data_dir, data, base / "plan.json") == 1
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "users",
        "add",
        "Rhian Evans",
        "--role",
        "invigilator",
        "--imi-pin",
        "IMI-PIN-5120",
        stdin=PASSWORD + "\nrhian's own long passphrase\n",
    )
    assert res.code == 0, res.err
    return data_dir


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(template, target)
    return target


def run(store: Path, *args: Any, stdin: str = PASSWORD + "\n") -> CliResult:
    res = cli("--data-dir", store, "--password-stdin", *args, stdin=stdin)
    assert "Traceback" not in res.err
    return res


def log(store: Path, tmp_path: Path, entries: list[dict[str, Any]], session: str = "1") -> CliResult:
    return run(store, "session", "log", session, write_json(tmp_path / "paper.json", entries))


def detail(store: Path) -> SessionDetail:
    station = open_station(store, PASSWORD)
    try:
        return session_detail(station, 1)
    finally:
        station.close()


PAPER = [
    {
        "type": "checklist",
        "at": D + "09:05",
        "answers": {
            "ROOM-1": "yes",
            "ROOM-2": "yes",
            "ROOM-3": {"answer": "no", "note": "Poster covered at 09:05"},
            "ROOM-4": "yes",
            "ROOM-5": "yes",
            "ROOM-6": "yes",
            "ROOM-7": "yes",
            "ROOM-8": "n/a",
        },
    },
    {"type": "identity_check", "at": D + "09:20", "registration_number": "R1000001", "note": "driving licence"},
    {"type": "identity_check", "at": D + "09:21", "registration_number": "R1000002", "note": "college ID card"},
    {"type": "logged_on", "at": D + "09:28", "registration_numbers": ["R1000001", "R1000002"]},
    {"type": "start", "at": D + "09:33", "registration_numbers": ["R1000001", "R1000002"]},
    {"type": "late_arrival", "at": D + "09:41", "registration_number": "R1000003", "note": "bus delayed"},
    {"type": "identity_check", "at": D + "09:42", "registration_number": "R1000003", "note": "passport"},
    {"type": "logged_on", "at": D + "09:43", "registration_number": "R1000003"},
    {"type": "start", "at": D + "09:44", "registration_number": "R1000003"},
    {"type": "fire_alarm", "at": D + "09:50", "note": "Building evacuated", "registration_numbers": ALL},
    {"type": "pause", "at": D + "09:50", "reason": "fire alarm: evacuated to the car park"},
    {"type": "resume", "at": D + "10:22", "reason": "all clear from the fire marshal"},
    {
        "type": "interaction_between_candidates",
        "at": D + "10:30",
        "registration_numbers": ["R1000001", "R1000002"],
        "note": "Whispering; separated and warned",
        "recorded_by": "Rhian Evans",
    },
    {"type": "finish", "at": D + "10:50", "registration_numbers": ["R1000001", "R1000002"]},
    {"type": "finish", "at": D + "11:20", "registration_number": "R1000003"},
    {"type": "sign_off", "at": D + "11:25", "declaration": True},
]


def test_a_transcribed_log_says_what_the_paper_said(store: Path, tmp_path: Path) -> None:
    res = log(store, tmp_path, PAPER)
    assert res.code == 0, res.err
    d = detail(store)
    jane = next(a for a in d.allocations if a.registration_number == "R1000001")
    sian = next(a for a in d.allocations if a.registration_number == "R1000003")
    assert jane.identity_check == (
        "09:20 driving licence, checked on paper by Alex Patel; typed in from the paper log by Sam Coordinator"
    )
    assert "match confirmed" not in jane.identity_check and "Helen" not in jane.identity_check
    assert jane.flags == "", "planned 10:18 + 32 min paused = 10:50: no overrun"
    assert jane.register == "present" and sian.register == "late (arrived 09:41)"
    assert "after the planned finish 11:01" in sian.flags, sian.flags
    fire = next(e for e in d.entries if e.type == "fire_alarm")
    assert (fire.recorded_by, fire.typed_by) == ("Alex Patel", "Sam Coordinator")
    talk = next(e for e in d.entries if e.type == "interaction_between_candidates")
    assert "Jane Smith" in talk.candidates and "Tomasz Nowak" in talk.candidates
    assert talk.recorded_by == "Rhian Evans"
    assert d.summary.state == "closed"
    station = open_station(store, PASSWORD)
    try:
        record = build_record(station, 1)
    finally:
        station.close()
    assert record.signed_off_by == "Alex Patel" and record.sign_off_typed_by == "Sam Coordinator"
    assert {c.rule_id: c.answer for c in record.checklist}["ROOM-3"] == "no"
    assert all(c.logged_on_confirmed for c in record.candidates)
    assert any(e.type == "clock_pause" and "09:50–10:22" in e.note for e in record.entries)
    assert [c.register for c in record.candidates] == ["present", "present", "late (arrived 09:41)"]
    sign = next(e for e in record.entries if e.type == "sign_off")
    assert sign.flags == [] and sign.recorded_by == "Alex Patel"


def test_the_record_csv_is_excel_ready(store: Path, tmp_path: Path) -> None:
    assert log(store, tmp_path, PAPER).code == 0
    out = tmp_path / "record.csv"
    assert run(store, "session", "export", "1", "--out", out).code == 0
    raw = out.read_bytes()
    assert raw.startswith("\ufeffcentre_number,".encode()) and raw.count(b"\r\n") == 4
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[2]["register"] == "late (arrived 09:41)" and rows[0]["logged_on_confirmed"] == "yes"


def test_deviations_the_console_refuses_are_flagged(store: Path, tmp_path: Path) -> None:
    entries = [
        {"type": "start", "at": D + "09:33", "registration_number": "R1000001"},
        {"type": "absent", "at": D + "09:40", "registration_number": "R1000001"},
        {"type": "sign_off", "at": D + "11:00", "recorded_by": "Rhian Evans", "declaration": True},
    ]
    assert log(store, tmp_path, entries).code == 0
    d = detail(store)
    jane = next(a for a in d.allocations if a.registration_number == "R1000001")
    assert "no identity check" in jane.flags and "no log-on confirmation" in jane.flags
    assert "absence recorded for Jane Smith, who is started" in jane.flags
    sign = next(e for e in d.entries if e.type == "sign_off")
    assert "not the session's invigilator Alex Patel" in sign.flags
    assert "R1000002" not in sign.flags and "Tomasz Nowak: no outcome yet" in sign.flags


def test_bad_paper_entries_name_their_path(store: Path, tmp_path: Path) -> None:
    res = log(
        store,
        tmp_path,
        [
            {"type": "pause", "at": D + "09:50"},
            {"type": "sign_off", "at": D + "11:00"},
            {"type": "checklist", "at": D + "09:00", "answers": {"ROOM-9": "yes", "ROOM-2": "maybe"}},
        ],
    )
    assert res.code == 2
    for needle in ("$[0].reason", "$[1].declaration", "$[2].answers.ROOM-9", "$[2].answers.ROOM-2"):
        assert needle in res.err, (needle, res.err)
    res = log(store, tmp_path, [{"type": "fire_alarm", "at": D + "09:50", "recorded_by": "Nobody Known"}])
    assert res.code == 2 and "$[0].recorded_by: 'Nobody Known' is not an invigilator or coordinator" in res.err
    assert detail(store).entries == []


def test_sign_off_on_the_command_line(store: Path, tmp_path: Path) -> None:
    other = plan(start="13:00", regs=("R1000004",), with_layout=False)
    other["invigilator"] = {"name": "Rhian Evans", "imi_pin": "IMI-PIN-5120"}
    assert run(store, "session", "plan", write_json(tmp_path / "p2.json", other)).code == 0
    rhian = "rhian's own long passphrase\n"
    res = run(store, "--user", "Rhian Evans", "session", "sign-off", "2", stdin=rhian)
    assert res.code == 2 and "I, Rhian Evans (IMI PIN IMI-PIN-5120)" in res.err and "--confirm" in res.err
    res = run(store, "--user", "Rhian Evans", "session", "sign-off", "2", "--confirm", stdin=rhian)
    assert res.code == 2 and "no outcome yet" in res.err
    assert (
        log(
            store, tmp_path, [{"type": "absent", "at": D + "13:10", "registration_number": "R1000004"}], session="2"
        ).code
        == 0
    )
    res = run(store, "session", "sign-off", "2", "--confirm")
    assert res.code == 5, "only the session's invigilator signs off"
    res = run(store, "--user", "Rhian Evans", "session", "sign-off", "2", "--confirm", stdin=rhian)
    assert res.code == 0, res.err
    listed = run(store, "sessions", "list").out.splitlines()
    assert listed[1].split("\t")[4] == "closed"
