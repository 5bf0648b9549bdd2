"""Wrong passwords: free for 5 in a row, then an exponential delay; at most 100 an hour per
account; counted outside the store without names; the recovery key works during a lockout.
All driven by a fake clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from invigilator_app.domain.errors import WrongPassword
from invigilator_app.security.lockout import (
    FILE_NAME,
    AttemptLog,
    LockoutPolicy,
    Throttled,
)
from invigilator_app.services.access import open_station
from tests.helpers import PASSWORD, cli, init_store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WRONG = "this is not the password"


class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_five_wrong_attempts_are_free_then_the_delay_doubles(tmp_path: Path) -> None:
    clock = FakeClock()
    log = AttemptLog(tmp_path, "store-1", clock)
    for _ in range(4):
        log.failed("user:ann")
        assert log.retry_at("user:ann") is None
    log.failed("user:ann")  # the 5th
    delays = []
    for _ in range(6):
        until = log.retry_at("user:ann")
        assert until is not None
        delays.append(round((until - clock.now).total_seconds()))
        with pytest.raises(Throttled, match="try again in"):
            log.check("user:ann", "Ann")
        clock.now = until
        log.check("user:ann", "Ann")  # allowed again at that moment
        log.failed("user:ann")
    assert delays == [1, 2, 4, 8, 16, 32]
    assert log.retry_at("user:bob") is None, "per account"


def test_the_delay_is_capped(tmp_path: Path) -> None:
    clock = FakeClock()
    log = AttemptLog(tmp_path, "s", clock, LockoutPolicy(max_delay=60))
    for _ in range(20):
        clock.advance(3600)  # an hour apart, so only the delay counts
        log.failed("user:ann")
    until = log.retry_at("user:ann")
    assert until is not None and (until - clock.now).total_seconds() == 60


def test_at_most_100_wrong_attempts_an_hour_whatever_the_delays(tmp_path: Path) -> None:
    clock = FakeClock()
    log = AttemptLog(tmp_path, "s", clock, LockoutPolicy(free_attempts=10_000))
    for _ in range(100):
        log.check("user:ann", "Ann")
        log.failed("user:ann")
        clock.advance(30)  # 100 attempts in 50 minutes
    with pytest.raises(Throttled) as refused:
        log.check("user:ann", "Ann")
    assert refused.value.retry_at == T0 + timedelta(hours=1), "when the first of the 100 is an hour old"
    clock.now = T0 + timedelta(hours=1)
    log.check("user:ann", "Ann")


def test_success_clears_the_count_and_the_file_names_nobody(tmp_path: Path) -> None:
    clock = FakeClock()
    log = AttemptLog(tmp_path, "store-1", clock)
    for _ in range(7):
        log.failed("user:ann smith")
    text = (tmp_path / FILE_NAME).read_text(encoding="utf-8")
    assert "ann" not in text.lower() and "store-1" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME], "written atomically, no temp file left"
    log.succeeded("user:ann smith")
    assert log.retry_at("user:ann smith") is None
    assert json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))["accounts"] == {}


def test_an_unreadable_attempt_file_is_the_maximum_delay_not_a_fresh_start(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("{broken", encoding="utf-8")
    clock = FakeClock()
    log = AttemptLog(tmp_path, "s", clock)
    assert log.retry_at("user:ann") == T0 + timedelta(minutes=15)
    assert log.retry_at("recovery") is None, "the recovery key is not held back"
    log.failed("user:ann")
    assert json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))["format"] == 1
    clock.advance(15 * 60)
    assert log.retry_at("user:bob") is None, "the penalty runs from when it was found, once"


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "store"
    return data_dir, init_store(data_dir)


def test_unlock_is_throttled_even_with_the_right_password_and_recovery_still_works(store: tuple[Path, str]) -> None:
    data_dir, recovery_key = store
    clock = FakeClock()
    for _ in range(5):
        with pytest.raises(WrongPassword):
            open_station(data_dir, WRONG, user="Sam Coordinator", clock=clock)
    with pytest.raises(Throttled, match="recovery key still works"):
        open_station(data_dir, PASSWORD, user="Sam Coordinator", clock=clock)
    clock.advance(1)
    open_station(data_dir, PASSWORD, user="Sam Coordinator", clock=clock).close()  # and the count is cleared
    for _ in range(5):
        with pytest.raises(WrongPassword):
            open_station(data_dir, WRONG, user="Sam Coordinator", clock=clock)
    with pytest.raises(Throttled):
        open_station(data_dir, PASSWORD, user="Sam Coordinator", clock=clock)
    # During the lockout the recovery key still works, and it clears the coordinator's count.
    from invigilator_app.services.admin.accounts import recover

    assert recover(data_dir, recovery_key, "a new start after a lockout", clock=clock) == "Sam Coordinator"
    open_station(data_dir, "a new start after a lockout", user="Sam Coordinator", clock=clock).close()


def test_unlocks_without_a_user_name_are_throttled_too(store: tuple[Path, str]) -> None:
    data_dir, _ = store
    clock = FakeClock()
    for _ in range(5):
        with pytest.raises(WrongPassword):
            open_station(data_dir, WRONG, clock=clock)
    with pytest.raises(Throttled, match="any user"):
        open_station(data_dir, PASSWORD, clock=clock)


def test_the_command_line_says_when_to_try_again_exit_5(store: tuple[Path, str]) -> None:
    data_dir, _ = store
    for _ in range(5):
        assert cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin=WRONG + "\n").code == 5
    res = cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n")
    assert res.code == 5
    assert "Too many wrong passwords" in res.err and "Traceback" not in res.err
    assert PASSWORD not in res.err


def test_wrong_recovery_keys_are_throttled_on_their_own(store: tuple[Path, str]) -> None:
    data_dir, recovery_key = store
    clock = FakeClock()
    from invigilator_app.services.admin.accounts import recover

    for _ in range(5):
        with pytest.raises(WrongPassword, match="not the recovery key"):
            recover(data_dir, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", "whatever it may be now", clock=clock)
    with pytest.raises(Throttled):
        recover(data_dir, recovery_key, "a new start after a lockout", clock=clock)
    open_station(data_dir, PASSWORD, clock=clock).close()  # passwords are not throttled by recovery attempts


def test_a_read_only_data_folder_still_answers_wrong_password(
    store: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, _ = store

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError("read-only folder")

    monkeypatch.setattr("invigilator_app.security.lockout.write_atomically", refuse)
    res = cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin=WRONG + "\n")
    assert res.code == 5 and "Wrong password" in res.err
