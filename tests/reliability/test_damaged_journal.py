"""A damaged journal is found, kept and reported: with the journal a crash left behind,
three damaged bytes must not silently drop every later transaction. The store is refused
(exit 4) naming the journal and what can be recovered, the journal is neither applied nor
deleted, and copies of the evidence are kept; an undamaged or merely torn journal opens."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from invigilator_app.store.wal_check import FRAME_HEADER, HEADER, inspect_wal
from tests.helpers import PASSWORD, cli, planned_session

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = 40


@pytest.fixture
def crashed(tmp_path: Path) -> tuple[Path, int]:
    data_dir, sid = planned_session(tmp_path, day="2026-11-23")
    env = dict(os.environ)
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.wal_child", str(data_dir), PASSWORD, str(sid), str(ENTRIES)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.strip() == "DONE", done.stderr
    wal = data_dir / "store.db-wal"
    assert wal.exists() and wal.stat().st_size > HEADER
    return data_dir, sid


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _page_size(wal: bytes) -> int:
    return int.from_bytes(wal[8:12], "big")


def test_a_journal_left_by_a_crash_opens_with_every_entry(crashed) -> None:
    data_dir, _session_id = crashed
    report = inspect_wal((data_dir / "store.db-wal").read_bytes())
    assert not report.damaged and report.valid_commits >= ENTRIES
    res = cli("--data-dir", data_dir, "--password-stdin", "verify", "--audit", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err


def test_a_torn_last_frame_is_a_normal_crash(crashed) -> None:
    data_dir, _sid = crashed
    wal = data_dir / "store.db-wal"
    data = wal.read_bytes()
    wal.write_bytes(data[: len(data) - 100])  # the last frame half-written
    res = cli("--data-dir", data_dir, "--password-stdin", "verify", "--audit", stdin=PASSWORD + "\n")
    assert res.code == 0, res.err


def test_three_damaged_bytes_are_reported_and_the_evidence_kept(crashed) -> None:
    data_dir, _sid = crashed
    wal = data_dir / "store.db-wal"
    data = bytearray(wal.read_bytes())
    frame = FRAME_HEADER + _page_size(bytes(data))
    at = HEADER + 3 * frame + FRAME_HEADER + 100  # inside the page of an early frame
    for i in range(3):
        data[at + i] ^= 0xFF
    wal.write_bytes(bytes(data))
    before = (_digest(wal), _digest(data_dir / "store.db"))
    for argv in (("sessions", "list"), ("verify", "--audit")):
        res = cli("--data-dir", data_dir, "--password-stdin", *argv, stdin=PASSWORD + "\n")
        assert res.code == 4, res.err
        assert "store.db-wal" in res.err and "damaged" in res.err
        assert "committed transaction(s) after it would be silently dropped" in res.err
        assert "can be recovered" in res.err
    assert (_digest(wal), _digest(data_dir / "store.db")) == before, "never applied, checkpointed or deleted"
    kept = sorted(data_dir.glob("damaged-journal-*"))
    assert kept and (kept[0] / "store.db-wal").read_bytes() == bytes(data)
    assert (kept[0] / "store.db").exists()
