"""Unlocking and damage: wrong password, unknown user, damaged store or key slot file,
init rules. Exit codes 2, 4, 5 and never a traceback; a damaged store is never modified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, cli, plan, seeded, write_json

PAGE = 4096  # SQLCipher 4 default page size


def run(data_dir: Path, *args: str | Path, password: str = PASSWORD, before: tuple[str, ...] = ()):
    res = cli("--data-dir", data_dir, *before, "--password-stdin", *args, stdin=password + "\n")
    assert "Traceback" not in res.err
    assert "Traceback" not in res.out
    return res


def files(data_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("template")
    data_dir = seeded(base)
    res = run(data_dir, "session", "plan", write_json(base / "plan.json", plan()))
    assert res.code == 0, res.err
    return data_dir


def test_good_store_lists_and_verifies(store: Path) -> None:
    assert run(store, "sessions", "list").code == 0
    res = run(store, "verify", "--audit")
    assert res.code == 0, res.err
    assert res.out.startswith("OK")


def test_wrong_password_exit_5_with_a_clear_message(store: Path) -> None:
    before = files(store)
    res = run(store, "sessions", "list", password="not the right password")
    assert res.code == 5
    assert res.out == ""
    assert "Wrong password" in res.err
    after = files(store)
    attempts = after.pop("unlock-attempts.json")  # the wrong attempt is counted, outside the store
    assert b"Sam" not in attempts and b"sam" not in attempts
    # and the key slot file notes, once, that the attempt file exists (deleting it is then noticed)
    slots_after = json.loads(after.pop("keyslots.json"))
    assert slots_after.pop("unlock_attempts_kept") is True
    slots_before = json.loads(before.pop("keyslots.json"))
    # the file's own integrity check covers the marker, so it changes with it
    slots_after.pop("check")
    slots_before.pop("check")
    assert slots_after == slots_before
    assert after == before


def test_unknown_user_exit_5(store: Path) -> None:
    res = cli(
        "--data-dir", store, "--user", "Nobody Here", "--password-stdin", "sessions", "list", stdin=PASSWORD + "\n"
    )
    assert res.code == 5
    assert "Traceback" not in res.err
    assert "Nobody Here" in res.err


def test_named_user_with_the_right_password_opens(store: Path) -> None:
    res = cli(
        "--user", "sam coordinator", "--data-dir", store, "sessions", "list", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert res.code == 0, res.err


def test_no_password_given_is_bad_input(store: Path) -> None:
    res = cli("--data-dir", store, "sessions", "list")
    assert res.code == 2
    assert "--password-stdin" in res.err
    assert "Traceback" not in res.err


def test_no_store_yet_is_bad_input(tmp_path: Path) -> None:
    res = run(tmp_path / "nothing-here", "sessions", "list")
    assert res.code == 2
    assert "init" in res.err
    assert not (tmp_path / "nothing-here").exists()


def _damage(path: Path, offset: int, length: int = 64) -> None:
    data = bytearray(path.read_bytes())
    assert len(data) > offset + length
    data[offset : offset + length] = bytes(b ^ 0x5A for b in data[offset : offset + length])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "page",
    [
        2,
        3,
        6,
    ],
)
def test_damaged_page_fails_verify_audit_with_exit_4(store: Path, page: int) -> None:
    db = store / "store.db"
    _damage(db, (page - 1) * PAGE + 1000)
    before = db.read_bytes()
    listed = run(store, "sessions", "list")
    assert listed.code in (0, 4), listed.err  # may still work, or report damage; never a crash
    res = run(store, "verify", "--audit")
    assert res.code == 4, res.err
    assert str(db) in res.err
    assert db.read_bytes() == before


def test_garbage_store_exit_4_names_the_backups_and_is_untouched(store: Path) -> None:
    db = store / "store.db"
    db.write_bytes(bytes(range(256)) * 160)
    before = files(store)
    for args in (("sessions", "list"), ("verify", "--audit")):
        res = run(store, *args)
        assert res.code == 4, res.err
        assert str(store / "backups") in res.err
        assert files(store) == before, "a damaged store is never modified or re-created"


def test_garbage_store_message_says_damaged(store: Path) -> None:
    (store / "store.db").write_bytes(b"\x00garbage" * 5000)
    res = run(store, "sessions", "list")
    assert res.code == 4
    assert "damaged" in res.err.lower()


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_missing_or_empty_store_file_is_not_recreated(store: Path, how: str) -> None:
    db = store / "store.db"
    if how == "missing":
        db.unlink()
    else:
        db.write_bytes(b"")
    before = files(store)
    res = run(store, "sessions", "list")
    assert files(store) == before, "store.db was re-created"
    assert res.code == 4, res.err
    assert str(store / "backups") in res.err


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b"", id="empty"),
        pytest.param(b'{"format": 1, "store_id": "x"}', id="no-slots"),
        pytest.param(b"[]", id="a-list"),
    ],
)
def test_damaged_slot_file_exit_4_and_untouched(store: Path, content: bytes) -> None:
    (store / "keyslots.json").write_bytes(content)
    before = files(store)
    res = run(store, "sessions", "list")
    assert res.code == 4, res.err
    assert "keyslots.json" in res.err
    assert files(store) == before


def test_damaged_slot_entry_exit_4(store: Path) -> None:
    path = store / "keyslots.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for slot in data["slots"]:
        slot["nonce"] = "***not base64***"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = files(store)
    res = run(store, "sessions", "list")
    assert res.code == 4, res.err
    assert files(store) == before


def test_init_twice_exit_2_and_store_unchanged(store: Path) -> None:
    before = files(store)
    res = cli(
        "--data-dir",
        store,
        "init",
        "--centre-name",
        "Other",
        "--centre-number",
        "IMI-1",
        "--coordinator",
        "Other One",
        "--password-stdin",
        stdin="another long password\n",
    )
    assert res.code == 2
    assert "Traceback" not in res.err
    assert "already" in res.err
    assert res.out == ""
    assert files(store) == before


def test_init_with_a_short_password_creates_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "new-store"
    res = cli(
        "--data-dir",
        data_dir,
        "init",
        "--centre-name",
        "C",
        "--centre-number",
        "IMI-1",
        "--coordinator",
        "Sam",
        "--password-stdin",
        stdin="short pass1\n",
    )
    assert res.code == 2
    assert "Traceback" not in res.err
    assert "12" in res.err
    assert res.out == ""
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_init_leaves_only_the_store_and_the_slot_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "new-store"
    res = cli(
        "--data-dir",
        data_dir,
        "init",
        "--centre-name",
        "C",
        "--centre-number",
        "IMI-1",
        "--coordinator",
        "Sam",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    assert sorted(p.name for p in data_dir.iterdir()) == ["centre.pem", "keyslots.json", "store.db"], (
        "no temp or WAL files left"
    )
    assert "Recovery key" in res.err
