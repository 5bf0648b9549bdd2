"""Late entries: any entry added to a closed or signed-off session is marked late with its
reason, however it arrives (the console, `session log`, an amendment of its time, any
other write).

The attack: `session log` into a closed session added back-dated entries that the record
showed as if they had been logged at the time."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from invigilator_app.domain.errors import BadInput
from invigilator_app.services.access import open_station
from invigilator_app.services.console import recording as console
from invigilator_app.services.review.amendments import amend
from invigilator_app.services.review.records import build_record
from invigilator_app.store.models import LogEntry
from invigilator_app.store.models import Session as SessionRow
from tests.helpers import PASSWORD, cli, plan, seeded, write_json


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("late")
    data_dir = seeded(base)
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(base / "plan.json", plan()),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0 and res.out.strip() == "1", res.err
    station = open_station(data_dir, PASSWORD)
    try:
        console.record_entry(
            station, 1, "fire_alarm", note="Alarm, room evacuated", at=datetime(2026, 12, 1, 10, 5, tzinfo=UTC)
        )
    finally:
        station.close()
    return data_dir


@pytest.fixture(params=["closed", "signed_off"])
def store(request: pytest.FixtureRequest, template: Path, tmp_path: Path) -> tuple[Path, str]:
    target = tmp_path / "store"
    shutil.copytree(template, target)
    station = open_station(target, PASSWORD)
    try:
        with station.write() as session:
            session.get(SessionRow, 1).state = request.param
    finally:
        station.close()
    return target, request.param


def entries(data_dir: Path) -> list[LogEntry]:
    station = open_station(data_dir, PASSWORD)
    try:
        with station.read() as session:
            return list(session.scalars(select(LogEntry).order_by(LogEntry.id)))
    finally:
        station.close()


def test_session_log_into_a_closed_session_is_late_with_its_reason(store: tuple[Path, str], tmp_path: Path) -> None:
    data_dir, state = store
    paper = write_json(
        tmp_path / "log.json",
        [
            {
                "type": "explanation_requested",
                "at": "2026-12-01T09:50",
                "registration_number": "R1000001",
                "note": "asked what 'torque' means",
            }
        ],
    )
    res = cli("--data-dir", data_dir, "--password-stdin", "session", "log", "1", paper, stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    added = entries(data_dir)[-1]
    assert added.type == "explanation_requested" and added.transcribed
    assert added.late, "a back-dated entry in a closed session is late"
    after = "sign-off" if state == "signed_off" else "the session was closed"
    assert added.late_reason == f"transcribed after {after}"
    out = tmp_path / "record.pdf"
    assert (
        cli(
            "--data-dir", data_dir, "--password-stdin", "session", "export", "1", "--out", out, stdin=PASSWORD + "\n"
        ).code
        == 0
    )
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Late entry" in text or "late" in text.lower()
    assert f"transcribed after {after}" in " ".join(text.split()).replace("- ", "-")


def test_the_console_needs_a_reason_and_marks_the_entry_late(store: tuple[Path, str]) -> None:
    data_dir, _state = store
    station = open_station(data_dir, PASSWORD)
    try:
        with pytest.raises(BadInput, match="late entry needs a reason"):
            console.record_entry(station, 1, "reader_used", note="forgot to note it")
        console.record_entry(
            station,
            1,
            "reader_used",
            note="forgot to note it",
            late_reason="noticed on review",
            at=datetime(2026, 12, 1, 9, 40, tzinfo=UTC),
        )
        record = build_record(station, 1)
    finally:
        station.close()
    reader = next(e for e in record.entries if e.type == "reader_used")
    assert reader.late and reader.late_reason == "noticed on review"


def test_an_entry_written_any_other_way_is_late_all_the_same(store: tuple[Path, str]) -> None:
    data_dir, _state = store
    station = open_station(data_dir, PASSWORD)
    try:
        with station.write() as session:
            session.add(
                LogEntry(
                    session_id=1,
                    type="other",
                    at=datetime(2026, 12, 1, 9, 45, tzinfo=UTC),
                    note="added by an import",
                    recorded_by_id=station.actor.id,
                    recorded_at=station.now(),
                )
            )
    finally:
        station.close()
    added = entries(data_dir)[-1]
    assert added.late and added.late_reason.startswith("recorded after")


def test_an_entry_whose_time_is_amended_after_closing_is_late(store: tuple[Path, str]) -> None:
    data_dir, _state = store
    station = open_station(data_dir, PASSWORD)
    try:
        first = entries(data_dir)[0]
        assert not first.late
        amend(station, "log_entry", first.id, "at", "2026-12-01T09:58", "the alarm went off earlier")
    finally:
        station.close()
    first = entries(data_dir)[0]
    assert first.late and "time amended after" in first.late_reason
