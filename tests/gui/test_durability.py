"""Every entry is durable the moment it is acknowledged: a station process killed with
SIGKILL right after an acknowledgement loses nothing, and the store stays intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.trust.integrity import verify_store
from tests.helpers import PASSWORD, planned_session

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX; Windows has no equivalent to test here")
def test_entries_acknowledged_before_a_kill_are_all_there(tmp_path: Path) -> None:
    data_dir, sid = planned_session(tmp_path, day="2026-11-23")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.console_child", str(data_dir), PASSWORD],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    acknowledged = 0
    try:
        assert child.stdout is not None
        for line in child.stdout:
            assert line.startswith("ACK"), line
            acknowledged = int(line.split()[1])
            if acknowledged == 25:
                os.kill(child.pid, signal.SIGKILL)  # right after the acknowledgement
                break
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert acknowledged == 25
    station = open_station(data_dir, PASSWORD)
    try:
        notes = [e.note for e in session_detail(station, sid).entries]
        for n in range(1, acknowledged + 1):
            assert f"durability entry {n}" in notes
        assert verify_store(station).startswith("OK")
    finally:
        station.close()
