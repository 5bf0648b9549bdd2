"""The throttle cannot be thrown away by deleting or replacing its file.

The attack: deleting ``unlock-attempts.json`` (or putting a folder of that name in its
place) after a few wrong passwords allowed unlimited guesses at about one a second."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from invigilator_app.domain.errors import WrongPassword
from invigilator_app.security.lockout import FILE_NAME, Throttled
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.accounts import recover
from invigilator_app.store.models import Meta
from tests.helpers import PASSWORD, cli, init_store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WRONG = "this is not the password"
USER = "Sam Coordinator"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def guess(data_dir: Path, clock: Clock, times: int) -> None:
    for _ in range(times):
        with pytest.raises(WrongPassword):
            open_station(data_dir, WRONG, user=USER, clock=clock)


def tamper(path: Path, how: str) -> None:
    path.unlink()
    if how == "folder":
        path.mkdir()
        (path / "x").write_text("in the way", encoding="utf-8")
    elif how == "garbage":
        path.write_bytes(b"\x00\xffnot json at all")


def notes(data_dir: Path, clock: Clock) -> list[str]:
    station = open_station(data_dir, PASSWORD, user=USER, clock=clock)
    try:
        with station.read() as session:
            return [m.value for m in session.scalars(select(Meta).where(Meta.key.like("security_event:%")))]
    finally:
        station.close()


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "store"
    return data_dir, init_store(data_dir)


@pytest.mark.parametrize("how", ["deleted", "folder", "garbage"])
def test_a_deleted_or_replaced_attempt_file_means_the_maximum_delay_and_is_noted(store, how: str) -> None:
    data_dir, _recovery = store
    clock = Clock()
    guess(data_dir, clock, 5)
    with pytest.raises(Throttled):
        open_station(data_dir, PASSWORD, user=USER, clock=clock)
    tamper(data_dir / FILE_NAME, how)
    clock.now += timedelta(seconds=5)  # the 1-second delay has long passed
    with pytest.raises(Throttled, match="tampered with") as refused:
        open_station(data_dir, PASSWORD, user=USER, clock=clock)
    assert refused.value.retry_at == clock.now + timedelta(minutes=15)
    res = cli("--data-dir", data_dir, "--user", USER, "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n")
    assert res.code == 5 and "tampered with" in res.err and "Traceback" not in res.err
    assert (data_dir / FILE_NAME).is_file(), "the state is written again (a folder is moved aside)"
    clock.now += timedelta(minutes=15)
    assert len(notes(data_dir, clock)) == 1, "the next unlock notes it in the audit trail"
    assert notes(data_dir, clock) == notes(data_dir, clock), "once"
    note = notes(data_dir, clock)[0]
    assert FILE_NAME in note and ("missing" in note or "folder" in note or "unreadable" in note)


def test_the_recovery_key_still_works_and_ends_the_penalty(store) -> None:
    data_dir, recovery_key = store
    clock = Clock()
    guess(data_dir, clock, 1)
    (data_dir / FILE_NAME).unlink()
    with pytest.raises(Throttled):
        open_station(data_dir, PASSWORD, user=USER, clock=clock)
    assert recover(data_dir, recovery_key, "plum kettles argue at the harbour", clock=clock) == USER
    open_station(data_dir, "plum kettles argue at the harbour", user=USER, clock=clock).close()


def test_a_fresh_store_without_any_attempt_file_is_not_held_back(store) -> None:
    data_dir, _recovery = store
    assert not (data_dir / FILE_NAME).exists()
    open_station(data_dir, PASSWORD, user=USER, clock=Clock()).close()


def test_with_a_secure_credential_store_the_counts_survive_the_file(store, memory_keyring, tmp_path: Path) -> None:
    data_dir = tmp_path / "secured"
    init_store(data_dir)
    clock = Clock()
    for _ in range(8):
        clock.now += timedelta(minutes=1)
        guess(data_dir, clock, 1)
    last = clock.now  # 8 in a row: the next waits 8 s
    (data_dir / FILE_NAME).unlink()
    (data_dir / "keyslots.json").write_text(
        (data_dir / "keyslots.json").read_text(encoding="utf-8").replace('"unlock_attempts_kept": true', '"x": 1'),
        encoding="utf-8",
    )  # even with the marker removed too
    clock.now += timedelta(seconds=2)
    with pytest.raises(Throttled, match="Too many wrong passwords") as refused:
        open_station(data_dir, PASSWORD, user=USER, clock=clock)
    assert refused.value.retry_at == last + timedelta(seconds=8)


def test_the_key_slots_record_that_the_file_exists(store) -> None:
    data_dir, _ = store
    guess(data_dir, Clock(), 1)
    assert '"unlock_attempts_kept": true' in (data_dir / "keyslots.json").read_text(encoding="utf-8")
    shutil.rmtree(data_dir / "backups", ignore_errors=True)
