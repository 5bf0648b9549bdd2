"""`session log ID FILE` (transcribed paper log), `sessions list` and `verify --audit`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import SessionDetail, session_detail
from invigilator_app.store.engine import connect
from tests.helpers import PASSWORD, cli, plan, planned_session, write_json


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("template")
    data_dir, sid = planned_session(base)
    assert sid == 1
    return data_dir


def run(store: Path, *args: str | Path):
    res = cli("--data-dir", store, "--password-stdin", *args, stdin=PASSWORD + "\n")
    assert "Traceback" not in res.err
    return res


def log(store: Path, tmp_path: Path, entries: Any, session_id: str = "1"):
    return run(store, "session", "log", session_id, write_json(tmp_path / "log.json", entries))


def detail(store: Path, session_id: int = 1) -> SessionDetail:
    station = open_station(store, PASSWORD)
    try:
        return session_detail(station, session_id)
    finally:
        station.close()


def allocation(d: SessionDetail, reg: str):
    return next(a for a in d.allocations if a.registration_number == reg)


FULL_LOG = [
    {"type": "identity_check", "at": "2026-12-01T09:20", "registration_number": "R1000001", "note": "passport"},
    {"type": "identity_check", "at": "2026-12-01T09:21", "registration_number": "R1000002"},
    {"type": "logged_on", "at": "2026-12-01T09:25", "registration_numbers": ["R1000001", "R1000002"]},
    {"type": "start", "at": "2026-12-01T09:30", "registration_number": "R1000001"},
    {"type": "start", "at": "2026-12-01T09:31", "registration_number": "R1000002"},
    {"type": "fire_alarm", "at": "2026-12-01T09:50", "note": "evacuated 10 minutes"},
    {
        "type": "question_issue",
        "at": "2026-12-01T10:05",
        "registration_number": "R1000002",
        "question_number": "14",
        "assessment_id": "MOT-4-A",
        "note": "diagram does not load",
    },
    {"type": "finish", "at": "2026-12-01T10:40", "registration_number": "R1000001"},
    {"type": "result", "at": "2026-12-01T10:41", "registration_number": "R1000001", "result": "pass"},
]


def test_transcribed_log_is_recorded(store: Path, tmp_path: Path) -> None:
    res = log(store, tmp_path, FULL_LOG)
    assert res.code == 0, res.err
    assert res.out == ""
    assert "9" in res.err
    d = detail(store)
    jane, tomasz = allocation(d, "R1000001"), allocation(d, "R1000002")
    assert (jane.start, jane.finish, jane.result) == ("09:30", "10:40", "pass")
    assert "passport" in jane.identity_check and "paper log" in jane.identity_check
    assert tomasz.start == "09:31" and tomasz.finish == ""
    assert jane.flags == "" and tomasz.flags == ""
    assert [e.type for e in d.entries] == ["fire_alarm", "question_issue"]
    assert all(e.transcribed for e in d.entries)
    q = d.entries[1]
    assert "Q14" in q.note and "MOT-4-A" in q.note and "Tomasz Nowak" in q.candidates
    assert d.summary.state == "running"


def test_start_without_identity_check_is_accepted_but_flagged(store: Path, tmp_path: Path) -> None:
    res = log(store, tmp_path, [{"type": "start", "at": "2026-12-01T09:30", "registration_number": "R1000001"}])
    assert res.code == 0, res.err
    d = detail(store)
    assert "CAND-1" in allocation(d, "R1000001").flags
    assert "CAND-1" not in allocation(d, "R1000002").flags


def test_unknown_entry_type_exit_2_nothing_written(store: Path, tmp_path: Path) -> None:
    entries = [{"type": "fire_alarm", "at": "2026-12-01T09:50"}]
    res = log(store, tmp_path, [{"type": "coffee_break", "at": "2026-12-01T09:40"}, *entries])
    assert res.code == 2
    assert "$[0].type" in res.err
    assert "coffee_break" in res.err
    assert detail(store).entries == []


def test_registration_not_in_the_session_exit_2_nothing_written(store: Path, tmp_path: Path) -> None:
    entries = [
        {"type": "fire_alarm", "at": "2026-12-01T09:50"},
        {"type": "start", "at": "2026-12-01T09:30", "registration_number": "R1000003"},
    ]
    res = log(store, tmp_path, entries)
    assert res.code == 2
    assert "$[1].registration_number" in res.err and "R1000003" in res.err
    assert detail(store).entries == []
    assert all(a.start == "" for a in detail(store).allocations)


def test_bad_log_shapes_exit_2(store: Path, tmp_path: Path) -> None:
    assert log(store, tmp_path, {"type": "fire_alarm"}).code == 2
    res = log(store, tmp_path, [{"type": "question_issue", "at": "2026-12-01T10:00", "note": "x"}])
    assert res.code == 2 and "$[0].question_number" in res.err and "$[0].assessment_id" in res.err
    res = log(
        store,
        tmp_path,
        [{"type": "result", "at": "2026-12-01T10:00", "registration_number": "R1000001", "result": "merit"}],
    )
    assert res.code == 2 and "$[0].result" in res.err
    res = log(store, tmp_path, [{"type": "fire_alarm", "at": "noon"}])
    assert res.code == 2 and "$[0].at" in res.err


def test_unknown_session_exit_2(store: Path, tmp_path: Path) -> None:
    res = log(store, tmp_path, [{"type": "fire_alarm", "at": "2026-12-01T09:50"}], session_id="99")
    assert res.code == 2
    assert "99" in res.err


def test_sessions_list_is_tab_separated(store: Path, tmp_path: Path) -> None:
    res = run(store, "sessions", "list")
    assert res.code == 0, res.err
    assert res.out == "1\t2026-12-01\t09:30\tIT Suite\tplanned\t2\n"
    assert log(store, tmp_path, FULL_LOG[3:4]).code == 0
    data = plan(day="2026-12-02", start="14:15", room="Library", regs=("R1000003",))
    assert run(store, "session", "plan", write_json(tmp_path / "p2.json", data)).code == 0
    res = run(store, "sessions", "list")
    assert res.out.splitlines() == [
        "1\t2026-12-01\t09:30\tIT Suite\trunning\t2",
        "2\t2026-12-02\t14:15\tLibrary\tplanned\t1",
    ]
    for line in res.out.splitlines():
        assert len(line.split("\t")) == 6


def _raw(store: Path, statement: str) -> None:
    key = SlotFile.load(store / "keyslots.json").open(user_owner("Sam Coordinator"), PASSWORD.encode())
    conn = connect(store / "store.db", key)
    try:
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def test_verify_audit_on_a_good_store(store: Path, tmp_path: Path) -> None:
    assert log(store, tmp_path, FULL_LOG).code == 0
    res = run(store, "verify", "--audit")
    assert res.code == 0, res.err
    assert res.out.startswith("OK")


def test_verify_audit_names_an_altered_entry(store: Path) -> None:
    _raw(store, "UPDATE audit_entries SET actor = 'x' WHERE id = 3")
    res = run(store, "verify", "--audit")
    assert res.code == 4
    assert "entry 3" in res.err
    assert res.out == ""


def test_verify_audit_finds_a_deleted_entry(store: Path) -> None:
    _raw(store, "DELETE FROM audit_entries WHERE id = 4")
    res = run(store, "verify", "--audit")
    assert res.code == 4
    assert "entry 4" in res.err and "missing" in res.err


def test_verify_audit_finds_a_rewritten_hash_chain_link(store: Path) -> None:
    _raw(store, "UPDATE audit_entries SET prev_hash = '" + "0" * 64 + "' WHERE id = 5")
    res = run(store, "verify", "--audit")
    assert res.code == 4
    assert "entry 5" in res.err


def test_verify_without_file_or_audit_is_bad_input(store: Path) -> None:
    res = run(store, "verify")
    assert res.code == 2
    assert "--audit" in res.err
