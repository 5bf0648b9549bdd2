"""The room clock: legible across the room, no names, time up in words and colour, paused
shown as paused, and the console's shortcuts still working while it is up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.access import open_station
from invigilator_app.services.console.clock import CandidateClock, SessionClock
from invigilator_app.services.demo import build_demo
from invigilator_app.ui.console.room_clock import RoomClock
from invigilator_app.ui.main_window import MainWindow

NOW = datetime(2026, 12, 1, 10, 40, tzinfo=UTC)


def _candidate(
    ws: str,
    state: str,
    start: str,
    finish: str,
    finish_at: datetime | None,
    paused: bool = False,
    name: str = "Jane Smith",
) -> CandidateClock:
    return CandidateClock(ws, name, "R1", state, start, finish, 0, 0, paused, finish_at, "MOT-4-A", "MOT testing")


def _clock() -> SessionClock:
    return SessionClock(
        "09:30",
        NOW - timedelta(hours=1),
        [
            _candidate("PC-01", "started", "09:31", "10:31", NOW - timedelta(minutes=9), name="Alice Late"),
            _candidate("PC-02", "started", "09:40", "10:55", NOW + timedelta(minutes=15), name="Bob Working"),
            _candidate(
                "PC-03", "started", "09:35", "10:50", NOW + timedelta(minutes=10), paused=True, name="Cy Paused"
            ),
            _candidate("PC-04", "finished", "09:32", "10:32", NOW - timedelta(minutes=8), name="Di Done"),
            _candidate("PC-05", "expected", "", "", None, name="Ed Waiting"),
        ],
        True,
        "Northgate Training Centre",
        "IT Suite",
        date(2026, 12, 1),
    )


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_room_clock_is_big_nameless_and_says_who_is_out_of_time(qtbot, size: tuple[int, int]) -> None:
    clock = RoomClock()
    qtbot.addWidget(clock)
    clock.resize(*size)
    clock.show()
    clock.show_clock(_clock())
    clock.tick(NOW)
    QApplication.processEvents()
    digits = QFontMetricsF(clock.time.font()).tightBoundingRect("0123456789").height()
    assert digits >= 0.20 * size[1], "time digits at least a fifth of the screen's height"
    assert QFontMetricsF(clock.time.font()).horizontalAdvance(clock.time.text()) <= size[0]
    heading = clock.heading.text()
    assert "Northgate Training Centre" in heading and "IT Suite" in heading and "Tuesday 1 December 2026" in heading
    assert "MOT-4-A" in clock.running.text()
    shown = " ".join(label.text() for label in clock.findChildren(QLabel) if label.isVisible())
    for name in ("Alice", "Bob", "Cy", "Di", "Ed", "Smith"):
        assert name not in shown, "no names on the room clock"
    status = {seat.text(): label for seat, label in clock.cells if seat.isVisible()}
    assert list(status) == ["PC-01", "PC-03", "PC-02", "PC-05", "PC-04"], "in the order they finish"
    assert status["PC-01"].text() == "TIME UP 10:31" and "#b71c1c" in status["PC-01"].styleSheet()
    assert status["PC-03"].text().startswith("PAUSED") and "#ffb300" in status["PC-03"].styleSheet()
    assert status["PC-02"].text() == "finishes 10:55"
    assert status["PC-04"].text() == "finished" and status["PC-05"].text() == "not started"
    assert "PAUSED" in clock.paused.text()


def test_the_finish_times_come_in_order() -> None:
    from invigilator_app.ui.console.room_clock import finish_order

    order = [c.workstation for c in finish_order(_clock().candidates)]
    assert order == ["PC-01", "PC-03", "PC-02", "PC-05", "PC-04"]


def test_f11_shows_it_and_every_shortcut_keeps_working(qtbot, tmp_path: Path) -> None:
    data_dir, password = build_demo(tmp_path / "demo")
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F11)
    assert window.room_clock_shown and QApplication.focusWidget() is window.room_clock
    names = {a.candidate_name for a in window.panel.detail.allocations}
    shown = " ".join(label.text() for label in window.room_clock.findChildren(QLabel))
    assert not any(name in shown for name in names)
    qtbot.keyClick(
        QApplication.focusWidget(),
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    QApplication.processEvents()
    form = QApplication.activeModalWidget()
    assert isinstance(form, QDialog) and form.windowTitle().startswith(IncidentType.LATE_ARRIVAL.label)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert window.room_clock_shown, "Esc closed the form, not the clock"
    qtbot.keyClick(QApplication.focusWidget() or window.room_clock, Qt.Key.Key_F11)
    assert not window.room_clock_shown and window.menuBar().isVisible()
