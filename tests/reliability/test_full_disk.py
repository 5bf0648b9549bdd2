"""A full disk says so (exit 6), never "damaged" nor "unexpected", and never lies about
what it saved: every command that changes the store is run at each of a series of file-size
limits, and afterwards the store is in the old state or the new one, as the message says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, cli, init_store
from tests.reliability.fsize import LIMITS, run_limited

IVY, IVY_PW = "Ivy Invigilator", "ivy's own long passphrase 2026"
NEW_PW = "a brand new passphrase for ivy"
COORD = "Sam Coordinator"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("template") / "store"
    key = init_store(data_dir)
    res = cli(
        "--data-dir",
        data_dir,
        "--user",
        COORD,
        "--password-stdin",
        "users",
        "add",
        IVY,
        "--role",
        "invigilator",
        "--imi-pin",
        "IMI-1",
        stdin=f"{PASSWORD}\n{IVY_PW}\n",
    )
    assert res.code == 0, res.err
    return data_dir, key


def _copy(template: tuple[Path, str], tmp_path: Path, limit: int) -> Path:
    target = tmp_path / f"store-{limit}"
    shutil.copytree(template[0], target)
    return target


def _opens(data_dir: Path, user: str, password: str) -> bool:
    res = cli("--data-dir", data_dir, "--user", user, "--password-stdin", "users", "list", stdin=password + "\n")
    assert res.code in (0, 5), res.err
    return res.code == 0


def _sound(data_dir: Path, password: str = PASSWORD) -> None:
    res = cli("--data-dir", data_dir, "--user", COORD, "--password-stdin", "verify", "--audit", stdin=password + "\n")
    assert res.code == 0, res.err + res.out


def _honest(code: int, err: str) -> None:
    assert code in (0, 6), err
    assert "Unexpected" not in err and "damaged" not in err, err
    if code == 6:
        assert err.startswith("No space"), err


@pytest.mark.parametrize("limit", LIMITS)
def test_users_passwd(template, tmp_path: Path, limit: int) -> None:
    data_dir = _copy(template, tmp_path, limit)
    code, _out, err = run_limited(
        limit,
        "--data-dir",
        data_dir,
        "--user",
        COORD,
        "--password-stdin",
        "users",
        "passwd",
        IVY,
        stdin=f"{PASSWORD}\n{NEW_PW}\n",
    )
    _honest(code, err)
    if code == 0 or "is saved in the store" in err:
        if code:
            assert _opens(data_dir, IVY, IVY_PW), "until completed, the old password still opens"
        assert _opens(data_dir, IVY, NEW_PW)
        assert not _opens(data_dir, IVY, IVY_PW)
    else:
        assert "was not saved" in err
        assert _opens(data_dir, IVY, IVY_PW) and not _opens(data_dir, IVY, NEW_PW)
    _sound(data_dir)


@pytest.mark.parametrize("limit", LIMITS)
def test_users_add(template, tmp_path: Path, limit: int) -> None:
    data_dir = _copy(template, tmp_path, limit)
    zed_pw = "zed keeps a long passphrase"
    code, _out, err = run_limited(
        limit,
        "--data-dir",
        data_dir,
        "--user",
        COORD,
        "--password-stdin",
        "users",
        "add",
        "Zed Coordinator",
        "--role",
        "coordinator",
        stdin=f"{PASSWORD}\n{zed_pw}\n",
    )
    _honest(code, err)
    added = code == 0 or "is saved in the store" in err
    if code:
        assert not _opens(data_dir, "Zed Coordinator", zed_pw) or added
        _opens(data_dir, COORD, PASSWORD)  # an unlock completes a pending change
    assert _opens(data_dir, "Zed Coordinator", zed_pw) is added
    _sound(data_dir)


@pytest.mark.parametrize("limit", LIMITS)
def test_users_disable(template, tmp_path: Path, limit: int) -> None:
    data_dir = _copy(template, tmp_path, limit)
    code, _out, err = run_limited(
        limit,
        "--data-dir",
        data_dir,
        "--user",
        COORD,
        "--password-stdin",
        "users",
        "disable",
        IVY,
        stdin=f"{PASSWORD}\n",
    )
    _honest(code, err)
    disabled = code == 0 or "is saved in the store" in err
    assert _opens(data_dir, IVY, IVY_PW) is not disabled
    _sound(data_dir)


@pytest.mark.parametrize("limit", LIMITS)
def test_recovery(template, tmp_path: Path, limit: int) -> None:
    data_dir = _copy(template, tmp_path, limit)
    new = "the coordinator's new passphrase"
    code, _out, err = run_limited(limit, "--data-dir", data_dir, "recovery", stdin=f"{template[1]}\n{new}\n")
    _honest(code, err)
    changed = code == 0 or "is saved in the store" in err
    if changed:
        if code:
            assert _opens(data_dir, COORD, PASSWORD), "until completed, the old password still opens"
        assert _opens(data_dir, COORD, new)
    else:
        assert _opens(data_dir, COORD, PASSWORD) and not _opens(data_dir, COORD, new)
    _sound(data_dir, new if changed else PASSWORD)


@pytest.mark.parametrize("limit", LIMITS)
def test_init(tmp_path: Path, limit: int) -> None:
    data_dir = tmp_path / "new-store"
    code, out, err = run_limited(
        limit,
        "--data-dir",
        data_dir,
        "init",
        "--centre-name",
        "Northgate",
        "--centre-number",
        "IMI-1",
        "--coordinator",
        COORD,
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    _honest(code, err)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "new-store"]
    assert leftovers == [], "no half-made store is left beside the data folder"
    if code == 0:
        assert out.strip() and _opens(data_dir, COORD, PASSWORD)
    else:
        assert "No store was created" in err
        assert not (data_dir / "store.db").exists() and not (data_dir / "keyslots.json").exists()
        init_store(data_dir)  # with space again, init works
    _sound(data_dir)


@pytest.mark.parametrize("limit", LIMITS)
def test_station_checkpoint(template, tmp_path: Path, limit: int) -> None:
    data_dir = _copy(template, tmp_path, limit)
    out_file = tmp_path / "checkpoint.txt"
    code, _out, err = run_limited(
        limit,
        "--data-dir",
        data_dir,
        "--user",
        COORD,
        "--password-stdin",
        "station",
        "checkpoint",
        "--out",
        out_file,
        stdin=f"{PASSWORD}\n",
    )
    _honest(code, err)
    assert "Nothing was changed" not in err
    if code == 0:
        res = cli(
            "--data-dir",
            data_dir,
            "--user",
            COORD,
            "--password-stdin",
            "verify",
            "--checkpoint",
            out_file,
            stdin=PASSWORD + "\n",
        )
        assert res.code == 0, res.err
    else:
        assert not out_file.exists()
        assert list(tmp_path.glob(".export-*")) == []
    _sound(data_dir)


OLD_STORE = Path(__file__).resolve().parents[1] / "stores" / "v0001"


@pytest.mark.parametrize("limit", [*LIMITS[::2], LIMITS[-1] * 4])
def test_migration_backup_is_whole_or_absent(tmp_path: Path, limit: int) -> None:
    data_dir = tmp_path / "old"
    shutil.copytree(OLD_STORE, data_dir)
    original = (data_dir / "store.db").read_bytes()
    code, _out, err = run_limited(
        limit, "--data-dir", data_dir, "--user", COORD, "--password-stdin", "users", "list", stdin=PASSWORD + "\n"
    )
    _honest(code, err)
    backups = (
        sorted(p for p in (data_dir / "backups").glob("*") if p.suffix == ".db")
        if code == 0 or (data_dir / "backups").exists()
        else []
    )
    for backup in backups:
        assert not backup.name.startswith("."), "no partial copy under a backup's name"
        assert backup.read_bytes() == original, f"{backup.name} is a whole copy of the store before migrating"
    assert not list((data_dir / "backups").glob(".*")) if (data_dir / "backups").exists() else True
    if code == 0:
        assert backups
    _sound(data_dir)


def test_a_slot_file_that_cannot_be_written_after_the_commit_is_completed_at_the_next_unlock(
    template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from invigilator_app.security.keyslots import SlotFile

    data_dir = _copy(template, tmp_path, 1)

    def full(self: SlotFile) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.path))

    monkeypatch.setattr(SlotFile, "save", full)
    res = cli(
        "--data-dir",
        data_dir,
        "--user",
        COORD,
        "--password-stdin",
        "users",
        "passwd",
        IVY,
        stdin=f"{PASSWORD}\n{NEW_PW}\n",
    )
    assert res.code == 6
    assert "The new password of Ivy Invigilator is saved in the store" in res.err
    assert "the old password still opens the store for now" in res.err
    monkeypatch.undo()
    assert _opens(data_dir, IVY, IVY_PW), "the old password until the change is completed"
    assert _opens(data_dir, IVY, NEW_PW) and not _opens(data_dir, IVY, IVY_PW)
    _sound(data_dir)
