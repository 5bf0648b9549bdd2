"""A whole session from the room checklist to the sign-off, with the keyboard only.

Every key goes to the widget that has the focus (``qtbot.keyClick`` on
``QApplication.focusWidget()``), the forms are the real ones, and after every action the
test checks it landed on the candidate the invigilator had selected, and on no one else.
The keys pressed are counted per task: docs/keyboard.md records these counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QMessageBox

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.review.records import build_record
from invigilator_app.ui.main_window import MainWindow
from tests.gui.test_whole_session import INVIGILATOR_PASSWORD, _invigilator_can_log_in
from tests.helpers import plan, plan_session, seeded

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


class Keyboard:
    """Presses keys on whatever has the focus, and counts them."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def focus(self):
        QApplication.processEvents()
        widget = QApplication.focusWidget()
        assert widget is not None, "something always has the keyboard"
        return widget

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
        self.qtbot.keyClick(self.focus(), key, modifiers)
        self.count += 1
        QApplication.processEvents()

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focus(), text)
        self.count += 1  # typing the text counts as one step of the task
        QApplication.processEvents()

    def task(self) -> int:
        done, self.count = self.count, 0
        return done


def open_form() -> QDialog | None:
    """The form open over the console (the active modal window, if it is a dialog)."""
    QApplication.processEvents()
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, QDialog) and widget.isVisible() else None


