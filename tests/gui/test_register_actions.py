"""The register and rest breaks from the console, with the keyboard only: late arrival
(Ctrl+Alt+L), transfer (Ctrl+Alt+T) and a supervised rest break (Ctrl+Alt+B starts it, the
same key ends it). Every key goes to the focused widget; each action lands on the selected
candidate, the Candidates tab's register shows it, and the selection stays."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QMessageBox

from invigilator_app.services.access import open_station
from invigilator_app.services.console import clock
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.review.records import build_record
from invigilator_app.ui.main_window import MainWindow
from tests.gui.test_keyboard_session import ALT, CTRL, SHIFT, Keyboard, open_form
from tests.helpers import PASSWORD, cli, plan, seeded, write_json

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "console"


@pytest.fixture(autouse=True)
def no_windows_left_over() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.close()
    QApplication.processEvents()


def _plan(data_dir: Path, tmp_path: Path, data: dict, name: str) -> int:
    path = write_json(tmp_path / name, data)
    res = cli("--data-dir", data_dir, "--password-stdin", "session", "plan", path, stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    return int(res.out)


@pytest.fixture
def console(qtbot, tmp_path: Path):
    data_dir = seeded(tmp_path)
    data = plan(start="09:30", regs=("R1000001", "R1000002", "R1000003", "R1000004"))
    for c in data["candidates"]:
        c["planned_minutes"] = 60
    data["candidates"][1]["access_arrangements"] = {"rest_breaks": True}
    session_id = _plan(data_dir, tmp_path, data, "morning.json")
    later = plan(start="14:00", regs=("R1000003",))
    later["candidates"][0]["planned_minutes"] = 60
    afternoon = _plan(data_dir, tmp_path, later, "afternoon.json")
    now = [datetime(2026, 12, 1, 9, 10, tzinfo=UTC)]
    # The coordinator runs the console (transfers are the coordinator's).
    station = open_station(data_dir, PASSWORD, clock=lambda: now[0])
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    # The sessions list is newest first: the morning session is the second row.
    window.session_view.setCurrentIndex(window.sessions.index(1, 0))
    assert window.panel.detail is not None and window.panel.detail.summary.id == session_id
    return window, station, session_id, afternoon, now


def test_late_arrival_transfer_and_rest_break_by_keyboard(qtbot, console) -> None:
    window, station, session_id, afternoon, now = console
    keys = Keyboard(qtbot)
    panel = window.panel

    def register() -> dict[str, str]:
        return {a.workstation: a.register for a in session_detail(station, session_id).allocations}

    def shown_register(ws: str) -> str:
        model = panel.allocations
        column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("Register")
        row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == ws)
        return str(model.data(model.index(row, column)))

    def selected() -> str:
        chosen = panel.selected_allocation()
        assert chosen is not None
        return chosen.workstation

    keys.press(Qt.Key.Key_P, ALT)
    assert keys.focus() is panel.seating
    keys.press(Qt.Key.Key_Home)
    assert selected() == "PC-01"
    name = panel.selected_allocation().candidate_name  # type: ignore[union-attr]
    assert window.candidate_actions["late"].text() == f"Late arrival… — PC-01 {name}"

    # Late arrival: the chord, a note, Enter. The register shows the arrival time.
    now[0] = datetime(2026, 12, 1, 9, 47, tzinfo=UTC)
    keys.press(Qt.Key.Key_L, CTRL | ALT)
    form = open_form()
    assert form is not None and form.windowTitle() == f"Late arrival — PC-01 {name}"
    keys.type("Bus delayed")
    keys.press(Qt.Key.Key_Return)
    assert open_form() is None
    assert register()["PC-01"] == "late (arrived 09:47)"
    assert shown_register("PC-01") == "late (arrived 09:47)", "the Candidates tab shows it at once"
    assert set(register().values()) - {"late (arrived 09:47)"} == {"not yet marked"}, "no one else"
    late = [e for e in session_detail(station, session_id).entries if e.type == "late_arrival"]
    assert len(late) == 1 and "R1000001" in late[0].candidates and "Bus delayed" in late[0].note
    assert selected() == "PC-01" and keys.focus() is panel.seating

    # A candidate without supervised rest breaks: the key says why, and nothing is written.
    keys.press(Qt.Key.Key_B, CTRL | ALT)
    warnings = [b for b in window.dialogs.parent.findChildren(QMessageBox) if b.isVisible()]
    assert warnings and "no supervised rest breaks" in warnings[-1].text()
    assert keys.focus().window() is warnings[-1], "the warning has the keyboard; Enter closes it"
    keys.press(Qt.Key.Key_Return)
    assert not [b for b in window.dialogs.parent.findChildren(QMessageBox) if b.isVisible()]
    assert not any("rest break" in e.note for e in session_detail(station, session_id).entries)

    # PC-02 has supervised rest breaks: the room checklist, then identity check, logged on,
    # start; then a break.
    keys.press(Qt.Key.Key_C, CTRL | ALT)
    for _rule in list(panel.checklist.answers):
        keys.type("Y")
        keys.press(Qt.Key.Key_Tab)
        keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Return, CTRL)
    assert "complete" in panel.checklist.status.text()
    keys.press(Qt.Key.Key_P, ALT)
    keys.press(Qt.Key.Key_Right)
    assert selected() == "PC-02"
    keys.press(Qt.Key.Key_K, CTRL | SHIFT)
    keys.press(Qt.Key.Key_Return, CTRL)
    keys.press(Qt.Key.Key_G, CTRL | SHIFT)
    now[0] = datetime(2026, 12, 1, 9, 50, tzinfo=UTC)
    keys.press(Qt.Key.Key_T, CTRL | SHIFT)
    before = next(c for c in clock.session_clock(station, session_id).candidates if c.workstation == "PC-02")
    assert before.planned_finish == "10:50"
    now[0] = datetime(2026, 12, 1, 10, 5, tzinfo=UTC)
    keys.press(Qt.Key.Key_B, CTRL | ALT)
    on_break = next(c for c in clock.session_clock(station, session_id).candidates if c.workstation == "PC-02")
    assert on_break.paused_now
    assert not any(
        c.paused_now for c in clock.session_clock(station, session_id).candidates if c.workstation != "PC-02"
    )
    assert "rest break started" in panel.strip.label.text() and selected() == "PC-02"
    now[0] = datetime(2026, 12, 1, 10, 17, tzinfo=UTC)
    keys.press(Qt.Key.Key_B, CTRL | ALT)
    after = next(c for c in clock.session_clock(station, session_id).candidates if c.workstation == "PC-02")
    assert not after.paused_now and after.planned_finish == "11:02", "the finish moves on by the 12-minute break"
    notes = [e.note for e in build_record(station, session_id).entries if "R1000002" in " ".join(e.candidates)]
    assert any("rest break started" in n.lower() for n in notes)
    assert any("ended after 12 min" in n for n in notes)
    assert selected() == "PC-02"

    # Transfer PC-03 to the afternoon session, where they are planned: choose it, Tab, the reason.
    keys.press(Qt.Key.Key_Right)
    assert selected() == "PC-03"
    third = panel.selected_allocation().candidate_name  # type: ignore[union-attr]
    keys.press(Qt.Key.Key_T, CTRL | ALT)
    form = open_form()
    assert form is not None and form.windowTitle() == f"Transfer — PC-03 {third}"
    assert isinstance(keys.focus(), QComboBox) and keys.focus().currentText().startswith(f"Session {afternoon} — ")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Room too cold for the candidate")
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert form.grab().save(str(SHOTS / "form-transfer.png"))
    keys.press(Qt.Key.Key_Return, CTRL)
    assert open_form() is None
    wanted = f"transferred to session {afternoon}: Room too cold for the candidate"
    assert register()["PC-03"] == wanted and shown_register("PC-03") == wanted
    assert register()["PC-04"] == "not yet marked"
    assert selected() == "PC-03"
    record = {c.registration_number: c for c in build_record(station, session_id).candidates}
    assert "transferred" in str(vars(record["R1000003"]))

    # The Candidate menu with the new actions, drawn under its title, for docs/screenshots/console/.
    menu = next(m for m in window.console.menus if m.title().replace("&", "") == "Candidate")
    menu.adjustSize()
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(window.menuBar().actionGeometry(menu.menuAction()).bottomLeft(), menu.grab())
    painter.end()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert shot.save(str(SHOTS / "candidate-register-actions.png"))
