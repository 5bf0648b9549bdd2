"""Revocation that revokes: disabling a user (or an inspector's expiry) rotates the data key,
so their old key slot, kept aside before, no longer opens the store. Written as the attack:
the old slot file put back, its data key used with sqlcipher3 directly."""

from __future__ import annotations

import secrets
import shutil
import signal
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlcipher3
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from invigilator_app.domain.errors import StoreDamaged, WrongPassword
from invigilator_app.security import keyslots, slot_integrity, station_secret
from invigilator_app.security.keyslots import RECOVERY_OWNER, SlotFile, user_owner
from invigilator_app.services import key_rotation
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.accounts import add_user, disable_user, recover
from invigilator_app.store.models import Meta
from tests.helpers import PASSWORD, cli, init_store

ALEX = "alex invigilates on mondays"
BO = "bo has a password too"
IVY = "monitoring visit tuesday"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("rotation") / "store"
    recovery_key = init_store(data_dir)
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        add_user(station, "Alex Patel", "invigilator", ALEX, imi_pin="IMI-PIN-7731")
        add_user(station, "Bo Other", "invigilator", BO, imi_pin="IMI-PIN-0002")
        add_user(station, "Ivy Inspector", "inspector", IVY, expires=date(2099, 1, 1))
    finally:
        station.close()
    return data_dir, recovery_key