@pytest.fixture(autouse=True)
def no_windows_left_over() -> None:
    """Earlier tests' dialogs must not be mistaken for this test's forms."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.close()
    QApplication.processEvents()


@pytest.fixture
def session_window(qtbot, tmp_path: Path):
    data_dir = seeded(tmp_path)
    data = plan(start="09:30", regs=("R1000001", "R1000002", "R1000003", "R1000004"))
    for c in data["candidates"]:
        c["planned_minutes"] = 60
    sid = plan_session(data_dir, data, tmp_path / "p.json")
    _invigilator_can_log_in(data_dir)
    now = [datetime(2026, 12, 1, 9, 10, tzinfo=UTC)]
    station = open_station(data_dir, INVIGILATOR_PASSWORD, user="Alex Patel", clock=lambda: now[0])
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return window, station, sid, now


def test_a_whole_session_by_keyboard_lands_every_action_on_the_selected_candidate(qtbot, session_window) -> None:
    window, station, session_id, now = session_window
    keys = Keyboard(qtbot)
    panel = window.panel
    counts: dict[str, int] = {}

    def state() -> dict[str, str]:
        return {a.workstation: a.state for a in session_detail(station, session_id).allocations}

    def selected() -> str:
        chosen = panel.selected_allocation()
        assert chosen is not None
        assert panel.seating.current_label() == chosen.workstation, "plan and table agree"
        return chosen.workstation

    assert keys.focus() is panel.seating, "the keyboard starts on the room, with the focus frame"

    # The room checklist: Ctrl+Alt+C takes the keyboard to its first answer.
    keys.press(Qt.Key.Key_C, CTRL | ALT)
    rules = list(panel.checklist.answers)
    assert keys.focus() is panel.checklist.answers[rules[0]][0]
    for rule_id in rules:
        assert isinstance(keys.focus(), QComboBox)
        keys.type("N" if rule_id == "ROOM-3" else "Y")
        keys.press(Qt.Key.Key_Tab)
        if rule_id == "ROOM-3":
            keys.type("Poster covered at 09:05")
        keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Return, CTRL)
    assert "complete" in panel.checklist.status.text()
    assert not window.dialogs.parent.findChildren(QMessageBox)
    keys.task()

    # Back to the room (Alt+P), first seat (Home): identity check, logged on, start — for three.
    keys.press(Qt.Key.Key_P, ALT)
    assert keys.focus() is panel.seating
    keys.press(Qt.Key.Key_Home)
    for n, ws in enumerate(("PC-01", "PC-02", "PC-03")):
        if n:
            keys.press(Qt.Key.Key_Right)
        assert selected() == ws
        keys.task()
        keys.press(Qt.Key.Key_K, CTRL | SHIFT)
        form = open_form()
        assert (
            form is not None
            and form.windowTitle() == f"Identity check — {ws} {panel.selected_allocation().candidate_name}"
        )
        keys.press(Qt.Key.Key_Return, CTRL)
        assert open_form() is None
        keys.press(Qt.Key.Key_G, CTRL | SHIFT)
        now[0] += timedelta(minutes=1)
        keys.press(Qt.Key.Key_T, CTRL | SHIFT)
        counts["identity check + start"] = keys.task()
        assert selected() == ws, "the selection stays on the candidate after every action"
        assert state()[ws] == "started"
        assert keys.focus() is panel.seating
    assert state() == {"PC-01": "started", "PC-02": "started", "PC-03": "started", "PC-04": "expected"}

    # PC-04 is absent: marked, undone (Ctrl+Z, within the minute, logged), then marked again.
    keys.press(Qt.Key.Key_Right)
    assert selected() == "PC-04"
    keys.press(Qt.Key.Key_A, CTRL | SHIFT)
    assert state()["PC-04"] == "absent" and panel.strip.can_undo()
    assert "PC-04" in panel.strip.label.text()
    keys.press(Qt.Key.Key_Z, CTRL)
    assert state()["PC-04"] == "expected", "Undo takes the absence back"
    assert any("Undone within a minute" in e.note for e in session_detail(station, session_id).entries)
    keys.press(Qt.Key.Key_A, CTRL | SHIFT)
    assert state()["PC-04"] == "absent" and selected() == "PC-04"
    keys.task()

    # A fire alarm: the chord and Enter on the empty note. Everyone, and the clock pauses.
    now[0] = datetime(2026, 12, 1, 9, 40, tzinfo=UTC)
    keys.press(Qt.Key.Key_F, CTRL | SHIFT)
    assert keys.focus() is open_form().note  # type: ignore[union-attr]
    keys.press(Qt.Key.Key_Return)
    counts["incident"] = keys.task()
    assert open_form() is None
    fire = [e for e in session_detail(station, session_id).entries if e.type == "fire_alarm"]
    assert len(fire) == 1 and fire[0].candidates.count("(R") == 4
    assert "clock paused for 3 working candidate(s)" in panel.strip.label.text()
    now[0] += timedelta(minutes=15)
    keys.press(Qt.Key.Key_R, CTRL | ALT)
    keys.task()

    # A question issue for PC-02: two seats to the left, the chord, number, Tab, text, Ctrl+Enter.
    keys.press(Qt.Key.Key_Left)
    keys.press(Qt.Key.Key_Left)
    assert selected() == "PC-02"
    keys.task()
    keys.press(Qt.Key.Key_Q, CTRL | SHIFT)
    form = open_form()
    assert form is not None and form.windowTitle().endswith("PC-02 Tomasz Nowak")
    keys.type("12")
    keys.press(Qt.Key.Key_Tab)
    assert keys.focus() is form.note  # type: ignore[attr-defined]
    keys.type("Diagram 3 does not load")
    keys.press(Qt.Key.Key_Return, CTRL)
    counts["question issue"] = keys.task()
    question = [e for e in build_record(station, session_id).entries if e.type == "question_issue"]
    assert len(question) == 1 and question[0].question_number == "12"
    assert question[0].candidates == ["Tomasz Nowak (R1000002)"]
    assert question[0].assessment_id == "MOT-4-A", "the assessment the selected candidate is sitting"
    assert selected() == "PC-02"

    # PC-03 submits early (a note this time), then everyone finishes where they sit.
    keys.press(Qt.Key.Key_Right)
    keys.press(Qt.Key.Key_S, CTRL | SHIFT)
    keys.type("Submitted after 25 minutes")
    keys.press(Qt.Key.Key_Return, CTRL)
    early = [e for e in session_detail(station, session_id).entries if e.type == "submitted_early"]
    assert len(early) == 1 and "R1000003" in early[0].candidates and "R1000002" not in early[0].candidates
    for move, ws in ((None, "PC-03"), (Qt.Key.Key_Left, "PC-02"), (Qt.Key.Key_Home, "PC-01")):
        if move is not None:
            keys.press(move)
        assert selected() == ws
        keys.press(Qt.Key.Key_N, CTRL | SHIFT)
        assert state()[ws] == "finished" and selected() == ws
    assert state() == {"PC-01": "finished", "PC-02": "finished", "PC-03": "finished", "PC-04": "absent"}
    keys.task()

    # Sign-off: the summary, the declaration ticked with Space, Ctrl+Enter.
    keys.press(Qt.Key.Key_S, CTRL | ALT)
    form = open_form()
    assert form is not None and "entries" in form.findChild(object, "signOffSummary").text()  # type: ignore[union-attr]
    keys.press(Qt.Key.Key_Return, CTRL)
    assert open_form() is form, "not signed until the declaration is ticked"
    keys.press(Qt.Key.Key_Space)
    keys.press(Qt.Key.Key_Return, CTRL)
    assert open_form() is None
    record = build_record(station, session_id)
    assert record.signed_off_by == "Alex Patel"
    row = window.session_view.currentIndex().row()
    assert window.sessions.data(window.sessions.index(row, 3)) == "Closed", "the sessions list says so at once"
    assert {c.registration_number: c.outcome for c in record.candidates} == {
        "R1000001": "finished",
        "R1000002": "finished",
        "R1000003": "finished",
        "R1000004": "absent",
    }

    # The goals of docs/keyboard.md.
    assert counts["incident"] == 2, counts
    assert counts["identity check + start"] <= 4, counts
    assert counts["question issue"] == 5, counts


def test_tab_goes_plan_candidates_log_checklist_and_back(qtbot, session_window) -> None:
    window, _station, _session_id, _now = session_window
    keys = Keyboard(qtbot)
    panel = window.panel
    assert keys.focus() is panel.seating
    path = [panel.seating, panel.allocation_view, panel.entry_view, panel.checklist.first_field()]
    for expected in path[1:]:
        keys.press(Qt.Key.Key_Tab)
        assert keys.focus() is expected
        assert panel.tabs.currentWidget().isAncestorOf(expected) or panel.tabs.currentWidget() is expected
    for expected in reversed(path[:-1]):
        keys.press(Qt.Key.Key_Backtab, SHIFT)
        assert keys.focus() is expected
    # Through the checklist to Save, then out of the console.
    keys.press(Qt.Key.Key_H, ALT)
    assert keys.focus() is panel.checklist.first_field()
    for _ in range(2 * len(panel.checklist.answers)):
        keys.press(Qt.Key.Key_Tab)
    assert keys.focus() is panel.checklist.save_button
    keys.press(Qt.Key.Key_Tab)
    assert not panel.isAncestorOf(keys.focus()), "Tab leaves the console after Save"
