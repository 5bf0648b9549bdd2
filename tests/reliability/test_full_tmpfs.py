"""The same promises on a real full file system: a small tmpfs filled up to a few bytes
short of full at each step. Needs the right to mount one (root on Linux); skipped
elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, cli, init_store

IVY_PW = "ivy's own long passphrase 2026"
NEW_PW = "a brand new passphrase for ivy"
FREE = (0, 4_096, 16_384, 40_960, 81_920, 163_840, 327_680, 655_360)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:  # posix-only: guarded
        pytest.skip("mounting a tmpfs needs root on Linux")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True, check=False)


def _fill(mount: Path, leave: int) -> None:
    filler = mount / "filler"
    filler.unlink(missing_ok=True)
    free = shutil.disk_usage(mount).free
    with open(filler, "wb") as handle:
        remaining = max(0, free - leave)
        block = bytes(1 << 16)
        while remaining > 0:
            try:
                remaining -= handle.write(block[: min(len(block), remaining)])
            except OSError:
                break


def _honest(res) -> None:
    assert res.code in (0, 6), res.err
    assert "Unexpected" not in res.err and "damaged" not in res.err, res.err


@pytest.mark.parametrize("free", FREE)
def test_commands_on_a_full_tmpfs(tmpfs: Path, tmp_path: Path, free: int) -> None:
    store = tmpfs / "store"
    init_store(store)
    res = cli(
        "--data-dir",
        store,
        "--password-stdin",
        "users",
        "add",
        "Ivy Invigilator",
        "--role",
        "invigilator",
        "--imi-pin",
        "IMI-1",
        stdin=f"{PASSWORD}\n{IVY_PW}\n",
    )
    assert res.code == 0, res.err
    _fill(tmpfs, free)
    res = cli(
        "--data-dir", store, "--password-stdin", "users", "passwd", "Ivy Invigilator", stdin=f"{PASSWORD}\n{NEW_PW}\n"
    )
    _honest(res)
    changed = res.code == 0 or "is saved in the store" in res.err
    backup = cli("--data-dir", store, "--password-stdin", "backup", "create", "--out", tmpfs, stdin=PASSWORD + "\n")
    _honest(backup)
    if backup.code:
        assert not list(tmpfs.glob("*.invbackup")) and (
            "No backup was written" in backup.err or "not saved" in backup.err
        )
    second = cli(
        "--data-dir",
        tmpfs / "second",
        "init",
        "--centre-name",
        "N",
        "--centre-number",
        "1",
        "--coordinator",
        "Sam Coordinator",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    _honest(second)
    if second.code:
        assert not (tmpfs / "second").exists() and not [p for p in tmpfs.iterdir() if p.name.startswith(".second")]
    (tmpfs / "filler").unlink()
    for leftover in tmpfs.glob("*.invbackup"):
        leftover.unlink()
    opens = cli(
        "--data-dir",
        store,
        "--user",
        "Ivy Invigilator",
        "--password-stdin",
        "users",
        "list",
        stdin=(NEW_PW if changed else IVY_PW) + "\n",
    )
    assert opens.code == 0, opens.err
    res = cli("--data-dir", store, "--password-stdin", "verify", "--audit", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
