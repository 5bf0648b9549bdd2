"""A busy store is not a failure: while another program holds the write lock, an entry
recorded at the console is kept, the console says it is waiting for the store, and the
entry is saved as soon as the lock is released. Nothing is dropped, nothing is silent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from invigilator_app.domain.errors import StoreBusy
from invigilator_app.services.access import open_station
from invigilator_app.services.console import recording
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.demo import build_demo
from invigilator_app.ui.dialogs import EntryAnswer
from invigilator_app.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogs

ROOT = Path(__file__).resolve().parents[2]


class LockHolder:
    def __init__(self, db: Path, key: bytes) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.lock_holder", str(db)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(key.hex() + "\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "LOCKED"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.stdout.readline()
            self.proc.stdin.close()
            self.proc.stdout.close()
            self.proc.wait(timeout=30)


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    data_dir, password = build_demo(tmp_path / "demo")
    win = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(win)
    win.show()
    win.dialogs = FakeDialogs()
    return win


def _notes(window: MainWindow) -> list[str]:
    return [e.note for e in session_detail(window.station, window.panel.detail.summary.id).entries]


def test_an_entry_recorded_while_another_program_writes_is_kept_and_saved(qtbot, window: MainWindow) -> None:
    station = window.station
    holder = LockHolder(station.db.paths.db, bytes(station.db.key))
    try:
        window.dialogs.entry_answer = EntryAnswer("Alarm at 10:20, typed while the store was busy", [])
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert window.dialogs.asked, "the entry form was shown"
        message = window.statusBar().currentMessage()
        assert "Waiting for the store" in message and "Fire alarm" in message
        assert window.dialogs.errors == []
        window.dialogs.entry_answer = EntryAnswer("Second entry, made while waiting", [])
        window.incident_actions[next(iter(window.incident_actions))].trigger()
        qtbot.wait(1200)  # a retry or two while the lock is still held
        assert "Waiting for the store" in window.statusBar().currentMessage()
        if os.environ.get("INVIGILATOR_SCREENSHOTS") == "1":
            window.grab().save(str(ROOT / "docs" / "screenshots" / "console-waiting-for-the-store.png"))
        assert "typed while the store was busy" not in " ".join(_notes(window))
    finally:
        holder.release()
    qtbot.waitUntil(lambda: "Saved" in window.statusBar().currentMessage(), timeout=10_000)
    notes = _notes(window)
    first = notes.index("Alarm at 10:20, typed while the store was busy")
    assert notes.index("Second entry, made while waiting") > first, "saved in the order they were made"
    assert window.dialogs.errors == []


def test_a_busy_store_is_a_clear_refusal_for_a_service_call(tmp_path: Path) -> None:
    data_dir, password = build_demo(tmp_path / "demo")
    station = open_station(data_dir, password)
    station.busy_ms = 100
    holder = LockHolder(station.db.paths.db, bytes(station.db.key))
    try:
        sid = recording_session(station)
        with pytest.raises(StoreBusy, match="busy: another program is writing"):
            recording.record_entry(station, sid, "fire_alarm", note="while busy")
    finally:
        holder.release()
        station.close()


def recording_session(station) -> int:
    from invigilator_app.services.console.sessions import list_sessions

    return list_sessions(station)[0].id
