"""The quality file in the GUI, driven with key events on a real temporary store: a visit
with an action that ends up in the overdue list, the start-up bar, and the inspector's
visit dashboard (integrity, sessions, the sampling plan ticked off, a record one click
away, the sign-off of an action)."""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QWidget

from invigilator_app.services.quality import actions, visits
from invigilator_app.ui.main_window import MainWindow
from invigilator_app.ui.quality.area import QualityArea
from invigilator_app.ui.quality.dashboard import VisitDashboard
from tests.review_helpers import INSPECTOR, coordinator, demo_store, inspector

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


class FakeDialogs:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.path: Path | None = None
        self.errors: list[str] = []

    def text(self, title: str, label: str) -> str | None:
        return self.texts.pop(0) if self.texts else None

    def open_file(self, title: str) -> Path | None:
        return self.path

    def save_file(self, title: str, suggested: str, filters: str = "") -> Path | None:
        return self.path

    def info(self, title: str, text: str) -> None:
        pass

    def error(self, title: str, text: str) -> None:
        self.errors.append(text)


def shot(widget: QWidget, name: str) -> None:
    if os.environ.get("INVIGILATOR_SCREENSHOTS"):
        QApplication.processEvents()
        widget.grab().save(str(SHOTS / name))


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    return demo_store(tmp_path)


