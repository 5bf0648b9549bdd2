"""The key-derivation cost cannot be lowered from outside, and a cheap slot is refused.

The attack: ``INVIGILATOR_KDF=fast invigilator-app users passwd`` wrote a slot thousands of
times cheaper to guess offline, and opening a slot accepted whatever cost it named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.security import keyslots, slot_integrity
from invigilator_app.security.keyslots import (
    MINIMUM_COST,
    PRODUCTION_COST,
    SlotFile,
    new_data_key,
    user_owner,
)
from invigilator_app.services.access import open_station
from tests.helpers import PASSWORD, cli, init_store
from tests.kdf import REAL_POLICY

ROOT = Path(__file__).resolve().parents[2]


def test_the_environment_cannot_lower_the_cost_of_a_new_slot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyslots, "kdf_policy", REAL_POLICY)
    for name, value in (("INVIGILATOR_KDF", "fast"), ("INVIGILATOR_KDF_COST", "1"), ("ARGON2_MEMORY", "64")):
        monkeypatch.setenv(name, value)
    slots = SlotFile.create(tmp_path / "keyslots.json", "store")
    slots.put(user_owner("Sam"), b"some password", new_data_key())
    kdf = slots.slots[user_owner("Sam")]["kdf"]
    assert (kdf["memory_kib"], kdf["time_cost"]) == (PRODUCTION_COST.memory_kib, PRODUCTION_COST.time_cost)
    assert PRODUCTION_COST.memory_kib >= 19 * 1024 and PRODUCTION_COST.time_cost >= 2


def test_no_production_code_reads_a_cost_from_the_environment() -> None:
    package = ROOT / "invigilator_app"
    offenders = [p for p in package.rglob("*.py") if "INVIGILATOR_KDF" in p.read_text(encoding="utf-8")]
    assert offenders == []
    source = (package / "security" / "keyslots.py").read_text(encoding="utf-8")
    assert "os.environ" not in source and "getenv" not in source


def _cheap_slot_store(tmp_path: Path) -> Path:
    """A store whose coordinator slot was written at the test cost (as the old variable allowed)."""
    data_dir = tmp_path / "store"
    init_store(data_dir)
    return data_dir


def test_a_slot_below_the_floor_is_refused_at_open_with_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    data_dir = _cheap_slot_store(tmp_path)
    monkeypatch.setattr(keyslots, "kdf_policy", REAL_POLICY)
    with pytest.raises(NotPermitted, match="below this station's floor of 19 MiB / 2 passes") as caught:
        open_station(data_dir, PASSWORD, user="Sam Coordinator")
    assert "recovery" in caught.value.message
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
    assert res.code == 5 and "below this station's floor" in res.err and "Traceback" not in res.err
    res = cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n")
    assert res.code == 5 and "below this station's floor" in res.err


def test_an_edited_slot_naming_a_cheap_cost_is_refused_before_any_derivation(tmp_path: Path, monkeypatch) -> None:
    data_dir = _cheap_slot_store(tmp_path)
    path = data_dir / "keyslots.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for slot in data["slots"]:
        slot["kdf"].update(memory_kib=MINIMUM_COST.memory_kib - 1, time_cost=6)
        # the attacker also recomputes the integrity checks, which guard against damage, not edits
        slot["check"] = slot_integrity.slot_check(slot)
    data["check"] = slot_integrity.file_check(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(keyslots, "kdf_policy", REAL_POLICY)
    derived: list[object] = []
    monkeypatch.setattr(keyslots, "derive", lambda *a: derived.append(a) or b"\0" * 32)
    with pytest.raises(NotPermitted, match="18 MiB / 6 pass"):
        SlotFile.load(path).open(user_owner("Sam Coordinator"), PASSWORD.encode())
    assert derived == []
