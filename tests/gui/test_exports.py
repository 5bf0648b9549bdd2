"""Exports from the console run off the GUI thread, with progress, and leave no thread behind."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.demo import build_demo
from invigilator_app.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogs


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    data_dir, password = build_demo(tmp_path / "demo")
    win = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(win)
    win.show()
    win.dialogs = FakeDialogs()
    return win


@pytest.mark.parametrize(
    ("action", "name", "magic"),
    [
        ("export_pdf", "record.pdf", b"%PDF"),
        ("export_csv", "record.csv", b"\xef\xbb\xbfcentre"),
        ("export_day", "day.pdf", b"%PDF"),
    ],
)
def test_export_writes_the_file_in_the_background(
    qtbot, window: MainWindow, tmp_path: Path, action: str, name: str, magic: bytes
) -> None:
    target = tmp_path / name
    window.dialogs.save_answer = target
    window.session_actions[action].trigger()
    assert window.console.tasks, "the export runs as a background task"
    qtbot.waitUntil(lambda: not window.console.tasks, timeout=30000)
    assert window.dialogs.errors == []
    assert target.read_bytes().startswith(magic)
    assert str(target) in window.statusBar().currentMessage()
    assert gc.isenabled(), "garbage collection resumes once no background work runs"


def test_a_cancelled_day_export_writes_nothing(qtbot, window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "day.pdf"
    window.dialogs.save_answer = target
    window.session_actions["export_day"].trigger()
    window.console.tasks[0].cancel()
    qtbot.waitUntil(lambda: not window.console.tasks, timeout=30000)
    assert not target.exists()
    assert window.dialogs.errors and "cancelled" in window.dialogs.errors[-1].lower()
