"""A station killed (SIGKILL) in the middle of a key-slot change or a backup leaves the old
state or the new one: one of the two passwords opens the store, the store verifies, and
no file under a backup's name is partial."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, cli, init_store

ROOT = Path(__file__).resolve().parents[2]
CLI = ["-m", "tests.kdf"]  # the command line with the test suite's cheap key derivation
NEW_PW = "a fresh passphrase after the kill"
DELAYS = (0.05, 0.15, 0.3, 0.45, 0.6, 0.8, 1.0, 1.3)

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("template") / "store"
    init_store(data_dir)
    return data_dir


def _killed(argv: list[str], stdin: str, delay: float) -> int | None:
    env = dict(os.environ)
    child = subprocess.Popen(
        [sys.executable, *CLI, *argv],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdin is not None
    child.stdin.write(stdin)
    child.stdin.close()
    time.sleep(delay)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    return child.wait(timeout=60)


def _opens(data_dir: Path, password: str) -> bool:
    return cli("--data-dir", data_dir, "--password-stdin", "users", "list", stdin=password + "\n").code == 0


@pytest.mark.parametrize("delay", DELAYS)
def test_killed_during_a_password_change(template: Path, tmp_path: Path, delay: float) -> None:
    data_dir = tmp_path / "store"
    shutil.copytree(template, data_dir)
    _killed(
        ["--data-dir", str(data_dir), "--password-stdin", "users", "passwd", "Sam Coordinator"],
        f"{PASSWORD}\n{NEW_PW}\n",
        delay,
    )
    old, new = _opens(data_dir, PASSWORD), _opens(data_dir, NEW_PW)
    assert old or new, "one of the two passwords opens the store"
    password = NEW_PW if _opens(data_dir, NEW_PW) else PASSWORD
    res = cli("--data-dir", data_dir, "--password-stdin", "verify", "--audit", stdin=password + "\n")
    assert res.code == 0, res.err


@pytest.mark.parametrize("delay", DELAYS)
def test_killed_during_a_backup(template: Path, tmp_path: Path, delay: float) -> None:
    data_dir = tmp_path / "store"
    shutil.copytree(template, data_dir)
    out = tmp_path / "usb"
    out.mkdir()
    _killed(
        ["--data-dir", str(data_dir), "--password-stdin", "backup", "create", "--out", str(out)], f"{PASSWORD}\n", delay
    )
    for backup in out.glob("*.invbackup"):
        with zipfile.ZipFile(backup) as archive:
            assert archive.testzip() is None, f"{backup.name} is whole"
        res = cli("--data-dir", data_dir, "--password-stdin", "backup", "verify", backup, stdin=PASSWORD + "\n")
        assert res.code == 0, res.err
    res = cli("--data-dir", data_dir, "--password-stdin", "verify", "--audit", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
