"""The hub's Stations area and a station's Centre menu and status bar, on real stores in
temporary folders: enrol, send planned sessions, import at the station, run them, send
the records back and import them at the hub — every question answered by a fake."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from invigilator_app.services.access import open_station
from invigilator_app.services.stations.views import SessionLabel
from invigilator_app.ui.admin.station_forms import SendAnswer, SendForm
from invigilator_app.ui.admin.stations import StationsArea
from invigilator_app.ui.main_window import MainWindow
from tests.centre.centre_helpers import ALEX, BEA, INVIGILATOR_PASSWORD, Clock, make_centre, run_session
from tests.gui.admin_fakes import FakeAsk
from tests.helpers import PASSWORD, cli, seeded
from tests.review_helpers import demo_store, inspector

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SESSIONS_OUT = 5


def _shot(widget, name: str) -> None:
    """Saved into docs/screenshots only when asked (INVIGILATOR_SCREENSHOTS=1)."""
    if os.environ.get("INVIGILATOR_SCREENSHOTS"):
        widget.setWindowState(Qt.WindowState.WindowNoState)  # the offscreen screen is small: no maximising
        widget.resize(1366, 768)
        for _ in range(3):
            QApplication.processEvents()
        widget.grab().save(str(SHOTS / name))


def _cell(area: StationsArea, row: int, header: str) -> str:
    headers = [c[0] for c in area.model.columns]
    return str(area.model.data(area.model.index(row, headers.index(header))))


def _press(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def _enrol(qtbot, area: StationsArea, name: str, tmp_path: Path) -> str:
    area.ask = FakeAsk(text=name, save_file=tmp_path / f"{name}.enrol")  # type: ignore[assignment]
    _press(qtbot, area.enrol_button)
    qtbot.waitUntil(lambda: "enrolment_shown" in area.ask.asked, timeout=20000)  # type: ignore[attr-defined]
    return str(area.ask.enrolment.code)  # type: ignore[attr-defined]


def _init_station(tmp_path: Path, name: str, code: str) -> Path:
    folder = tmp_path / name.replace(" ", "-").lower()
    res = cli(
        "--data-dir", folder, "init", "--enrolment", tmp_path / f"{name}.enrol", "--password-stdin", stdin=code + "\n"
    )
    assert res.code == 0, res.err
    return folder


def test_a_single_pc_centre_is_told_what_stations_are_for(qtbot, tmp_path: Path) -> None:
    hub = open_station(seeded(tmp_path), PASSWORD)
    try:
        area = StationsArea(hub)
        qtbot.addWidget(area)
        area.show()
        assert area.empty.isVisible() and not area.table.isVisible()
        assert "Enrol station" in area.empty.text() and "type the code" in area.empty.text()
        area.ask = FakeAsk(send_bundle=None)  # type: ignore[assignment]
        _press(qtbot, area.send_button)
        assert "enrol one first" in area.ask.errors[0][1]  # type: ignore[attr-defined]
    finally:
        hub.close()


def test_an_inspector_reads_the_stations_area_without_its_actions(qtbot, tmp_path: Path) -> None:
    data_dir, _password = demo_store(tmp_path)
    station = inspector(data_dir)
    try:
        window = MainWindow(station)
        qtbot.addWidget(window)
        area = window.show_area("stations")
        assert isinstance(area, StationsArea) and not area.empty.isHidden() and area.table.isHidden()
        assert all(b.isHidden() for b in (area.enrol_button, area.send_button, area.import_button, area.drop_button))
        assert not hasattr(window.centre, "menu")
        window.close()
    finally:
        station.close()


def test_the_send_form_is_answered_by_keys(qtbot, tmp_path: Path) -> None:
    sessions = [
        SessionLabel(3, "Room A, Tue 1 Dec 2026 09:00"),
        SessionLabel(4, "Room A, Tue 1 Dec 2026 11:30", out_at="Room B"),
    ]
    form = SendForm(["Room A", "Room B"], sessions, None, "Room B")
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    assert form.station.currentText() == "Room B" and form.to_file.isChecked() and not form.to_drop.isEnabled()
    assert "out at Room B" in form.sessions.item(1).text()
    form.sessions.setFocus()
    form.sessions.setCurrentRow(0)
    qtbot.keyClick(form.sessions, Qt.Key.Key_Space)
    assert form.ticked() == [3]
    form.file.setFocus()
    qtbot.keyClicks(form.file, str(tmp_path / "b.bundle"))
    with qtbot.waitSignal(form.accepted):
        qtbot.keyClick(form.file, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.answer() == SendAnswer("Room B", [3], tmp_path / "b.bundle")


def test_the_hub_and_a_station_exchange_bundles_through_the_gui(qtbot, tmp_path: Path) -> None:
    centre = make_centre(tmp_path, stations=())
    ids = {}
    for key, start, room, regs, who in (
        ("a1", "09:00", "Room A", ("R1000001", "R1000002"), ALEX),
        ("a2", "11:30", "Room A", ("R1000003",), ALEX),
        ("b1", "09:30", "Room B", ("R1000003",), BEA),
        ("b2", "13:00", "Room B", ("R1000004",), BEA),
        ("b3", "15:00", "Room B", ("R1000002",), BEA),
    ):
        res = centre.plan(key, start, room, regs, "EV1" if key != "a2" else "EV2", who)
        assert res.code == 0, res.err
        ids[key] = int(res.out)
    drop = tmp_path / "drop"
    drop.mkdir()
    hub_clock = Clock(datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    hub = open_station(centre.hub, PASSWORD, clock=hub_clock)
    window = MainWindow(hub)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.centre.label.isHidden(), "a single-PC centre's status bar says nothing new"
    area = window.show_area("stations")
    assert isinstance(area, StationsArea) and area.empty.isVisible()

    area.ask = FakeAsk(folder=drop)  # type: ignore[assignment]
    _press(qtbot, area.drop_button)
    assert str(drop) in area.drop_label.text()
    code_a = _enrol(qtbot, area, "Room A", tmp_path)
    code_b = _enrol(qtbot, area, "Room B", tmp_path)
    assert area.model.rowCount() == 2 and not area.empty.isVisible()
    assert window.centre.label.text() == "Hub of the centre" and window.centre.label.isVisible()
    assert [_cell(area, r, "Station") for r in (0, 1)] == ["Room A", "Room B"]
    assert _cell(area, 0, "Last bundle out") == "none yet" and _cell(area, 0, "Sessions out") == "none"
    room_a = _init_station(tmp_path, "Room A", code_a)
    _init_station(tmp_path, "Room B", code_b)

    hub_clock.now = datetime(2026, 12, 1, 7, 45, tzinfo=UTC)
    for name, keys in (("Room A", ("a1", "a2")), ("Room B", ("b1", "b2", "b3"))):
        area.ask = FakeAsk(send_bundle=SendAnswer(name, [ids[k] for k in keys], drop))  # type: ignore[assignment]
        _press(qtbot, area.send_button)
        qtbot.waitUntil(lambda name=name: f"for {name} written to" in area.results.text(), timeout=20000)
    offered = area.ask.offered  # type: ignore[attr-defined]
    assert offered[2] == drop and {s.out_at for s in offered[1] if s.id in (ids["a1"], ids["a2"])} == {"Room A"}
    assert _cell(area, 0, "Sessions out") == "2: Room A, Tue 1 Dec 2026 09:00; Room A, Tue 1 Dec 2026 11:30"
    assert _cell(area, 1, "Sessions out").startswith("3: Room B, Tue 1 Dec 2026 09:30")
    assert _cell(area, 0, "Last bundle out") == "#1, Tue 1 Dec 2026 07:45"
    assert _cell(area, 0, "Waiting in drop folder") == "1 for it, not picked up"
    area.table.selectRow(1)
    assert "Room B, Tue 1 Dec 2026 15:00" in area.detail.text()
    _shot(window, "stations-hub.png")

    # At the room PC: the invigilator imports the hub's bundle from the drop folder.
    clock = Clock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    at_a = open_station(room_a, INVIGILATOR_PASSWORD, user=ALEX, clock=clock)
    room = MainWindow(at_a)
    qtbot.addWidget(room)
    room.resize(1366, 768)
    room.show()
    assert room.centre.label.text() == "Station Room A · centre history as of Mon 30 Nov 2026 16:00"
    assert "stations" not in room.area_pages and room.centre.menu.title() == "&Centre"
    room.centre.ask = FakeAsk(folder=drop)  # type: ignore[assignment]
    room.centre.actions[2].trigger()
    room.centre.ask = FakeAsk(choose=0)  # type: ignore[assignment]
    room.centre.actions[1].trigger()
    qtbot.waitUntil(lambda: "report" in room.centre.ask.asked, timeout=20000)  # type: ignore[attr-defined]
    assert room.centre.label.text() == "Station Room A · centre history as of Tue 1 Dec 2026 07:45"
    assert "1 bundle(s) imported, 0 refused" in room.centre.ask.reports[0][1]  # type: ignore[attr-defined]
    assert {room.sessions.row_at(r).id for r in range(room.sessions.rowCount())} >= {ids["a1"], ids["a2"]}
    assert (drop / "imported").is_dir() and _cell(area, 0, "Waiting in drop folder") != "none"
    room.session_view.selectRow(
        next(r for r in range(room.sessions.rowCount()) if room.sessions.row_at(r).id == ids["a1"])
    )
    _shot(room, "stations-room-status-bar.png")

    run_session(at_a, ids["a1"], clock, ("R1000001", "R1000002"), "09:00")
    room.centre.ask = FakeAsk(choose=0)  # type: ignore[assignment]
    room.centre.actions[0].trigger()
    qtbot.waitUntil(lambda: "report" in room.centre.ask.asked, timeout=20000)  # type: ignore[attr-defined]
    assert "Bundle 1 for hub" in room.centre.ask.reports[0][1]  # type: ignore[attr-defined]

    # Back at the hub: the stations' bundles come in from the drop folder.
    area.refresh()
    assert _cell(area, 0, "Waiting in drop folder") == "1 from it to import"
    area.ask = FakeAsk(choose=0)  # type: ignore[assignment]
    _press(qtbot, area.import_button)
    qtbot.waitUntil(lambda: "imported" in area.results.text(), timeout=20000)
    assert area.results.text().startswith("1 bundle(s) imported, 0 refused"), area.results.text()
    assert "Bundle 1 from station Room A" in area.results.text()
    assert "1 bundle(s) for other PCs left in the folder" in area.results.text(), "Room B's bundle stays for it"
    assert _cell(area, 0, "Last bundle in").startswith("#1, ")
    assert _cell(area, 0, "Records in up to") != "no records yet"
    assert _cell(area, 0, "Sessions out") == "1: Room A, Tue 1 Dec 2026 11:30", "the signed-off session is back"

    # The same bundle again is refused, with its reason, and nothing changes.
    sent_back = next((drop / "imported").glob("Room-A-to-hub-*.bundle"))
    area.ask = FakeAsk(choose=1, open_file=sent_back)  # type: ignore[assignment]
    _press(qtbot, area.import_button)
    qtbot.waitUntil(lambda: bool(area.ask.errors), timeout=20000)  # type: ignore[attr-defined]
    assert "Nothing was imported" in area.ask.errors[0][1] and "✖" in area.results.text()  # type: ignore[attr-defined]
    assert _cell(area, 0, "Last bundle in").startswith("#1, ")
    window.close()
    room.close()
    at_a.close()
    hub.close()
