"""The first GUI on a real temporary store: unlock, sessions, seating plan, candidates, log."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import list_sessions, session_detail
from invigilator_app.services.demo import build_demo
from invigilator_app.ui.main_window import MainWindow
from invigilator_app.ui.models import AllocationsModel, EntriesModel, SessionsModel
from invigilator_app.ui.unlock_dialog import UnlockDialog
from tests.helpers import PASSWORD, planned_session, seeded


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build_demo(tmp_path_factory.mktemp("demo") / "store")


def test_unlock_dialog_refuses_a_wrong_password_and_says_so(qtbot, tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)
    dialog = UnlockDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("Sam Coordinator")
    dialog.password_edit.setText("not the password at all")
    dialog.ui.findChild(QDialogButtonBox, "buttons").button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.unlocking)  # the key derivation runs in a worker thread
    assert dialog.station is None
    assert "Wrong password" in dialog.error_label.text()
    assert dialog.password_edit.text() == ""


def test_unlock_dialog_opens_the_store_and_main_window_lists_its_sessions(qtbot, tmp_path: Path) -> None:
    data_dir, _ = planned_session(tmp_path)
    dialog = UnlockDialog(data_dir, user="Sam Coordinator")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.station is not None)
    window = MainWindow(dialog.station)
    qtbot.addWidget(window)
    assert window.sessions.rowCount() == 1
    assert window.panel.title.text().startswith("IT Suite")
    assert "IMI-PIN-7731" in window.panel.subtitle.text()
    names = {window.panel.allocations.row_at(r).candidate_name for r in range(window.panel.allocations.rowCount())}
    assert names == {"Jane Smith", "Tomasz Nowak"}


def test_main_window_shows_the_demo_session_plan_and_log(qtbot, demo_store: tuple[Path, str]) -> None:
    data_dir, password = demo_store
    station = open_station(data_dir, password)
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.show()
    detail = session_detail(station, window.sessions.row_at(window.session_view.currentIndex().row()).id)
    assert len(window.panel.seating.seats) == 12
    assert window.panel.entries.rowCount() == len(detail.entries) > 0
    labels = [
        window.panel.entries.data(window.panel.entries.index(r, 1)) for r in range(window.panel.entries.rowCount())
    ]
    assert "Question or diagram issue" in labels
    notify = [
        window.panel.entries.data(window.panel.entries.index(r, 5)) for r in range(window.panel.entries.rowCount())
    ]
    assert any("OUTSTANDING" in n for n in notify)


def test_clicking_a_workstation_selects_that_candidate(qtbot, demo_store: tuple[Path, str]) -> None:
    data_dir, password = demo_store
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    window.show()
    plan_widget = window.panel.seating
    qtbot.waitExposed(window)
    seat = plan_widget.seats[2]
    point = plan_widget._rect(seat.workstation.x, seat.workstation.y).center().toPoint()
    qtbot.mouseClick(plan_widget, Qt.MouseButton.LeftButton, pos=point)
    assert window.panel.selected_allocation().workstation == seat.workstation.label
    assert (
        window.candidate_actions["start"].text() == f"Start — {seat.workstation.label} {seat.allocation.candidate_name}"
    )
    qtbot.mouseDClick(plan_widget, Qt.MouseButton.LeftButton, pos=point)
    assert window.panel.tabs.currentWidget() is window.panel.allocation_view
    row = window.panel.allocation_view.currentIndex().row()
    assert window.panel.allocations.row_at(row).workstation == seat.workstation.label


def test_seating_plan_is_keyboard_operable(qtbot, demo_store: tuple[Path, str]) -> None:
    data_dir, password = demo_store
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    window.show()
    plan_widget = window.panel.seating
    plan_widget.setFocus()
    with qtbot.waitSignal(plan_widget.seat_activated) as blocker:
        qtbot.keyClick(plan_widget, Qt.Key.Key_Right)
        qtbot.keyClick(plan_widget, Qt.Key.Key_Return)
    assert blocker.args == [plan_widget.seats[1].workstation.label]


def test_arrow_keys_move_between_seats_by_their_place_in_the_room(qtbot, demo_store: tuple[Path, str]) -> None:
    """The demo room has rows of four (PC-01 … PC-04 at the front): Down goes to the seat behind."""
    data_dir, password = demo_store
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    window.show()
    plan_widget = window.panel.seating
    plan_widget.setFocus()
    at = {s.workstation.label: s.workstation for s in plan_widget.seats}

    def here() -> str:
        label = window.panel.selected_allocation().workstation
        assert plan_widget.current_label() == label
        return label

    qtbot.keyClick(plan_widget, Qt.Key.Key_Home)
    first = here()
    qtbot.keyClick(plan_widget, Qt.Key.Key_Down)
    below = here()
    assert at[below].x == at[first].x and at[below].y > at[first].y
    qtbot.keyClick(plan_widget, Qt.Key.Key_Right)
    right = here()
    assert at[right].y == at[below].y and at[right].x > at[below].x
    qtbot.keyClick(plan_widget, Qt.Key.Key_Up)
    assert at[here()].x == at[right].x and at[here()].y == at[first].y
    qtbot.keyClick(plan_widget, Qt.Key.Key_Left)
    assert here() == first
    qtbot.keyClick(plan_widget, Qt.Key.Key_Left)
    assert here() == first, "no seat to the left: the selection stays"


def test_models_pass_qtmodeltester(qtmodeltester, demo_store: tuple[Path, str]) -> None:
    data_dir, password = demo_store
    station = open_station(data_dir, password)
    try:
        sessions = list_sessions(station)
        detail = session_detail(station, sessions[-1].id)
    finally:
        station.close()
    for model in (SessionsModel(sessions), AllocationsModel(detail.allocations), EntriesModel(detail.entries)):
        qtmodeltester.check(model)


def test_demo_screenshot_renders_a_png(tmp_path: Path) -> None:
    from invigilator_app.ui.app import run

    shot = tmp_path / "shot.png"
    assert run(demo=True, screenshot=shot) == 0
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_unlock_form_is_embedded_in_the_dialog_not_a_second_window(qtbot, tmp_path: Path) -> None:
    dialog = UnlockDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ui.isWindow()
    assert dialog.width() > 300 and dialog.password_edit.isVisible()


def test_areas_are_built_only_when_first_shown(qtbot, demo_store: tuple[Path, str]) -> None:
    data_dir, password = demo_store
    window = MainWindow(open_station(data_dir, password))
    qtbot.addWidget(window)
    assert {"planner", "review", "search"} <= set(window.area_pages)
    assert window.area_pages.built() == [], "start-up does not wait for any area's data"
    window.areas.setCurrentIndex(window.areas.indexOf(window.area_pages.holder("search")))
    assert window.area_pages.built() == ["search"] and window.current_area() == "search"
