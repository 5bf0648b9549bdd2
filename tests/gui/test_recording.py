"""Recording from the main window: incidents by shortcut, identity checks, starts — stored durably."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.demo import build_demo
from invigilator_app.ui.dialogs import EntryAnswer, IdentityAnswer
from invigilator_app.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogs
from tests.gui.fakes import select_workstation as _select


@pytest.fixture
def window(qtbot, tmp_path: Path):
    data_dir, password = build_demo(tmp_path / "demo")
    win = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(win)
    win.show()
    win.dialogs = FakeDialogs()
    return win


def test_fire_alarm_by_shortcut_is_stored_for_everyone(qtbot, window: MainWindow) -> None:
    everyone = [a.registration_number for a in window.panel.detail.allocations]
    window.dialogs.entry_answer = EntryAnswer("Evacuated 10:20, back 10:35", everyone)
    before = len(window.panel.detail.entries)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.dialogs.asked == [IncidentType.FIRE_ALARM]
    detail = session_detail(window.station, window.panel.detail.summary.id)
    assert len(detail.entries) == before + 1
    fire = next(e for e in detail.entries if e.type == "fire_alarm")
    assert fire.candidates.count("(R") == len(everyone)
    assert "Saved" in window.statusBar().currentMessage()


def test_question_issue_stays_outstanding_until_notified(window: MainWindow) -> None:
    window.dialogs.entry_answer = EntryAnswer("Image does not load", ["R4410251"], "7", "REF3-ONL-01")
    window.incident_actions[IncidentType.QUESTION_ISSUE].trigger()
    detail = session_detail(window.station, window.panel.detail.summary.id)
    issue = next(e for e in detail.entries if e.type == "question_issue" and "Q7" in e.note)
    assert issue.notify == "awarding body (IMI)" and issue.notified == ""


def test_starting_without_identity_check_is_refused_then_allowed(window: MainWindow) -> None:
    _select(window, "PC-10")
    window.candidate_actions["start"].trigger()
    assert window.dialogs.errors and window.dialogs.errors[-1].startswith("CAND-1:")
    window.dialogs.identity_answer = IdentityAnswer("photo_id", "passport", True)
    _select(window, "PC-10")
    window.candidate_actions["identity"].trigger()
    _select(window, "PC-10")
    window.candidate_actions["logged_on"].trigger()
    _select(window, "PC-10")
    window.candidate_actions["start"].trigger()
    detail = session_detail(window.station, window.panel.detail.summary.id)
    chloe = next(a for a in detail.allocations if a.workstation == "PC-10")
    assert chloe.state == "started"
    assert "passport" in chloe.identity_check


def test_cancelling_the_dialog_records_nothing(window: MainWindow) -> None:
    before = len(window.panel.detail.entries)
    window.dialogs.entry_answer = None
    window.incident_actions[IncidentType.IT_ISSUE].trigger()
    assert len(session_detail(window.station, window.panel.detail.summary.id).entries) == before


def test_every_action_has_a_shortcut_shown_in_its_tooltip(window: MainWindow) -> None:
    for action in [*window.incident_actions.values(), *window.candidate_actions.values()]:
        shortcut = action.shortcut().toString()
        assert shortcut and shortcut in action.toolTip()


def test_reseating_during_the_session_is_logged(window: MainWindow) -> None:
    _select(window, "PC-10")
    window.dialogs.choice = None
    window.candidate_actions["reseat"].trigger()
    assert window.dialogs.offered == [], "every seat of the demo room is taken"
    assert window.dialogs.errors[-1] == "Every workstation in the room is taken."