@pytest.fixture
def store(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "store"
    shutil.copytree(template[0], data_dir)
    return data_dir, template[1]


def _raw_key(slot_file: Path, owner: str, password: str) -> bytearray:
    slots = SlotFile.load(slot_file)
    found = station_secret.lookup(slots.store_id)
    return slots.open(owner, password.encode(), station_secret=found.secret)


def _raw_opens(db: Path, key: bytes | bytearray) -> bool:
    conn = sqlcipher3.connect(str(db))
    try:
        conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _everyone_opens(data_dir: Path, recovery_key: str, *, without: str = "Alex Patel") -> None:
    for name, password in [("Sam Coordinator", PASSWORD), ("Bo Other", BO), ("Ivy Inspector", IVY)]:
        if name != without:
            open_station(data_dir, password, user=name).close()
    slots = SlotFile.load(data_dir / "keyslots.json")
    key = slots.open(RECOVERY_OWNER, recovery_key.replace("-", "").replace(" ", "").upper().encode())
    assert _raw_opens(data_dir / "store.db", key)


def _verify(data_dir: Path) -> None:
    res = cli("--data-dir", data_dir, "--password-stdin", "verify", "--audit", stdin=PASSWORD + "\n")
    assert res.code == 0, res.out + res.err


def test_an_old_slot_copy_of_a_disabled_user_no_longer_opens_the_store(store: tuple[Path, str], tmp_path: Path) -> None:
    data_dir, recovery_key = store
    kept = tmp_path / "keyslots-kept.json"
    shutil.copy(data_dir / "keyslots.json", kept)  # what Alex saves before being disabled
    old_key = _raw_key(kept, user_owner("Alex Patel"), ALEX)
    assert _raw_opens(data_dir / "store.db", old_key)

    res = cli("--data-dir", data_dir, "--password-stdin", "users", "disable", "Alex Patel", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    assert "data key was changed" in res.err

    # Alex's own attack: the data key from the old slot, with sqlcipher3 directly.
    assert not _raw_opens(data_dir / "store.db", old_key)
    # ...and the old slot file put back in place.
    current = (data_dir / "keyslots.json").read_bytes()
    shutil.copy(kept, data_dir / "keyslots.json")
    res = cli(
        "--data-dir", data_dir, "--user", "Alex Patel", "--password-stdin", "verify", "--audit", stdin=ALEX + "\n"
    )
    assert res.code in (4, 5), res.out + res.err
    assert "no longer opens" in res.err or "older than the store" in res.err
    with pytest.raises((StoreDamaged, WrongPassword)):
        open_station(data_dir, ALEX, user="Alex Patel")
    (data_dir / "keyslots.json").write_bytes(current)

    _everyone_opens(data_dir, recovery_key)
    _verify(data_dir)


def test_an_inspectors_expiry_rotates_the_key_at_the_next_coordinator_unlock(store: tuple[Path, str]) -> None:
    data_dir, recovery_key = store
    old_key = _raw_key(data_dir / "keyslots.json", user_owner("Ivy Inspector"), IVY)
    later = datetime(2099, 1, 2, 12, tzinfo=UTC)
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator", clock=lambda: later)
    station.close()
    assert user_owner("Ivy Inspector") not in SlotFile.load(data_dir / "keyslots.json").slots
    assert not _raw_opens(data_dir / "store.db", old_key)
    _everyone_opens(data_dir, recovery_key, without="Ivy Inspector")


def test_old_style_slots_are_named_and_coordinators_and_recovery_keep_working(store: tuple[Path, str]) -> None:
    data_dir, recovery_key = store
    slots = SlotFile.load(data_dir / "keyslots.json")
    key = _raw_key(data_dir / "keyslots.json", user_owner("Sam Coordinator"), PASSWORD)
    # Bo's slot as an older version wrote it: the data key wrapped under the password itself.
    salt, nonce, cost = secrets.token_bytes(16), secrets.token_bytes(12), keyslots.current_cost()
    owner = user_owner("Bo Other")
    kek = keyslots.derive(BO.encode(), salt, cost)
    old_slot = {
        "owner": owner,
        "kdf": {"name": "argon2id", "salt": keyslots._b64(salt), **asdict(cost)},
        "nonce": keyslots._b64(nonce),
        "wrapped_key": keyslots._b64(AESGCM(kek).encrypt(nonce, bytes(key), slots._aad(owner))),
    }
    slot_integrity.seal(old_slot, slots.store_id, key)
    slots.slots[owner] = old_slot
    slots.save()

    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        message = disable_user(station, "Alex Patel")
    finally:
        station.close()
    assert "Bo Other cannot unlock until a coordinator sets their password again" in message
    with pytest.raises(WrongPassword):
        open_station(data_dir, BO, user="Bo Other")
    _everyone_opens(data_dir, recovery_key, without="Bo Other")
    open_station(data_dir, IVY, user="Ivy Inspector").close()
    assert recover(data_dir, recovery_key, "sam's brand new passphrase") == "Sam Coordinator"


DISABLE_ALEX = ["--user", "Sam Coordinator", "--password-stdin", "users", "disable", "Alex Patel", "--data-dir"]
STEPS = ["write", "rekey", "rename", "reopen", "record"]


@pytest.mark.parametrize("step", STEPS)
def test_a_failure_at_every_step_leaves_the_store_open_to_every_remaining_password(
    store: tuple[Path, str], tmp_path: Path, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, recovery_key = store
    kept = tmp_path / "keyslots-kept.json"
    shutil.copy(data_dir / "keyslots.json", kept)
    old_key = _raw_key(kept, user_owner("Alex Patel"), ALEX)

    def fail(reached: str) -> None:
        if reached == step:
            raise OSError(f"injected failure at {step}")

    monkeypatch.setattr(key_rotation, "_reached", fail)
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        with pytest.raises(OSError, match="injected"):
            disable_user(station, "Alex Patel")
    finally:
        station.close()
    monkeypatch.undo()
    _everyone_opens(data_dir, recovery_key)  # the first unlock completes a rotation still due
    assert not (data_dir / key_rotation.PENDING_NAME).exists()
    assert not _raw_opens(data_dir / "store.db", old_key)
    with pytest.raises(WrongPassword):
        open_station(data_dir, ALEX, user="Alex Patel")
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        with station.read() as session:
            assert session.get(Meta, key_rotation.DUE_KEY) is None
    finally:
        station.close()
    _verify(data_dir)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
@pytest.mark.parametrize("step", ["rekey", "rename", "reopen"])
def test_killed_at_a_step_of_the_rotation(store: tuple[Path, str], tmp_path: Path, step: str) -> None:
    data_dir, recovery_key = store
    old_key = _raw_key(data_dir / "keyslots.json", user_owner("Alex Patel"), ALEX)
    child = subprocess.run(
        [sys.executable, "-m", "tests.security.rotation_child", step, *DISABLE_ALEX, str(data_dir)],
        cwd=Path(__file__).resolve().parents[2],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    if step != "rekey":
        assert (data_dir / key_rotation.PENDING_NAME).exists() == (step == "rename")
    # Every remaining password opens the store; the first coordinator unlock finishes the rotation.
    open_station(data_dir, BO, user="Bo Other").close()
    _everyone_opens(data_dir, recovery_key)
    assert not (data_dir / key_rotation.PENDING_NAME).exists()
    assert not _raw_opens(data_dir / "store.db", old_key)
    with pytest.raises((WrongPassword, StoreDamaged)):
        open_station(data_dir, ALEX, user="Alex Patel")
    _verify(data_dir)
