"""A locked station shows nothing of the session: the attacks, with real key events.

- the auto-lock fires while the question-issue form (every candidate's name) is open;
- every menu shortcut is pressed on the lock screen (Ctrl+Shift+Q listed the whole room,
  Ctrl+Alt+A asked "Which field of Oliver Bennett's attempt is wrong?");
- F11 on the lock screen (an uncaught error);
- a relief invigilator takes over at the lock screen, and the record shows the change-over."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTableWidget,
)

from invigilator_app.services.access import open_station
from invigilator_app.services.admin.accounts import add_user
from invigilator_app.services.demo import NAMES, build_demo
from invigilator_app.services.review.records import build_record, signed_record_pdf
from invigilator_app.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogs, select_workstation

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
RELIEF = ("Bea Relief", "bea keeps watch over the room")
TYPED = "Candidate at PC-01 says question 4 shows no diagram"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir, password = build_demo(tmp_path_factory.mktemp("lockdemo") / "demo")
    station = open_station(data_dir, password)
    try:
        add_user(station, RELIEF[0], "invigilator", RELIEF[1], imi_pin="IMI-PIN-5150")
    finally:
        station.close()
    (data_dir / "password.txt").write_text(password, encoding="utf-8")
    return data_dir


@pytest.fixture
def window(qtbot, store: Path) -> MainWindow:
    password = (store / "password.txt").read_text(encoding="utf-8")
    win = MainWindow(open_station(store, password))
    win.password_for_test = password  # type: ignore[attr-defined]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    running = next(i for i in range(win.sessions.rowCount()) if win.sessions.row_at(i).state == "running")
    win.session_view.selectRow(running)
    select_workstation(win, "PC-01")
    win.idle_limit_seconds = 3600.0
    return win


def shown_text() -> str:
    """Every piece of text on screen, in every visible window."""
    parts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        parts.append(top.windowTitle())
        parts += [w.text() for w in top.findChildren(QLabel) if w.isVisible()]
        parts += [w.text() for w in top.findChildren(QLineEdit) if w.isVisible()]
        parts += [w.toPlainText() for w in top.findChildren(QPlainTextEdit) if w.isVisible()]
        for table in top.findChildren(QTableWidget):
            if table.isVisible():
                parts += [
                    table.item(r, c).text()
                    for r in range(table.rowCount())
                    for c in range(table.columnCount())
                    if table.item(r, c)
                ]
        for view in top.findChildren(QTableView):
            if view.isVisible() and view.model() is not None:
                m = view.model()
                parts += [str(m.index(r, c).data() or "") for r in range(m.rowCount()) for c in range(m.columnCount())]
    return "\n".join(parts)


def assert_nothing_of_the_session(window: MainWindow) -> None:
    assert window.locked and window.station.locked
    others = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert others == [], [w.windowTitle() for w in others]
    text = shown_text()
    for _first, last in NAMES:
        assert last not in text
    assert TYPED not in text


def unlock_by_keyboard(qtbot, window: MainWindow, password: str, user: str | None = None) -> None:
    screen = window.lock_screen
    if user is not None:
        screen.user.selectAll()
        qtbot.keyClicks(screen.user, user)
    qtbot.keyClicks(screen.password, password)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)


def test_a_dialog_open_at_the_auto_lock_is_put_away_and_its_text_offered_back(qtbot, window: MainWindow) -> None:
    from shiboken6 import isValid

    entries_before = window.panel.entries.rowCount()
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL_SHIFT)  # the question-issue form, listing the room
    forms = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert len(forms) == 1
    form = forms[0]
    assert any(last in shown_text() for _f, last in NAMES), "the form does list the candidates"
    qtbot.keyClicks(form.note, TYPED)
    window.idle_limit_seconds = 0.0  # the next tick of the window's own timer locks it
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    qtbot.wait(50)
    assert not isValid(form) or not form.isVisible()
    assert_nothing_of_the_session(window)

    window.dialogs = fake = FakeDialogs()
    window.idle_limit_seconds = 3600.0
    unlock_by_keyboard(qtbot, window, window.password_for_test)
    assert not window.locked
    assert fake.infos and TYPED in fake.infos[-1], "the typed text is offered back"
    assert window.panel.entries.rowCount() == entries_before, "nothing was recorded by the put-away form"


def test_a_window_that_opens_while_locked_is_put_away_at_once(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    box = QMessageBox(QMessageBox.Icon.Warning, "Oliver Bennett", "Oliver Bennett R1000001", parent=window)
    box.open()  # e.g. a late message from an area's own question
    qtbot.wait(50)
    assert not box.isVisible()
    assert_nothing_of_the_session(window)


def test_every_shortcut_on_the_lock_screen_does_nothing(qtbot, window: MainWindow) -> None:
    window.dialogs = fake = FakeDialogs()
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL_SHIFT)
    assert fake.asked, "unlocked, the shortcut opens the form (the test reaches the actions)"
    fake.asked.clear()
    entries_before = window.panel.entries.rowCount()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Lock now
    assert window.locked
    keys = sorted(
        {
            a.shortcut().toString()
            for a in window.findChildren(QAction)
            if not a.shortcut().isEmpty() and a.shortcut().toString() != "F11"
        }
    )
    assert {"Ctrl+Shift+Q", "Ctrl+Alt+A", "Ctrl+E", "Ctrl+Alt+S", "F5", "F1"} <= set(keys)
    for key in keys:
        qtbot.keySequence(window, QKeySequence(key))
        qtbot.keySequence(window.lock_screen.password, QKeySequence(key))
        assert fake.asked == [] and fake.offered == [] and fake.errors == [] and fake.infos == [], key
        assert fake.confirmations == [], key
        assert_nothing_of_the_session(window)
    window.lock_screen.password.clear()
    unlock_by_keyboard(qtbot, window, window.password_for_test)
    assert not window.locked, (window.lock_screen.message.text(), window.lock_screen.user.text())
    assert window.panel.entries.rowCount() == entries_before
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL_SHIFT)
    assert fake.asked, "the shortcuts work again after the unlock"


def test_f11_on_the_lock_screen_does_nothing_and_raises_nothing(qtbot, window: MainWindow) -> None:
    window.dialogs = fake = FakeDialogs()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    qtbot.keyClick(window, Qt.Key.Key_F11)  # raised an uncaught error before
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_F11)
    assert window.locked and window.central.currentWidget() is window.lock_screen
    assert fake.errors == [] and fake.infos == []
    assert_nothing_of_the_session(window)
    text = "\n".join(w.text() for w in window.lock_screen.findChildren(QLabel))
    assert "Session start" in text, "the lock screen keeps the exam clock"


def test_a_relief_invigilator_takes_over_at_the_lock_screen(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.dialogs = FakeDialogs()
    session_id = window.panel.detail.summary.id
    before = window.station.actor.name
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    unlock_by_keyboard(qtbot, window, "not the relief password", user=RELIEF[0])
    assert window.locked and "Wrong password" in window.lock_screen.message.text()
    unlock_by_keyboard(qtbot, window, RELIEF[1], user=RELIEF[0])
    assert not window.locked
    assert window.station.actor.name == RELIEF[0] and RELIEF[0] in window.windowTitle()
    assert window.panel.detail.summary.invigilator == RELIEF[0]
    record = build_record(window.station, session_id)
    change = [e for e in record.entries if e.type == "invigilator_change"]
    assert len(change) == 1
    assert RELIEF[0] in change[0].note and before in change[0].note and "IMI-PIN-5150" in change[0].note
    assert change[0].recorded_by == RELIEF[0]
    assert record.invigilator_name == RELIEF[0]
    pdf = PdfReader(io.BytesIO(signed_record_pdf(window.station, session_id)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Invigilator change" in text and "took over from" in text


def test_no_exception_escapes_a_shortcut(qtbot, window: MainWindow, monkeypatch) -> None:
    from invigilator_app.services.review import queue

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(queue, "review_history", broken)
    window.dialogs = fake = FakeDialogs()
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert fake.errors and "Unexpected error (RuntimeError)" in fake.errors[-1]
    assert "the disk went away" not in fake.errors[-1]


def test_an_inspector_cannot_take_over_and_nothing_is_logged(qtbot, window: MainWindow, store: Path) -> None:
    from datetime import date, timedelta

    password = window.password_for_test
    coordinator = open_station(store, password)
    try:
        add_user(
            coordinator,
            "Ivy Inspector",
            "inspector",
            "ivy reads every page slowly",
            expires=date.today() + timedelta(days=3),
        )
    finally:
        coordinator.close()
    window.dialogs = FakeDialogs()
    entries = window.panel.entries.rowCount()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    unlock_by_keyboard(qtbot, window, "ivy reads every page slowly", user="Ivy Inspector")
    assert window.locked and "cannot take over" in window.lock_screen.message.text()
    window.lock_screen.user.clear()
    unlock_by_keyboard(qtbot, window, password)
    assert not window.locked and window.panel.entries.rowCount() == entries
