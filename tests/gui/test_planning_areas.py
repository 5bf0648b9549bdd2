"""Rooms, Planner and Day areas on a real temporary store: what is stored, and screenshots."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QPointF, Qt, QTime
from PySide6.QtWidgets import QApplication

from invigilator_app.domain.enums import Role
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.rooms import get_layout
from invigilator_app.services.console.sessions import list_sessions, session_detail
from invigilator_app.services.planning.plans import plan_session
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.rooms import RoomsArea
from invigilator_app.ui.planning.day import DayArea
from invigilator_app.ui.planning.planner import PlannerArea
from tests.gui.admin_fakes import FakeAsk
from tests.helpers import PASSWORD, seeded
from tests.services.admin_fixtures import DAY, request, seat

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    opened = open_station(seeded(tmp_path), PASSWORD)
    plan_session(
        opened,
        request(
            seat("R1000001", "PC-01", "EV1-A", "603/1465/5", planned_minutes=45),
            seat("R1000002", "PC-03", "MOT-4-A", "601/8928/9", planned_minutes=60),
        ),
    )
    yield opened
    opened.close()


def _shot(widget, name: str) -> None:
    """Shown at its working size; saved into docs/screenshots only when asked
    (INVIGILATOR_SCREENSHOTS=1), so a test run never changes the repository."""
    widget.resize(1366, 700)
    widget.show()
    if os.environ.get("INVIGILATOR_SCREENSHOTS"):
        widget.grab().save(str(SHOTS / name))


def test_the_layout_editor_shows_room1_live_and_saves_the_layout(qtbot, station: Station, tmp_path: Path) -> None:
    area = RoomsArea(station)
    qtbot.addWidget(area)
    assert area.room == "IT Suite" and area.model.rowCount() == 6
    area.table.selectRow(1)
    area.x_spin.setValue(0.9)  # PC-02 now 0.9 m from PC-01
    assert "PC-01 and PC-02 are 0.90 m apart" in area.room1.text()
    assert not area.save_button.isEnabled()
    _shot(area, "rooms-room1-refused.png")
    area.filter_box.setChecked(True)
    assert area.save_button.isEnabled() and "every pair" in area.room1.text()
    area.desk_x.setValue(2.0)
    area.desk_y.setValue(5.5)
    area.save_button.click()
    saved = get_layout(station, "IT Suite")
    pc2 = next(w for w in saved.workstations if w.label == "PC-02")
    assert (pc2.x, pc2.privacy_filter, saved.desk) == (0.9, True, (2.0, 5.5))
    area.ask = FakeAsk(save_file=tmp_path / "layout.pdf")  # type: ignore[assignment]
    area.print_pdf()
    assert "Room layout: IT Suite" in PdfReader(tmp_path / "layout.pdf").pages[0].extract_text()
    _shot(area, "rooms-layout-editor.png")


def test_workstations_are_dragged_on_the_grid_and_moved_by_keys(qtbot, station: Station) -> None:
    area = RoomsArea(station)
    qtbot.addWidget(area)
    area.resize(1366, 700)
    area.show()
    qtbot.waitExposed(area)
    canvas = area.canvas
    start = canvas.to_screen(4.0, 2.0)  # PC-06
    end = canvas.to_screen(5.0, 3.0)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start.toPoint())
    from PySide6.QtGui import QMouseEvent

    move = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(end),
        QPointF(canvas.mapToGlobal(end.toPoint())),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    canvas.mouseMoveEvent(move)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end.toPoint())
    moved = next(w for w in canvas.workstations if w.label == "PC-06")
    assert (abs(moved.x - 5.0) < 0.11, abs(moved.y - 3.0) < 0.11) == (True, True)
    qtbot.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert next(w for w in canvas.workstations if w.label == "PC-06").x == pytest.approx(moved.x + 0.5)
    assert area.x_spin.value() == pytest.approx(moved.x + 0.5), "the typed coordinates follow the drag"
    area.ask = FakeAsk(text="Workshop 3")  # type: ignore[assignment]
    area.add_room()
    area.add_workstation()
    area.add_workstation()
    area.save_button.click()
    assert [w.label for w in get_layout(station, "Workshop 3").workstations] == ["PC-01", "PC-02"]


def _add(area: PlannerArea, reg: str, assessment: str) -> None:
    area.candidate.setCurrentIndex(area.candidate.findText(reg, Qt.MatchFlag.MatchContains))
    area.assessment.setCurrentIndex(area.assessment.findText(assessment, Qt.MatchFlag.MatchStartsWith))
    area.add_line()


def test_the_planner_checks_as_the_plan_changes_and_saves_only_without_blocks(qtbot, station: Station) -> None:
    area = PlannerArea(station)
    qtbot.addWidget(area)
    area.day.setDate(QDate(DAY))
    area.start.setTime(QTime(14, 0))
    area.room.setCurrentText("IT Suite")
    area.invigilator.setCurrentText("Alex Patel")
    for reg, assessment in (("R1000001", "EV1-A"), ("R1000003", "MOT-4-A"), ("R1000004", "MOT-4-A")):
        _add(area, reg, assessment)
    qtbot.waitUntil(lambda: not area.timer.isActive(), timeout=2000)
    assert "Not seated yet" in area.summary.text() and not area.save_button.isEnabled()
    area.assign()
    seats = {p.registration_number: p.workstation for p in area.lines.rows()}
    assert seats == {"R1000001": "PC-02", "R1000003": "PC-01", "R1000004": "PC-03"}
    assert area.lines.rows()[2].why_seat.startswith("first free workstation in label order not beside")
    qtbot.waitUntil(lambda: not area.timer.isActive(), timeout=2000)
    rules = {(v.rule_id, v.severity.value) for v in area.violations}
    assert {("CAND-4", "warn"), ("CAND-5", "warn")} <= rules
    assert area.save_button.isEnabled(), "warnings do not block"
    area.table.selectRow(0)  # Jane Smith: a second EV1 assessment the same day is fine, a third is not
    plan_session(station, request(seat("R1000001", "PC-02", "EV1-B", "603/1465/5"), start=time(11, 0)))
    area.changed()
    qtbot.waitUntil(
        lambda: ("CAND-3", "block") in {(v.rule_id, v.severity.value) for v in area.violations}, timeout=2000
    )
    assert not area.save_button.isEnabled()
    assert area.rules.data(area.rules.index(0, 0)) == "BLOCK" and area.rules.data(area.rules.index(0, 1)) == "CAND-3"
    _shot(area, "planner-blocked.png")
    area.remove_line()
    area.notice_all()
    area.table.selectRow(0)
    area.ready.setChecked(True)
    area.table.selectRow(1)
    area.ready.setChecked(True)
    area.check()
    assert area.violations == [] and area.save_button.isEnabled()
    area.save_button.click()
    assert "Saved session" in area.status.text()
    saved = next(s for s in list_sessions(station) if s.start == "14:00")
    detail = session_detail(station, saved.id)
    assert {(a.registration_number, a.workstation) for a in detail.allocations} == {
        ("R1000003", "PC-01"),
        ("R1000004", "PC-03"),
    }


def test_a_session_is_copied_to_another_date(qtbot, station: Station) -> None:
    area = PlannerArea(station)
    qtbot.addWidget(area)
    area.copy_from.setCurrentIndex(area.copy_from.findData(list_sessions(station)[0].id))
    area.copy_day.setDate(QDate(2026, 12, 15))
    area.copy()
    assert "Copied to Tue 15 Dec 2026" in area.status.text() and "CAND-4" in area.status.text()
    assert [s.day for s in list_sessions(station)] == [DAY, date(2026, 12, 15)]


def test_the_day_view_shows_every_room_and_each_candidates_count(qtbot, station: Station) -> None:
    plan_session(
        station,
        request(
            seat("R1000001", "PC-02", "EV1-B", "603/1465/5", planned_minutes=30),
            start=time(13, 0),
            room="Workshop",
            layout=request().workstations,
        ),
    )
    area = DayArea(station)
    qtbot.addWidget(area)
    area.day.setDate(QDate(DAY))
    assert area.timeline.view is not None and area.timeline.view.rooms == ["IT Suite", "Workshop"]
    assert area.sessions.rowCount() == 2
    assert area.candidates.data(area.candidates.index(0, 1)) == "2"
    assert area.summary.text() == "2 session(s) in 2 room(s), 2 candidate(s)"
    _shot(area, "day-view.png")


def test_areas_are_registered_for_the_right_roles() -> None:
    from invigilator_app.ui.areas import _areas

    found = {a.key: a.roles for a in _areas()}
    assert list(found)[:6] == ["candidates", "catalogue", "rooms", "planner", "users", "day"]
    assert Role.INSPECTOR in found["candidates"] and Role.INSPECTOR in found["day"]
    coordinator_only = ("catalogue", "rooms", "planner", "users", "review")
    assert all(roles == (Role.COORDINATOR,) for key, roles in found.items() if key in coordinator_only)


def test_the_candidate_chosen_in_the_planner_list_is_the_one_added(qtbot, station: Station) -> None:
    area = PlannerArea(station)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.assessment.setCurrentIndex(area.assessment.findText("EV1-A", Qt.MatchFlag.MatchStartsWith))
    found = area.candidate.findText("R1000003", Qt.MatchFlag.MatchContains)
    assert found > 0
    area.candidate.setCurrentIndex(found - 1)
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    area.candidate.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # the next one in the list, by the keyboard
    assert "R1000003" in area.candidate.currentText()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # &Add
    qtbot.waitUntil(lambda: area.lines.rowCount() == 1)  # a mnemonic clicks the button after a moment
    assert [p.registration_number for p in area.lines.rows()] == ["R1000003"]
    assert area.lines.rows()[0].name in area.candidate.currentText()
