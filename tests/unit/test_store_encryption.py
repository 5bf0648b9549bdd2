"""The store at rest: SQLCipher encryption of store.db and its WAL, the key slot file,
and the pragmas every connection sets."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.candidates import import_candidates_file
from invigilator_app.services.planning.plans import plan_session_file
from invigilator_app.services.station import Station
from invigilator_app.store.engine import connect
from tests.helpers import PASSWORD, init_store, plan, write_json

SURNAME = "Zyxwvutsentinel"
FIRST = "Qqjentinelfirst"
PIN = "PINSENTINEL4242"
SENTINELS = (SURNAME, FIRST, PIN)


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def assert_no_sentinel(data: bytes, where: str) -> None:
    for sentinel in SENTINELS:
        for needle in encodings(sentinel):
            assert needle not in data, f"{sentinel!r} ({needle[:6]!r}...) found in {where}"
            assert needle.lower() not in data.lower(), f"{sentinel!r} (any case) found in {where}"


def write_sentinels(station: Station, tmp_path: Path) -> None:
    csv_file = tmp_path / "sentinel.csv"
    csv_file.write_text(
        f"registration_number,first_name,last_name,date_of_birth\nR9000001,{FIRST},{SURNAME},2000-01-02\n",
        encoding="utf-8",
    )
    assert import_candidates_file(station, csv_file).added == 1
    data = plan(regs=("R9000001",))
    data["invigilator"]["imi_pin"] = PIN
    data["invigilator"]["name"] = "Sentinel Invigilator"
    plan_session_file(station, write_json(tmp_path / "plan.json", data))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    data_dir = tmp_path / "store"
    init_store(data_dir)
    return data_dir


@pytest.fixture
def data_key(store: Path) -> Iterator[bytearray]:
    key = SlotFile.load(store / "keyslots.json").open(user_owner("Sam Coordinator"), PASSWORD.encode())
    return key


def test_sentinels_are_not_in_the_database_or_its_wal_while_open(store: Path, tmp_path: Path) -> None:
    station = open_station(store, PASSWORD)
    try:
        write_sentinels(station, tmp_path)
        # The station is still open: its writes sit in the WAL, which must be encrypted too.
        wal = store / "store.db-wal"
        assert wal.exists() and wal.stat().st_size > 0, "expected a live WAL while the station is open"
        assert_no_sentinel(wal.read_bytes(), "store.db-wal")
        assert_no_sentinel((store / "store.db").read_bytes(), "store.db")
        for extra in store.glob("store.db-*"):
            assert_no_sentinel(extra.read_bytes(), extra.name)
        # ...and the data really is there when read through the key.
        from invigilator_app.services.admin.candidates import list_candidates
        from invigilator_app.services.console.sessions import list_sessions, session_detail

        assert [c.last_name for c in list_candidates(station, SURNAME)] == [SURNAME]
        assert session_detail(station, list_sessions(station)[0].id).invigilator_pin == PIN
    finally:
        station.close()


def test_sentinels_are_not_in_any_file_after_close(store: Path, tmp_path: Path) -> None:
    station = open_station(store, PASSWORD)
    try:
        write_sentinels(station, tmp_path)
    finally:
        station.close()
    files = [p for p in store.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"store.db", "keyslots.json"}
    for path in files:
        assert_no_sentinel(path.read_bytes(), str(path.relative_to(store)))


def test_plain_sqlite_cannot_read_the_store(store: Path) -> None:
    header = (store / "store.db").read_bytes()[:16]
    assert header != b"SQLite format 3\x00"
    with closing(sqlite3.connect(store / "store.db")) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT name FROM sqlite_master").fetchall()


def test_wrong_key_cannot_read_the_store(store: Path) -> None:
    from invigilator_app.domain.errors import StoreDamaged

    with pytest.raises(StoreDamaged):
        connect(store / "store.db", bytes(32))


def test_slot_file_holds_neither_the_key_nor_the_password(store: Path, data_key: bytearray, tmp_path: Path) -> None:
    station = open_station(store, PASSWORD)
    try:
        write_sentinels(station, tmp_path)
    finally:
        station.close()
    raw = (store / "keyslots.json").read_bytes()
    key = bytes(data_key)
    for needle in (
        key,
        key.hex().encode(),
        key.hex().upper().encode(),
        base64.b64encode(key),
        base64.urlsafe_b64encode(key),
        base64.b32encode(key),
    ):
        assert needle not in raw
    for needle in encodings(PASSWORD):
        assert needle not in raw
    assert_no_sentinel(raw, "keyslots.json")


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("journal_mode", "wal"), ("synchronous", 2), ("temp_store", 2), ("foreign_keys", 1)],
)
def test_every_raw_connection_sets_the_pragmas(store: Path, data_key: bytearray, pragma: str, expected: object) -> None:
    conn = connect(store / "store.db", data_key)
    try:
        assert conn.execute(f"PRAGMA {pragma}").fetchone()[0] == expected
    finally:
        conn.close()


def test_engine_connections_set_the_pragmas(store: Path) -> None:
    station = open_station(store, PASSWORD)
    try:
        engine = station.db.engine
        # A pooled connection, then a fresh one after the pool is emptied: both configured.
        for _ in range(2):
            with engine.connect() as conn:
                values = {
                    p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                    for p in ("journal_mode", "synchronous", "temp_store", "foreign_keys")
                }
                assert values == {"journal_mode": "wal", "synchronous": 2, "temp_store": 2, "foreign_keys": 1}
                assert str(conn.exec_driver_sql("PRAGMA cipher_version").scalar()).startswith("4.")
            engine.dispose()
    finally:
        station.close()


def test_the_raw_key_is_required_and_checked(store: Path) -> None:
    with pytest.raises(ValueError, match="must be 32 bytes"):
        connect(store / "store.db", b"short")
