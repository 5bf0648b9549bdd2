"""Damaged key slots are reported as damage, not guessed to be a wrong password: edits of
keyslots.json that keep it valid JSON give exit 4 and are never counted towards the
lock-out; damage to another slot (the recovery slot included) is found at every unlock
and the coordinator told at once, with a new recovery key one command away."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from invigilator_app.security import slot_integrity
from tests.helpers import PASSWORD, cli, init_store

COORD = "Sam Coordinator"


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "store"
    return data_dir, init_store(data_dir)


def _edit(data_dir: Path, owner: str, field: str, recheck: bool = False) -> None:
    path = data_dir / "keyslots.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for slot in data["slots"]:
        if slot["owner"] == owner:
            if field == "kdf.salt":
                raw = bytearray(base64.b64decode(slot["kdf"]["salt"]))
                raw[0] ^= 1
                slot["kdf"]["salt"] = base64.b64encode(bytes(raw)).decode()
            else:
                raw = bytearray(base64.b64decode(slot[field]))
                raw[-1] ^= 0x40
                slot[field] = base64.b64encode(bytes(raw)).decode()
            if recheck:  # an edit that also recomputes the checks a reader can recompute
                slot["check"] = slot_integrity.slot_check(slot)
    if recheck:
        data["check"] = slot_integrity.file_check(data)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _unlock(data_dir: Path, password: str = PASSWORD, user: str | None = COORD):
    who = ("--user", user) if user else ()
    return cli("--data-dir", data_dir, *who, "--password-stdin", "users", "list", stdin=password + "\n")


@pytest.mark.parametrize("field", ["wrapped_key", "nonce", "kdf.salt"])
@pytest.mark.parametrize("user", [COORD, None])
def test_a_damaged_slot_is_damage_not_a_wrong_password(store, field: str, user: str | None) -> None:
    data_dir, _key = store
    original = (data_dir / "keyslots.json").read_bytes()
    _edit(data_dir, "user:sam coordinator", field)
    for _ in range(7):  # more than the 5 wrong passwords after which unlocks are throttled
        res = _unlock(data_dir, user=user)
        assert res.code == 4, res.err
        assert "damaged" in res.err and "not counted as a wrong password" in res.err
        assert "Wrong password" not in res.err
    (data_dir / "keyslots.json").write_bytes(original)
    assert _unlock(data_dir).code == 0, "nothing was counted towards the lock-out"


def test_a_wrong_password_is_still_a_wrong_password(store) -> None:
    data_dir, _key = store
    res = _unlock(data_dir, "not the coordinator's password at all")
    assert res.code == 5 and "Wrong password" in res.err


def test_a_damaged_recovery_slot_is_reported_at_unlock_and_a_new_key_can_be_issued(store) -> None:
    data_dir, old_key = store
    _edit(data_dir, "recovery", "wrapped_key", recheck=True)  # only the MAC under the data key can tell
    res = _unlock(data_dir)
    assert res.code == 0
    assert "warning: The recovery key's slot" in res.err and "recovery-key" in res.err
    issued = cli("--data-dir", data_dir, "--user", COORD, "--password-stdin", "recovery-key", stdin=PASSWORD + "\n")
    assert issued.code == 0, issued.err
    new_key = issued.out.strip()
    assert new_key and new_key != old_key
    assert "warning" not in _unlock(data_dir).err
    res = cli("--data-dir", data_dir, "recovery", stdin=f"{new_key}\nthe coordinator's new passphrase\n")
    assert res.code == 0, res.err
    res = cli("--data-dir", data_dir, "recovery", stdin=f"{old_key}\nyet another long passphrase\n")
    assert res.code == 5


def test_a_damaged_slot_of_another_user_is_reported_at_the_coordinators_unlock(store) -> None:
    data_dir, _key = store
    res = cli(
        "--data-dir",
        data_dir,
        "--user",
        COORD,
        "--password-stdin",
        "users",
        "add",
        "Ivy Invigilator",
        "--role",
        "invigilator",
        "--imi-pin",
        "IMI-1",
        stdin=f"{PASSWORD}\nivy's own long passphrase\n",
    )
    assert res.code == 0, res.err
    _edit(data_dir, "user:ivy invigilator", "nonce")
    res = _unlock(data_dir)
    assert res.code == 0
    assert "The key slot of ivy invigilator" in res.err and "users passwd" in res.err


def test_recovery_key_is_for_coordinators(store) -> None:
    data_dir, _key = store
    cli(
        "--data-dir",
        data_dir,
        "--user",
        COORD,
        "--password-stdin",
        "users",
        "add",
        "Ivy Invigilator",
        "--role",
        "invigilator",
        "--imi-pin",
        "IMI-1",
        stdin=f"{PASSWORD}\nivy's own long passphrase\n",
    )
    res = cli(
        "--data-dir",
        data_dir,
        "--user",
        "Ivy Invigilator",
        "--password-stdin",
        "recovery-key",
        stdin="ivy's own long passphrase\n",
    )
    assert res.code == 5


def test_the_users_area_issues_a_new_recovery_key(qtbot, store) -> None:
    from PySide6.QtWidgets import QPushButton

    from invigilator_app.services.access import open_station
    from invigilator_app.ui.admin.users import UsersArea
    from tests.gui.admin_fakes import FakeAsk

    data_dir, old_key = store
    _edit(data_dir, "recovery", "wrapped_key", recheck=True)
    station = open_station(data_dir, PASSWORD, user=COORD)
    try:
        assert any("recovery key's slot" in w for w in station.warnings)
        area = UsersArea(station)
        qtbot.addWidget(area)
        area.ask = FakeAsk(confirm=True)  # type: ignore[assignment]
        area.findChild(QPushButton, "new_recovery_key").click()
        new_key = area.ask.secret.split("\n\n")[-1]
        assert new_key != old_key and new_key.count("-") >= 7
    finally:
        station.close()
    again = open_station(data_dir, PASSWORD, user=COORD)
    assert again.warnings == []
    again.close()
    res = cli("--data-dir", data_dir, "recovery", stdin=f"{new_key}\nthe coordinator's new passphrase\n")
    assert res.code == 0, res.err
