"""Safe defaults in the console: the room-stopping incidents pause the clock unless told
not to, a pause needs a reason, finish and absent can be undone for a minute, sign-off is
offered only to the session's invigilator, and confirmations stay in the console."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.access import open_station
from invigilator_app.services.console import clock
from invigilator_app.services.console.sessions import AllocationView, session_detail
from invigilator_app.services.demo import build_demo
from invigilator_app.ui.console.record_dialogs import EntryDialog
from invigilator_app.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogs, select_workstation


@pytest.fixture
def window(qtbot, tmp_path: Path):
    data_dir, password = build_demo(tmp_path / "demo")
    win = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(win)
    win.show()
    win.dialogs = FakeDialogs()
    return win


def _allocation(ws: str, name: str, reg: str, assessment: str) -> AllocationView:
    return AllocationView(
        id=1,
        candidate_name=name,
        registration_number=reg,
        assessment_id=assessment,
        assessment_title="",
        qualification="",
        workstation=ws,
        state="started",
        identity_check="",
        start="09:30",
        finish="",
        result="",
        attempt_number=1,
        chargeable=False,
        flags="",
    )


@pytest.mark.parametrize("kind", list(IncidentType))
def test_fire_alarm_emergency_and_it_issue_pause_the_clock_by_default(qtbot, kind: IncidentType) -> None:
    dialog = EntryDialog(kind, [_allocation("PC-01", "Jane Smith", "R1", "MOT-4-A")], "R1")
    qtbot.addWidget(dialog)
    pausing = kind in (IncidentType.FIRE_ALARM, IncidentType.EMERGENCY, IncidentType.IT_ISSUE)
    assert dialog.pause.isChecked() is pausing
    assert dialog.windowTitle() == f"{kind.label} — PC-01 Jane Smith"
    assert dialog.registration_numbers() == ["R1"], "the selected candidate is ticked"


def test_a_question_issue_takes_the_selected_candidates_assessment_and_warns_on_another(qtbot) -> None:
    people = [_allocation("PC-01", "Jane Smith", "R1", "MOT-4-A"), _allocation("PC-02", "Tomasz Nowak", "R2", "EV1")]
    dialog = EntryDialog(IncidentType.QUESTION_ISSUE, people, "R2")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.assessment.currentText() == "EV1"
    assert not dialog.assessment_warning.isVisible()
    dialog.assessment.setCurrentText("MOT-4-A")
    assert dialog.assessment_warning.isVisible()
    assert dialog.assessment_warning.text() == "PC-02 Tomasz Nowak is sitting EV1, not MOT-4-A."


def test_a_pause_without_a_reason_is_refused_with_a_message(window: MainWindow) -> None:
    fake = window.dialogs
    fake.text_answer = ""
    before = session_detail(window.station, window.panel.detail.summary.id).entries
    window.session_actions["pause"].trigger()
    assert fake.errors and "say why it stops" in fake.errors[-1]
    assert "Not paused" in window.panel.strip.text()
    assert session_detail(window.station, window.panel.detail.summary.id).entries == before
    assert "PAUSED" not in window.panel.clock.paused.text()


def test_finish_is_confirmed_in_the_console_with_undo_for_a_minute(qtbot, window: MainWindow) -> None:
    started = next(a for a in window.panel.detail.allocations if a.state == "started")
    select_workstation(window, started.workstation)
    window.candidate_actions["finish"].trigger()
    strip = window.panel.strip
    assert f"{started.workstation} {started.candidate_name} finished" in strip.text()
    assert strip.accessibleDescription() == strip.label.text(), "screen readers are given the message"
    assert strip.can_undo() and window.console.undo.isEnabled()
    assert window.panel.selected_allocation().registration_number == started.registration_number
    qtbot.mouseClick(strip.undo_button, Qt.MouseButton.LeftButton)
    after = {
        a.registration_number: a.state
        for a in session_detail(window.station, window.panel.detail.summary.id).allocations
    }
    assert after[started.registration_number] == "started"
    assert "undone" in strip.text() and not strip.can_undo()
    assert window.panel.selected_allocation().registration_number == started.registration_number


def test_sign_off_is_offered_only_to_the_sessions_invigilator(window: MainWindow) -> None:
    assert window.station.actor.role.value == "coordinator"
    assert not window.session_actions["sign_off"].isVisible()
    window.session_actions["sign_off"].trigger()  # hidden actions do nothing; called anyway, it refuses
    window.console.sessions.sign_off()
    assert window.dialogs.errors[-1].startswith("Only the session's invigilator, Alex Patel")
    assert window.dialogs.confirmations == []


def test_the_console_is_read_again_when_the_sessions_tab_comes_back(window: MainWindow) -> None:
    shown = window.panel.detail.summary
    window.show_area("review")
    # Meanwhile the session changes elsewhere (here its clock is paused through the service).
    working = [a.registration_number for a in window.panel.detail.allocations if a.state == "started"]
    clock.pause_clock(window.station, shown.id, working, "Fire drill")
    assert not window.panel.clock.paused.text()
    window.areas.setCurrentIndex(0)
    assert window.panel.clock.paused.text(), "the console was read again"
    assert window.sessions.row_at(window.session_view.currentIndex().row()).id == shown.id, "the same session"
