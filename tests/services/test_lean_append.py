"""The log entry written straight through the driver (``store.lean``): the same record,
row for row and entry for entry, as the ORM would have written, or nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table

from invigilator_app.domain.errors import BadInput, NotFound, NotPermitted, VerificationFailed
from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.services.access import open_station
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.station import Station
from invigilator_app.services.trust.integrity import verify_store
from invigilator_app.store import rowhash
from invigilator_app.store.database import Database, StorePaths
from invigilator_app.store.engine import connect
from invigilator_app.store.models import Base
from tests.helpers import PASSWORD, cli, planned_session

REGS = ("R1000001", "R1000002", "R1000003")


@pytest.fixture
def planned(tmp_path: Path) -> tuple[Path, int]:
    return planned_session(tmp_path, start="09:30", regs=REGS)


@contextmanager
def _station(data_dir: Path, password: str = PASSWORD, user: str | None = None) -> Iterator[Station]:
    station = open_station(data_dir, password, user=user)
    try:
        yield station
    finally:
        station.close()


@contextmanager
def _raw(data_dir: Path) -> Iterator[Any]:  # the insider's own connection: their password, sqlcipher3, no app
    paths = StorePaths(data_dir)
    key = bytes(SlotFile.load(paths.slots).open(user_owner("Sam Coordinator"), PASSWORD.encode()))
    conn = connect(paths.db, key)
    try:
        yield conn
    finally:
        conn.close()


def _counts(data_dir: Path) -> list[int]:
    with _raw(data_dir) as conn:
        return [
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("log_entries", "log_entry_candidates", "audit_entries")
        ]


def test_an_entry_naming_candidates_is_in_the_chain_row_for_row_and_verifies(planned) -> None:
    data_dir, sid = planned
    with _station(data_dir) as station:
        plain = console.record_entry(station, sid, "other", note="  Room ready.  ")
        named = console.record_entry(
            station, sid, "it_issue", note="PC 4 froze", registration_numbers=["r1000002", "R1000003", "R1000002"]
        )
        assert named.id == plain.id + 1
        entries = {e.id: e for e in session_detail(station, sid).entries}
        assert entries[plain.id].note == "Room ready."
        assert "R1000002" in entries[named.id].candidates and "R1000003" in entries[named.id].candidates
        assert verify_store(station).startswith("OK:")
    with _raw(data_dir) as conn:
        table = Base.metadata.tables["log_entries"]
        columns = ", ".join(rowhash.shape(table).columns)
        for entry_id in (plain.id, named.id):
            row = conn.execute(f"SELECT {columns} FROM log_entries WHERE id = ?", (entry_id,)).fetchone()
            chained = conn.execute(
                "SELECT digest, signature FROM audit_entries WHERE entity = 'log_entries' AND entity_id = ?",
                (str(entry_id),),
            ).fetchall()
            assert [d for d, _ in chained] == [rowhash.raw_digest("log_entries", rowhash.raw_values(table, row))]
        links = conn.execute(
            "SELECT entity_id FROM audit_entries WHERE entity = 'log_entry_candidates' ORDER BY id"
        ).fetchall()
        assert len(links) == 2 and all(e.startswith(f"{named.id},") for (e,) in links)
        last = conn.execute("SELECT signature FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert last  # the write is signed by the user who made it


def test_an_entry_changed_afterwards_outside_the_app_fails_verification(planned) -> None:
    data_dir, sid = planned
    with _station(data_dir) as station:
        entry = console.record_entry(station, sid, "other", note="Candidate left the room at 10:05")
    with _raw(data_dir) as conn:
        conn.execute("UPDATE log_entries SET note = 'Nothing happened' WHERE id = ?", (entry.id,))
        conn.commit()
    with _station(data_dir) as station, pytest.raises(VerificationFailed, match="log_entries"):
        verify_store(station)


def test_a_refused_entry_writes_nothing(planned) -> None:
    data_dir, sid = planned
    before = _counts(data_dir)
    with _station(data_dir) as station:
        with pytest.raises(BadInput, match="Unknown registration number"):
            console.record_entry(station, sid, "it_issue", registration_numbers=["R1000001", "R9999999"])
        with pytest.raises(NotFound, match="no session 999"):
            console.record_entry(station, 999, "other", note="nowhere")
    assert _counts(data_dir) == before


def test_another_invigilators_session_is_refused_by_name(planned) -> None:
    data_dir, sid = planned
    before = _counts(data_dir)
    other = "rhian's own long passphrase"
    res = cli(
        "--data-dir", data_dir, "--password-stdin", "users", "add", "Rhian Evans", "--role", "invigilator",
        "--imi-pin", "IMI-PIN-5120", stdin=f"{PASSWORD}\n{other}\n",
    )  # fmt: skip
    assert res.code == 0, res.err
    with _station(data_dir, other, "Rhian Evans") as station, pytest.raises(NotPermitted, match="is assigned to"):
        console.record_entry(station, sid, "other", note="not mine")
    assert _counts(data_dir)[0] == before[0]


def test_writes_of_two_programs_interleave_and_the_chain_holds(planned) -> None:
    data_dir, sid = planned
    first = open_station(data_dir, PASSWORD)
    second = open_station(data_dir, PASSWORD)
    try:
        for n in range(3):
            console.record_entry(first, sid, "other", note=f"first {n}")
            console.record_entry(second, sid, "other", note=f"second {n}")
            console.check_identity(second, sid, REGS[n], method="photo_id", id_type="passport")  # an ORM write
        notes = [e.note for e in session_detail(first, sid).entries]
        assert sorted(n for n in notes if n.startswith(("first", "second"))) == [
            *(f"first {n}" for n in range(3)),
            *(f"second {n}" for n in range(3)),
        ]
        assert verify_store(first).startswith("OK:")
    finally:
        first.close()
        second.close()


def test_a_column_with_no_plain_default_must_be_given(planned) -> None:
    data_dir, _ = planned
    table = Table("made_up", MetaData(), Column("id", Integer, primary_key=True), Column("n", Integer, default=len))
    before = _counts(data_dir)
    with _station(data_dir) as station, pytest.raises(ValueError, match="made_up: give n"), station.lean_write() as tx:
        tx.insert(table, {})
    assert _counts(data_dir) == before


def test_a_writer_left_inside_a_transaction_is_never_used_again(planned) -> None:
    data_dir, sid = planned
    with _station(data_dir) as station:
        with station.db.writer() as (conn, _):
            conn.execute("BEGIN IMMEDIATE")  # as if its ROLLBACK had failed: it holds the write lock
            abandoned = conn
        with station.db.writer() as (conn, _):
            assert conn is not abandoned
        station.busy_ms = 200
        entry = console.record_entry(station, sid, "other", note="the store is not left locked")
        assert entry.id in {e.id for e in session_detail(station, sid).entries}


def test_a_read_only_store_has_no_writer(planned) -> None:
    data_dir, _ = planned
    paths = StorePaths(data_dir)
    key = bytes(SlotFile.load(paths.slots).open(user_owner("Sam Coordinator"), PASSWORD.encode()))
    db = Database.open(paths, key, read_only=True)
    try:
        with pytest.raises(NotPermitted, match="read-only"), db.writer():
            pass
    finally:
        db.close()
    with pytest.raises(NotPermitted, match="locked"), db.writer():
        pass
