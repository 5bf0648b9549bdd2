"""One vocabulary: no library or class names on the screens an invigilator reads (they are
in the About box), one way of writing dates and times, sessions named by room, date, time."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel

from invigilator_app.domain.timefmt import clock_text, day_text, long_day_text, session_name, time_text, when_text
from invigilator_app.services.access import open_station
from invigilator_app.services.demo import build_demo
from invigilator_app.ui.main_window import MainWindow, technical_detail

TECHNICAL = ("keyring", "backends", "SQLCipher", "sqlcipher", "chain head", "Keyring", "Traceback", "Error:")


def test_the_one_format_helper() -> None:
    day = date(2026, 12, 1)
    moment = datetime(2026, 12, 1, 9, 5, 7)
    assert day_text(day) == "Tue 1 Dec 2026" and long_day_text(day) == "Tuesday 1 December 2026"
    assert time_text(moment) == "09:05" and clock_text(moment) == "09:05:07"
    assert when_text(moment) == "Tue 1 Dec 2026 09:05"
    assert session_name("IT Suite", day, "09:30") == "IT Suite, Tue 1 Dec 2026 09:30"


def test_no_technical_names_on_the_console_or_the_lock_screen(qtbot, tmp_path: Path) -> None:
    data_dir, password = build_demo(tmp_path / "demo")
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()

    def words() -> str:
        texts = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
        texts += [a.text() + a.toolTip() for a in window.findChildren(QAction)]
        return "\n".join([*texts, window.statusBar().currentMessage()])

    seen = words()
    for word in TECHNICAL:
        assert word not in seen, word
    summary = window.panel.detail.summary
    assert window.panel.title.text() == f"{summary.room} — {day_text(summary.day)}, {summary.start}"
    assert window.sessions.data(window.sessions.index(0, 0)) == day_text(window.sessions.row_at(0).day)
    window.lock()
    QApplication.processEvents()
    for word in TECHNICAL:
        assert word not in words(), word
    assert "SQLCipher" in technical_detail(data_dir), "the technical detail is kept for the About box"
