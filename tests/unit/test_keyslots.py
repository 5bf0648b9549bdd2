"""Key slots: Argon2id + AES-GCM wrapping of the data key, the recovery key, atomic saves."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from invigilator_app.domain.errors import StoreDamaged, WrongPassword
from invigilator_app.security import keyslots, recovery
from invigilator_app.security.keyslots import (
    PRODUCTION_COST,
    RECOVERY_OWNER,
    TEST_COST,
    SlotFile,
    current_cost,
    new_data_key,
    user_owner,
)
from invigilator_app.services.access import open_station
from tests.helpers import PASSWORD, cli
from tests.kdf import REAL_POLICY

COORDINATOR = user_owner("Sam Coordinator")
RECOVERY_FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4})+$")


def init(data_dir: Path) -> str:
    res = cli(
        "--data-dir",
        data_dir,
        "init",
        "--centre-name",
        "Northgate Training Centre",
        "--centre-number",
        "IMI-40213",
        "--coordinator",
        "Sam Coordinator",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    assert "Traceback" not in res.err
    return res.out


def test_recovery_key_is_printed_alone_on_stdout_and_has_at_least_128_bits(tmp_path: Path) -> None:
    out = init(tmp_path / "store")
    assert out.endswith("\n") and out.count("\n") == 1, "stdout holds only the recovery key"
    key = out.strip()
    assert RECOVERY_FORMAT.match(key), key
    symbols = key.replace("-", "")
    assert len(symbols) * 5 >= 128
    assert len(symbols) == recovery.RECOVERY_BITS // 5 == 32


def test_recovery_key_unlocks_the_same_data_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    key = init(data_dir).strip()
    slots = SlotFile.load(data_dir / "keyslots.json")
    assert set(slots.owners()) == {COORDINATOR, RECOVERY_OWNER}
    by_password = slots.open(COORDINATOR, PASSWORD.encode())
    by_recovery = slots.open(RECOVERY_OWNER, recovery.normalise(key))
    assert len(by_password) == 32
    assert by_recovery == by_password
    # Typed sloppily (lower case, spaces, O for 0, I/L for 1): still the same secret.
    sloppy = key.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert slots.open(RECOVERY_OWNER, recovery.normalise(sloppy)) == by_password


def test_recovery_keys_are_random() -> None:
    keys = {recovery.new_recovery_key() for _ in range(50)}
    assert len(keys) == 50
    assert all(RECOVERY_FORMAT.match(k) for k in keys)


def test_wrong_secret_and_unknown_owner_raise_wrong_password(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    init(data_dir)
    slots = SlotFile.load(data_dir / "keyslots.json")
    with pytest.raises(WrongPassword):
        slots.open(COORDINATOR, b"not the password at all")
    with pytest.raises(WrongPassword):
        slots.open(user_owner("Nobody"), PASSWORD.encode())
    with pytest.raises(WrongPassword):
        slots.open(RECOVERY_OWNER, PASSWORD.encode())


def test_a_slot_is_bound_to_its_store_and_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "keyslots.json"
    key = new_data_key()
    slots = SlotFile.create(path, "store-a")
    slots.put(user_owner("Ann"), b"ann's password!!", key)
    slots.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    # Moved to another store id: refused.
    moved = dict(data, store_id="store-b")
    path.write_text(json.dumps(moved), encoding="utf-8")
    with pytest.raises(WrongPassword):
        SlotFile.load(path).open(user_owner("Ann"), b"ann's password!!")
    # Renamed to another owner: refused (its own integrity check no longer fits: damage).
    renamed = dict(data, slots=[dict(data["slots"][0], owner=user_owner("Bob"))])
    path.write_text(json.dumps(renamed), encoding="utf-8")
    with pytest.raises(StoreDamaged):
        SlotFile.load(path).open(user_owner("Bob"), b"ann's password!!")


def test_slot_records_argon2id_and_the_cost(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    init(data_dir)
    data = json.loads((data_dir / "keyslots.json").read_text(encoding="utf-8"))
    assert data["format"] == 1
    for slot in data["slots"]:
        assert slot["kdf"]["name"] == "argon2id"
        assert slot["kdf"]["memory_kib"] == TEST_COST.memory_kib  # tests/kdf.py patches the cost
    salts = {s["kdf"]["salt"] for s in data["slots"]}
    assert len(salts) == len(data["slots"]), "each slot has its own salt"


def test_production_cost_is_not_weakened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyslots, "kdf_policy", REAL_POLICY)
    assert current_cost() == PRODUCTION_COST
    assert PRODUCTION_COST.memory_kib >= 19 * 1024 and PRODUCTION_COST.time_cost >= 2


def test_changing_a_password_rewrites_only_the_slot(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    init(data_dir)
    db_before = (data_dir / "store.db").read_bytes()
    slots = SlotFile.load(data_dir / "keyslots.json")
    key = slots.open(COORDINATOR, PASSWORD.encode())
    recovery_slot = dict(slots.slots[RECOVERY_OWNER])
    new_password = "a brand new passphrase 99"
    slots.put(COORDINATOR, new_password.encode(), key)
    slots.save()
    assert (data_dir / "store.db").read_bytes() == db_before
    assert not list(data_dir.glob("store.db-*"))
    reloaded = SlotFile.load(data_dir / "keyslots.json")
    assert reloaded.slots[RECOVERY_OWNER] == recovery_slot
    assert reloaded.open(COORDINATOR, new_password.encode()) == key
    with pytest.raises(WrongPassword):
        reloaded.open(COORDINATOR, PASSWORD.encode())
    # The store opens with the new password and not with the old one.
    open_station(data_dir, new_password).close()
    res = cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n")
    assert res.code == 5 and "Traceback" not in res.err


def test_slot_file_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "store"
    init(data_dir)
    assert sorted(p.name for p in data_dir.iterdir()) == ["centre.pem", "keyslots.json", "store.db"]
    before = (data_dir / "keyslots.json").read_bytes()
    slots = SlotFile.load(data_dir / "keyslots.json")
    slots.put(user_owner("Extra"), b"another password", slots.open(COORDINATOR, PASSWORD.encode()))

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("invigilator_app.security.keyslots.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        slots.save()
    assert (data_dir / "keyslots.json").read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["centre.pem", "keyslots.json", "store.db"], (
        "no temp file left"
    )


def test_damaged_slot_file_is_store_damaged_and_untouched(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    init(data_dir)
    path = data_dir / "keyslots.json"
    path.write_bytes(path.read_bytes()[:100])
    before = path.read_bytes()
    with pytest.raises(StoreDamaged):
        SlotFile.load(path)
    assert path.read_bytes() == before
