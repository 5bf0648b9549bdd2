"""Closed and signed-off records are not edited: a correction is an amendment with a reason,
kept beside the original, in the audit chain, and shown on the record."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.accounts import add_user
from invigilator_app.services.console import recording as console
from invigilator_app.services.review.amendments import amend, list_amendments
from invigilator_app.services.review.records import build_record
from invigilator_app.services.station import Station
from invigilator_app.services.trust.integrity import verify_store
from invigilator_app.store.models import Allocation, Amendment, IdentityCheck, LogEntry
from invigilator_app.store.models import Session as SessionRow
from tests.helpers import PASSWORD, cli, plan, seeded, write_json

ALEX_PASSWORD = "alex invigilates on mondays"
OTHER_PASSWORD = "another invigilator entirely"


class Fixed:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    base = tmp_path_factory.mktemp("amend")
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
    assert res.code == 0, res.err
    session_id = int(res.out)
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        add_user(station, "Alex Patel", "invigilator", ALEX_PASSWORD, imi_pin="IMI-PIN-7731")
        add_user(station, "Bo Other", "invigilator", OTHER_PASSWORD, imi_pin="IMI-PIN-0002")
        console.record_entry(
            station, session_id, "fire_alarm", note="Alarm at 10:05, room evacuated", registration_numbers=["R1000001"]
        )
        console.check_identity(station, session_id, "R1000001", method="photo_id", id_type="passport")
        close(station, session_id)
    finally:
        station.close()
    return data_dir, session_id


def close(station: Station, session_id: int, state: str = "closed") -> None:
    with station.write() as session:
        row = session.get(SessionRow, session_id)
        assert row is not None
        row.state = state


@pytest.fixture
def closed(template: tuple[Path, int], tmp_path: Path) -> tuple[Path, int]:
    target = tmp_path / "store"
    shutil.copytree(template[0], target)
    return target, template[1]


def ids(station: Station, session_id: int) -> tuple[int, int, int]:
    with station.read() as session:
        entry = session.scalars(select(LogEntry).where(LogEntry.session_id == session_id)).first()
        alloc = session.scalars(
            select(Allocation).where(Allocation.session_id == session_id).order_by(Allocation.id)
        ).first()
        check = session.scalars(select(IdentityCheck)).first()
        assert entry and alloc and check
        return entry.id, alloc.id, check.id


@pytest.mark.parametrize("state", ["closed", "signed_off"])
def test_direct_edits_of_a_closed_or_signed_off_record_are_refused(closed: tuple[Path, int], state: str) -> None:
    data_dir, sid = closed
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        close(station, sid, state)
        entry_id, alloc_id, check_id = ids(station, sid)
        with pytest.raises(NotPermitted, match="amendment"):
            console.mark_absent(station, sid, "R1000002")
        with pytest.raises(NotPermitted, match="amendment"):
            console.check_identity(station, sid, "R1000002", method="photo_id", id_type="passport")
        for model, row_id in ((LogEntry, entry_id), (Allocation, alloc_id), (IdentityCheck, check_id)):
            with pytest.raises(NotPermitted, match="cannot be edited"), station.write() as session:
                session.delete(session.get(model, row_id))
        with pytest.raises(NotPermitted), station.write() as session:
            session.get(LogEntry, entry_id).note = "quietly rewritten"
        with station.read() as session:
            assert session.get(LogEntry, entry_id).note == "Alarm at 10:05, room evacuated"
        # What stays possible: a late entry (a new row) with its reason.
        console.record_entry(station, sid, "other", note="Found a note", late_reason="remembered afterwards")
    finally:
        station.close()


def test_an_amendment_keeps_the_original_beside_the_correction_and_shows_on_the_record(
    closed: tuple[Path, int],
) -> None:
    data_dir, sid = closed
    clock = Fixed()
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator", clock=clock)
    try:
        entry_id, alloc_id, check_id = ids(station, sid)
        made = amend(
            station, "log_entry", entry_id, "note", "Alarm at 10:07, room evacuated", "time misread on the log"
        )
        assert made.original == "Alarm at 10:05, room evacuated"
        amend(station, "identity_check", check_id, "id_type", "driving licence", "wrong document type ticked")
        amend(station, "allocation", alloc_id, "outcome", "absent", "candidate never arrived")
        with station.read() as session:
            assert session.get(LogEntry, entry_id).note == "Alarm at 10:07, room evacuated"
            kept = session.scalars(select(Amendment).order_by(Amendment.id)).all()
            assert [(a.entity, a.field, a.original, a.amended) for a in kept] == [
                ("log_entry", "note", "Alarm at 10:05, room evacuated", "Alarm at 10:07, room evacuated"),
                ("identity_check", "id_type", "passport", "driving licence"),
                ("allocation", "outcome", "identity_checked", "absent"),
            ]
        record = build_record(station, sid)
        entry = next(e for e in record.entries if e.type == "fire_alarm")
        assert entry.note == "Alarm at 10:07, room evacuated"
        assert entry.amendments == [
            "note: Alarm at 10:05, room evacuated → Alarm at 10:07, room evacuated "
            "(time misread on the log, Sam Coordinator, Tue 1 Dec 2026 12:00)"
        ]
        others = [e for e in record.entries if e.type == "amendment"]
        assert [e.amendments[0].split(" (")[0] for e in others] == [
            "id_type: passport → driving licence",
            "outcome: identity_checked → absent",
        ]
        assert all(e.candidates for e in others)
        assert len(list_amendments(station, sid)) == 3
        assert verify_store(station).startswith("OK"), "amendments are chained in the audit trail"
    finally:
        station.close()


def test_amendments_are_refused_while_the_session_is_open_and_for_nonsense(closed: tuple[Path, int]) -> None:
    data_dir, sid = closed
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        entry_id, alloc_id, _ = ids(station, sid)
        with pytest.raises(BadInput, match="needs a reason"):
            amend(station, "log_entry", entry_id, "note", "x", "   ")
        with pytest.raises(BadInput, match="cannot be amended"):
            amend(station, "log_entry", entry_id, "recorded_by_id", "1", "because")
        with pytest.raises(BadInput, match="cannot be amended"):
            amend(station, "candidate", 1, "first_name", "x", "because")
        with pytest.raises(BadInput, match="not one of"):
            amend(station, "allocation", alloc_id, "result", "excellent", "because")
        with pytest.raises(BadInput, match="not a time"):
            amend(station, "log_entry", entry_id, "at", "ten past", "because")
        with pytest.raises(BadInput, match="nothing to amend"):
            amend(station, "log_entry", entry_id, "note", "Alarm at 10:05, room evacuated", "because")
        close(station, sid, "running")
        with pytest.raises(BadInput, match="change it directly"):
            amend(station, "log_entry", entry_id, "note", "other", "because")
    finally:
        station.close()


def test_who_may_amend(closed: tuple[Path, int], tmp_path: Path) -> None:
    data_dir, sid = closed
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        entry_id, _, _ = ids(station, sid)
        add_user(
            station, "Ivy Inspector", "inspector", "inspecting the records today", expires=datetime(2099, 1, 1).date()
        )
    finally:
        station.close()
    other = open_station(data_dir, OTHER_PASSWORD, user="Bo Other")
    try:
        with pytest.raises(NotPermitted, match="assigned to Alex Patel"):
            amend(other, "log_entry", entry_id, "note", "changed", "because")
    finally:
        other.close()
    inspector = open_station(data_dir, "inspecting the records today", user="Ivy Inspector")
    try:
        with pytest.raises(NotPermitted):
            amend(inspector, "log_entry", entry_id, "note", "changed", "because")
    finally:
        inspector.close()
    alex = open_station(data_dir, ALEX_PASSWORD, user="Alex Patel")
    try:
        assert amend(alex, "log_entry", entry_id, "note", "changed by its invigilator", "typo").by == "Alex Patel"
    finally:
        alex.close()
