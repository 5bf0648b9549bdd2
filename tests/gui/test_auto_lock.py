"""Auto-lock: the station locks itself when idle, shows the exam clock without names,
wipes the key, and returns to exactly where the invigilator was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget

from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.services.access import open_station
from invigilator_app.services.admin import settings
from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.services.demo import NAMES, build_demo
from invigilator_app.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogs


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, str]:
    return build_demo(tmp_path / "demo")


def _visible_text(widget) -> str:
    parts = [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]
    for table in widget.findChildren(QTableWidget):
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                parts.append(item.text() if item else "")
    return "\n".join(parts)


def test_idle_station_locks_shows_no_names_and_unlocks_where_it_was(qtbot, demo) -> None:
    data_dir, password = demo
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    window.show()
    window.dialogs = FakeDialogs()
    running = next(
        i
        for i in range(window.sessions.rowCount())
        if window.sessions.row_at(i).state == "running" and window.sessions.row_at(i).day.isoformat() >= "2026"
    )
    window.session_view.selectRow(running)
    window.panel.tabs.setCurrentWidget(window.panel.entry_view)
    window.panel.entry_view.selectRow(1)
    selected_session = window.panel.detail.summary.id

    window.idle_limit_seconds = 0.0
    window._tick()
    assert window.locked and window.station.locked
    with pytest.raises(NotPermitted, match="locked"):
        list_sessions(window.station)
    text = _visible_text(window.lock_screen)
    assert "Session start" in text and "PC-01" in text
    for _first, last in NAMES:
        assert last not in text, "no candidate names on the lock screen"
    assert not window.menuBar().isEnabled()

    window.idle_limit_seconds = 3600.0
    window.lock_screen.password.setText("not the password at all")
    window.lock_screen.button.click()
    assert window.locked and "Wrong password" in window.lock_screen.message.text()

    window.lock_screen.password.setText(password)
    window.lock_screen.button.click()
    assert not window.locked and not window.station.locked
    assert window.panel.detail.summary.id == selected_session
    assert window.panel.tabs.currentWidget() is window.panel.entry_view
    assert window.panel.entry_view.currentIndex().row() == 1


def test_auto_lock_time_is_a_coordinator_setting(demo) -> None:
    data_dir, password = demo
    station = open_station(data_dir, password)
    try:
        assert settings.auto_lock_minutes(station) == 5
        settings.set_auto_lock_minutes(station, 10)
        assert settings.auto_lock_minutes(station) == 10
        with pytest.raises(BadInput):
            settings.set_auto_lock_minutes(station, 0)
    finally:
        station.close()


def test_the_coordinator_sets_the_auto_lock_time_from_the_station_menu(qtbot, demo) -> None:
    data_dir, password = demo
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    window.dialogs = fake = FakeDialogs()
    fake.choice = "15"
    window.auto_lock_action.trigger()
    assert window.idle_limit_seconds == 900.0
    assert settings.auto_lock_minutes(window.station) == 15