def press(qtbot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def test_a_visit_with_an_action_shows_in_the_overdue_list(qtbot, store: tuple[Path, str], tmp_path: Path) -> None:
    station = coordinator(*store)
    area = QualityArea(station)
    qtbot.addWidget(area)
    area.resize(1366, 740)
    area.show()
    area.activateWindow()
    qtbot.waitActive(area)
    fake = FakeDialogs()
    area.dialogs = area.visits.dialogs = area.complaints.dialogs = area.deadlines.dialogs = fake  # type: ignore[assignment]
    page = area.visits
    assert not area.warning.isVisible() and page.visits.rowCount() == 0
    page.eqa_name.setFocus()
    qtbot.keyClicks(page.eqa_name, "Pat Quinn")
    page.planned_on.setDate(QDate(2026, 11, 10))
    page.period_from.setDate(QDate(2026, 11, 1))
    page.period_to.setDate(QDate(2026, 11, 9))
    page.plan.known.setFocus()
    qtbot.keyClick(page.plan.known, Qt.Key.Key_Space)
    page.plan.edit.setDate(QDate(2026, 10, 30))
    page.inspector.setFocus()
    qtbot.keyClick(page.inspector, Qt.Key.Key_Down)
    assert page.inspector.currentData() == INSPECTOR
    press(qtbot, page.findChild(QWidget, "save_visit"))
    assert not fake.errors, fake.errors
    assert page.visits.rowCount() == 1 and page.visits.row_at(0).inspector == INSPECTOR
    assert page.visits.data(page.visits.index(0, 5)) == "30 Oct 2026, 11 days before"
    page.inspector.setCurrentIndex(0)
    press(qtbot, page.findChild(QWidget, "link_inspector"))
    assert page.visits.row_at(0).inspector == ""
    page.inspector.setCurrentIndex(1)
    press(qtbot, page.findChild(QWidget, "link_inspector"))
    assert page.visits.row_at(0).inspector == INSPECTOR and not fake.errors
    page.action_text.setFocus()
    qtbot.keyClicks(page.action_text, "Update the IQA strategy to cover online assessments")
    page.action_due.setDate(QDate(2026, 11, 20))
    press(qtbot, page.findChild(QWidget, "add_action"))
    qtbot.keyClicks(page.action_text, "Retrain invigilators on identity checks")
    page.action_due.setDate(QDate(2026, 11, 27))
    press(qtbot, page.findChild(QWidget, "add_action"))
    page.sample_kind.setCurrentText("session")
    page.sample_session.setValue(1)
    press(qtbot, page.findChild(QWidget, "add_sample"))
    assert page.action_rows.rowCount() == 2 and page.samples.rowCount() == 1 and not fake.errors
    assert area.warning.isVisible() and "3 days overdue" in area.warning.text() and "4 days left" in area.warning.text()
    shot(area, "quality-visits.png")
    area.tabs.setFocus()
    qtbot.keyClick(area.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert area.tabs.currentWidget() is area.actions_page
    listed = [area.actions_page.model.row_at(i) for i in range(area.actions_page.model.rowCount())]
    assert [(a.state, a.when) for a in listed] == [("overdue", "3 days overdue"), ("due soon", "4 days left")]
    assert "1 overdue" in area.actions_page.summary.text()
    shot(area, "quality-actions.png")
    # done, then the EQA's sign-off recorded with its reference: no longer open
    qtbot.keyClick(area.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    page.action_view.selectRow(0)
    press(qtbot, page.findChild(QWidget, "mark_done"))
    fake.texts = ["Hub engagement form EF-2231"]
    press(qtbot, page.findChild(QWidget, "record_signoff"))
    assert not fake.errors, fake.errors
    fake.path = tmp_path / "visit.pdf"
    press(qtbot, page.findChild(QWidget, "export_report"))
    assert fake.path.read_bytes().startswith(b"%PDF")
    area.tabs.setCurrentWidget(area.actions_page)
    assert area.actions_page.model.rowCount() == 1 and area.actions_page.model.row_at(0).state == "due soon"
    area.close()
    station.close()


def test_the_complaints_register_and_malpractice_deadlines(qtbot, store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    area = QualityArea(station)
    qtbot.addWidget(area)
    area.resize(1366, 740)
    area.show()
    fake = FakeDialogs()
    area.complaints.dialogs = area.deadlines.dialogs = fake  # type: ignore[assignment]
    area.tabs.setCurrentWidget(area.complaints)
    page = area.complaints
    page.incident.setDate(QDate(2026, 11, 16))
    page.complainant.setFocus()
    qtbot.keyClicks(page.complainant, "Parent of R4410230")
    qtbot.keyClicks(page.candidate, "R4410230")
    qtbot.keyClicks(page.sessions, "1")
    qtbot.keyClicks(page.summary_edit, "Noise from the corridor during the assessment")
    press(qtbot, page.findChild(QWidget, "record_complaint"))
    assert not fake.errors, fake.errors
    row = page.model.row_at(0)
    assert row.standing == "within 90 days" and row.session_ids == [1] and row.last_day == date(2027, 5, 16)
    qtbot.keyClicks(page.sessions, "one")
    press(qtbot, page.findChild(QWidget, "record_complaint"))
    assert "Sessions: 'one' is not a list" in fake.errors[-1] and page.model.rowCount() == 1
    page.sessions.clear()
    shot(area, "quality-complaints.png")
    from invigilator_app.services.review import malpractice
    from invigilator_app.services.review.search import EntryFilters, search_entries

    malpractice.draft_report(station, [search_entries(station, EntryFilters(type="submitted_early"))[0].id])
    area.tabs.setCurrentWidget(area.deadlines)
    deadlines = area.deadlines
    assert deadlines.model.rowCount() == 1 and deadlines.model.row_at(0).when == "due today"
    deadlines.view.selectRow(0)
    fake.texts = ["QC-2026-118"]
    press(qtbot, deadlines.findChild(QWidget, "record_told"))
    assert deadlines.model.row_at(0).when == "told 23 Nov 2026" and len(fake.errors) == 1
    shot(area, "quality-malpractice-deadlines.png")
    area.close()
    station.close()


def test_the_inspector_opens_on_the_visit_and_works_through_the_plan(qtbot, store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        visit = visits.record_visit(
            station,
            visits.VisitInput(
                "Pat Quinn",
                date(2026, 11, 23),
                date(2026, 11, 1),
                date(2026, 11, 23),
                sampling_plan_received_on=date(2026, 11, 9),
                inspector=INSPECTOR,
            ),
        )
        visits.add_sample(station, visit.id, visits.SampleInput("session", session_id=1))
        visits.add_sample(station, visit.id, visits.SampleInput("candidate", registration_number="R4410230"))
        action = actions.add_action(station, visit.id, "Label the spare PCs", date(2026, 11, 30))
        actions.mark_done(station, action.id, date(2026, 11, 23))
        actions.add_action(station, visit.id, "Move PC-07 away from the window", date(2026, 11, 26))
    finally:
        station.close()
    window = MainWindow(inspector(store[0]))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.current_area() == "visit"
    board = window.area_pages["visit"]
    assert isinstance(board, VisitDashboard)
    assert board.integrity.text().startswith("OK: every page") and "fingerprint" in board.integrity.text()
    assert [board.sessions.row_at(i).id for i in range(board.sessions.rowCount())] == [1, 2, 3]
    assert (
        window.quality_due is not None
        and "3 days left" in window.quality_due.findChild(QWidget, "qualityDueText").text()
    )
    # one click on a session: its record beside the list
    index = board.sessions.index(0, 0)
    rect = board.session_view.visualRect(index)
    qtbot.mouseClick(board.session_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "Record of session 1" in board.record_heading.text() and board.allocations.rowCount() > 0
    # the sampling plan ticked off with the keyboard
    board.sample_view.selectRow(0)
    press(qtbot, board.findChild(QWidget, "looked_at"))
    assert board.samples.row_at(0).looked_at and board.samples.row_at(0).looked_by == INSPECTOR
    assert "1/2" in board.lists.tabText(0)
    # the done action signed off by the inspector in the app
    board.lists.setCurrentIndex(board.lists.count() - 1)
    done_row = next(i for i in range(board.open_actions.rowCount()) if board.open_actions.row_at(i).state == "done")
    board.views["actions"].selectRow(done_row)
    press(qtbot, board.findChild(QWidget, "sign_off_action"))
    assert board.open_actions.rowCount() == 1, "signed off: no longer open"
    board.lists.setCurrentIndex(0)
    shot(window, "visit-dashboard-inspector.png")
    window.lock()
    assert not window.quality_due.isVisible(), "locked: the bar naming what is due is hidden too"
    window.close()


def test_a_remote_session_shows_locations_and_checks_id_to_camera(qtbot, store: tuple[Path, str]) -> None:
    from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator
    from invigilator_app.services.planning.plans import PlannedCandidate
    from invigilator_app.services.planning.remote import RemoteCandidate, RemotePlanRequest, plan_remote_session
    from invigilator_app.ui.console.record_dialogs import IdentityDialog

    station = coordinator(*store)
    try:
        wanted = [("R4410314", "Home, 14 Mill Lane, Leeds"), ("R4410321", "Workplace, Unit 7, Hull")]
        session_id = plan_remote_session(
            station,
            RemotePlanRequest(
                date(2026, 11, 24),
                time(9, 30),
                "IT Suite",
                PlannedInvigilator("Alex Patel", "IMI-INV-70231", False, True),
                tuple(
                    RemoteCandidate(
                        PlannedCandidate(
                            reg,
                            "MOT4-ONL-02",
                            "601/8928/9",
                            "",
                            notice_date=date(2026, 11, 1),
                            readiness_confirmed=True,
                        ),
                        where,
                    )
                    for reg, where in wanted
                ),
            ),
        ).session_id
    finally:
        station.close()
    window = MainWindow(coordinator(*store))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    row = next(i for i in range(window.sessions.rowCount()) if window.sessions.row_at(i).id == session_id)
    window.session_view.setFocus()
    window.session_view.selectRow(row)
    panel = window.panel
    assert panel.tabs.tabText(0) == "Loca&tions" and panel.first.currentWidget() is panel.location_view
    assert "remotely invigilated" in panel.title.text() and panel.tabs.tabText(3) == "Remote c&hecklist"
    assert [panel.locations.row_at(i).workstation for i in range(2)] == [w for _, w in wanted]
    panel.location_view.selectRow(1)
    chosen = panel.selected_allocation()
    assert chosen is not None and chosen.registration_number == "R4410321"
    dialog = IdentityDialog(chosen)
    qtbot.addWidget(dialog)
    assert [dialog.method.itemData(i) for i in range(dialog.method.count())] == ["id_to_camera", "known_to_invigilator"]
    shot(window, "console-remote-session.png")
    window.close()


def test_the_coordinator_plans_a_remote_session_in_the_gui(qtbot, store: tuple[Path, str]) -> None:
    from invigilator_app.services.console.sessions import session_detail
    from invigilator_app.ui.planning.remote import RemotePlannerArea

    station = coordinator(*store)
    area = RemotePlannerArea(station)
    qtbot.addWidget(area)
    area.resize(1366, 700)
    area.show()
    fake = FakeDialogs()
    area.dialogs = fake  # type: ignore[assignment]
    area.day.setDate(QDate(2026, 11, 24))
    assert area.invigilator.currentText() == "Alex Patel" and area.pin.text() == "IMI-INV-70231"
    area.set_row(0, ("r4410314", "MOT4-ONL-02", "601/8928/9", "Home, 14 Mill Lane, Leeds"))
    area.set_row(1, ("R4410321", "MOT4-ONL-02", "601/8928/9", "home, 14 mill lane, leeds"))
    press(qtbot, area.findChild(QWidget, "plan_remote"))
    assert "already R4410314's" in fake.errors[-1] and "Not saved" in area.status.text()
    area.set_row(1, ("R4410321", "MOT4-ONL-02", "601/8928/9", "Workplace, Unit 7, Hull"))
    shot(area, "remote-session-planner.png")
    press(qtbot, area.findChild(QWidget, "plan_remote"))
    assert "Planned remote session" in area.status.text(), area.status.text()
    session_id = int(area.status.text().split("session ")[1].split(".")[0])
    detail = session_detail(station, session_id)
    assert detail.remote and [a.workstation for a in detail.allocations] == [
        "Home, 14 Mill Lane, Leeds",
        "Workplace, Unit 7, Hull",
    ]
    area.close()
    station.close()
