"""The station secret: mixed into every password slot where a secure OS credential store
exists; password-only slots where none does; never lost data when the store changed or
vanished (the recovery key still opens, nothing is deleted or re-created)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from invigilator_app.domain.errors import WrongPassword
from invigilator_app.security import station_secret
from invigilator_app.security.keyslots import (
    RECOVERY_OWNER,
    SlotFile,
    StationSecretNeeded,
    user_owner,
)
from invigilator_app.services.access import credential_store_note, open_station
from tests.helpers import PASSWORD, cli, init_store
from tests.security.conftest import BrokenKeyring, MemoryKeyring, PlaintextKeyring

COORDINATOR = user_owner("Sam Coordinator")
NEW_PASSWORD = "a fresh start for the coordinator"


def files(data_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


def slot(data_dir: Path, owner: str = COORDINATOR) -> dict[str, object]:
    data = json.loads((data_dir / "keyslots.json").read_text(encoding="utf-8"))
    return next(s for s in data["slots"] if s["owner"] == owner)


def store_id(data_dir: Path) -> str:
    return SlotFile.load(data_dir / "keyslots.json").store_id


def recover(data_dir: Path, key: str, password: str = NEW_PASSWORD) -> object:
    return cli("--data-dir", data_dir, "recovery", stdin=f"{key}\n{password}\n")


def test_with_a_secure_credential_store_the_password_slot_needs_the_station_secret(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    data_dir = tmp_path / "store"
    init_store(data_dir)
    sid = store_id(data_dir)
    assert list(memory_keyring.values) == [(station_secret.SERVICE, sid)], "service invigilator-app, user = store id"
    secret = base64.b64decode(memory_keyring.values[(station_secret.SERVICE, sid)])
    assert len(secret) == 32
    assert slot(data_dir)["station_secret"] is True
    assert "station_secret" not in slot(data_dir, RECOVERY_OWNER), "the recovery slot works without it"
    # The secret is kept only in the credential store: not in the slot file, the store or anywhere else here.
    for name, data in files(data_dir).items():
        assert secret not in data and memory_keyring.values[(station_secret.SERVICE, sid)].encode() not in data, name
    # The copied slot file with the right password is not enough: offline, the slot needs the secret.
    slots = SlotFile.load(data_dir / "keyslots.json")
    with pytest.raises(StationSecretNeeded):
        slots.open(COORDINATOR, PASSWORD.encode())
    with pytest.raises(StationSecretNeeded):
        slots.open(COORDINATOR, PASSWORD.encode(), station_secret=bytes(32))
    assert len(slots.open(COORDINATOR, PASSWORD.encode(), station_secret=secret)) == 32
    open_station(data_dir, PASSWORD).close()
    assert "station secret" in credential_store_note(data_dir)


def test_without_a_secure_credential_store_slots_take_the_password_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"  # conftest: the null backend
    init_store(data_dir)
    assert "station_secret" not in slot(data_dir)
    assert "No secure OS credential store" in credential_store_note(data_dir)
    res = cli(
        "--data-dir",
        tmp_path / "other",
        "init",
        "--centre-name",
        "C",
        "--centre-number",
        "N",
        "--coordinator",
        "Sam Coordinator",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert "No secure OS credential store" in res.err, "init says so"
    open_station(data_dir, PASSWORD).close()


@pytest.mark.parametrize("backend", [BrokenKeyring, PlaintextKeyring], ids=["broken", "plaintext-keyrings-alt"])
def test_a_broken_or_plaintext_keyring_gives_password_only_slots_and_is_never_written(
    tmp_path: Path, use_keyring, backend: type[MemoryKeyring]
) -> None:
    fake = use_keyring(backend())
    data_dir = tmp_path / "store"
    init_store(data_dir)
    assert "station_secret" not in slot(data_dir)
    assert fake.values == {}, "no secret written to an insecure or failing store"
    if backend is PlaintextKeyring:
        assert fake.writes == 0
    open_station(data_dir, PASSWORD).close()
    assert "password alone" in credential_store_note(data_dir) or "No secure" in credential_store_note(data_dir)


def test_old_slots_without_the_flag_keep_working_when_a_keyring_appears(tmp_path: Path, use_keyring) -> None:
    data_dir = tmp_path / "store"
    init_store(data_dir)  # null backend: password only
    fake = use_keyring(MemoryKeyring())
    open_station(data_dir, PASSWORD).close()
    assert fake.writes == 0, "unlocking never writes the credential store"
    assert "station_secret" not in slot(data_dir)


@pytest.mark.parametrize("how", ["vanished", "no-keyring", "broken", "replaced"])
def test_when_the_secret_is_gone_the_password_cannot_open_and_the_recovery_key_can(
    tmp_path: Path, use_keyring, how: str
) -> None:
    keyring_a = use_keyring(MemoryKeyring())
    data_dir = tmp_path / "store"
    recovery_key = init_store(data_dir)
    sid = store_id(data_dir)
    if how == "vanished":
        del keyring_a.values[(station_secret.SERVICE, sid)]
    elif how == "no-keyring":
        use_keyring(PlaintextKeyring())
    elif how == "broken":
        use_keyring(BrokenKeyring())
    else:  # another secret under the same name (the entry was re-created by something else)
        keyring_a.values[(station_secret.SERVICE, sid)] = base64.b64encode(b"x" * 32).decode()
    before = files(data_dir)
    res = cli(
        "--data-dir",
        data_dir,
        "--user",
        "Sam Coordinator",
        "--password-stdin",
        "sessions",
        "list",
        stdin=PASSWORD + "\n",
    )
    assert res.code == 5
    assert "cannot open the store on this PC" in res.err
    assert "recovery key" in res.err and "invigilator-app recovery" in res.err
    assert "Nothing has been deleted" in res.err
    assert "Traceback" not in res.err
    assert files(data_dir) == before, "nothing deleted, re-created or counted as a wrong password"
    with pytest.raises(WrongPassword, match="recovery key"):
        open_station(data_dir, PASSWORD)  # without --user the message says the same
    # The recovery path works without the credential store and sets a new password.
    res = recover(data_dir, recovery_key)
    assert res.code == 0, res.err
    open_station(data_dir, NEW_PASSWORD).close()
    assert (data_dir / "store.db").exists()


def test_moving_to_a_new_pc_uses_the_recovery_key_and_binds_the_new_password_there(tmp_path: Path, use_keyring) -> None:
    use_keyring(MemoryKeyring())
    old_pc = tmp_path / "old-pc"
    recovery_key = init_store(old_pc)
    new_pc_keyring = use_keyring(MemoryKeyring())
    new_pc = tmp_path / "new-pc"
    new_pc.mkdir()
    for name in ("store.db", "keyslots.json"):
        (new_pc / name).write_bytes((old_pc / name).read_bytes())
    with pytest.raises(StationSecretNeeded):
        open_station(new_pc, PASSWORD, user="Sam Coordinator")
    assert new_pc_keyring.values == {}, "a failed unlock never writes the credential store"
    assert recover(new_pc, recovery_key).code == 0
    assert list(new_pc_keyring.values) == [(station_secret.SERVICE, store_id(new_pc))]
    assert slot(new_pc)["station_secret"] is True
    open_station(new_pc, NEW_PASSWORD, user="Sam Coordinator").close()


def test_an_unreadable_secret_is_never_overwritten(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    data_dir = tmp_path / "store"
    recovery_key = init_store(data_dir)
    name = (station_secret.SERVICE, store_id(data_dir))
    memory_keyring.values[name] = "not base64 at all!"
    assert recover(data_dir, recovery_key).code == 0
    assert memory_keyring.values[name] == "not base64 at all!", "an entry it cannot read is left alone"
    assert "station_secret" not in slot(data_dir), "the new slot takes the password alone"
    open_station(data_dir, NEW_PASSWORD).close()
