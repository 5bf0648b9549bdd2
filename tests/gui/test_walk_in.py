"""A walk-in seated from the console at a station (Ctrl+Alt+W): checked against what the
station knows, saying how old that knowledge is; the hub flags what only it can see."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.ui.main_window import MainWindow
from tests.centre.centre_helpers import ALEX, Clock, make_centre
from tests.gui.fakes import FakeDialogs
from tests.helpers import PASSWORD


@pytest.fixture
def station_window(qtbot, tmp_path: Path):
    centre = make_centre(tmp_path, stations=("Room A",))
    assert centre.plan("a1", "09:00", "Room A", ("R1000001",), "EV1", ALEX).code == 0
    assert centre.receive_at("Room A", centre.send("Room A", 1)).code == 0
    clock = Clock(datetime(2026, 12, 1, 8, tzinfo=UTC))
    station = open_station(centre.stations["Room A"], PASSWORD, user="Sam Coordinator", clock=clock)
    win = MainWindow(station)
    qtbot.addWidget(win)
    win.show()
    win.dialogs = FakeDialogs()
    yield win
    station.close()


def test_a_walk_in_is_seated_by_keyboard_and_the_message_says_how_old_the_knowledge_is(
    qtbot, station_window: MainWindow
) -> None:
    win = station_window
    assert win.panel.detail is not None and win.panel.detail.summary.id == 1
    win.dialogs.text_answer = "R1000004"
    win.dialogs.choices = ["EV1 — untitled (603/1465/5)", "PC-02"]
    qtbot.keyClick(win, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert win.dialogs.offered[:1] == ["PC-02"], win.dialogs.offered
    seated = {a.registration_number: a.workstation for a in session_detail(win.station, 1).allocations}
    assert seated == {"R1000001": "PC-01", "R1000004": "PC-02"}
    assert "walk-in R1000004 seated at PC-02 (checked against the centre history as of" in (
        win.statusBar().currentMessage()
    )
