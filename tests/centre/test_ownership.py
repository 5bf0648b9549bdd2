"""A session out at a station is changed only there until its record comes back signed
off; cancelling a place is the hub's one change, and it travels. A station plans nothing
of its own and changes only the sessions it holds. Accounts follow the hub."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from invigilator_app.domain.errors import NotPermitted, WrongPassword
from invigilator_app.services.access import open_station
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.sessions import list_sessions, session_detail
from invigilator_app.services.planning.changes import cancel_allocation, reschedule_session
from invigilator_app.services.stations.centre import stations_overview
from tests.centre.centre_helpers import ALEX, INVIGILATOR_PASSWORD, Centre, Clock, copy_centre, make_centre
from tests.helpers import PASSWORD, write_json
from tests.helpers import plan as plan_data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Centre:
    root = tmp_path_factory.mktemp("centre")
    centre = make_centre(root, stations=("Room A",))
    for name, start, regs in (("a1", "09:00", ("R1000001", "R1000002")), ("a2", "14:00", ("R1000003",))):
        res = centre.plan(name, start, "Room A", regs, "EV1", ALEX)
        assert res.code == 0, res.err
    return centre


@pytest.fixture
def centre(built: Centre, tmp_path: Path) -> Centre:
    return copy_centre(built, tmp_path)


def test_the_hub_refuses_to_change_a_session_out_at_a_station_and_says_where(centre: Centre) -> None:
    centre.send("Room A", 1)
    hub = open_station(centre.hub, PASSWORD)
    try:
        with pytest.raises(NotPermitted, match="out at station Room A"):
            reschedule_session(hub, 1, date(2026, 12, 1), time(10, 0))
        with pytest.raises(NotPermitted, match="out at station Room A"):
            console.record_entry(hub, 1, "other", note="typed at the hub")
        reschedule_session(hub, 2, date(2026, 12, 1), time(15, 0))  # not sent: the hub's own
        [view] = stations_overview(hub)
        assert view.sessions_out == [1]
        assert {s.id: s.out_at for s in list_sessions(hub)} == {1: "Room A", 2: ""}
        assert session_detail(hub, 1).summary.out_at == "Room A"
    finally:
        hub.close()


def test_a_cancelled_place_travels_to_the_station(centre: Centre) -> None:
    first = centre.send("Room A", 1)
    assert centre.receive_at("Room A", first).code == 0
    hub = open_station(centre.hub, PASSWORD)
    try:
        cancel_allocation(hub, 1, "R1000002")
    finally:
        hub.close()
    second = centre.send("Room A")
    res = centre.receive_at("Room A", second)
    assert res.code == 0 and "cancelled a place in session 1" in res.err, res.err
    station = centre.open("Room A", Clock(datetime(2026, 12, 1, 8, tzinfo=UTC)))
    try:
        regs = [a.registration_number for a in session_detail(station, 1).allocations]
        assert regs == ["R1000001"]
    finally:
        station.close()


def test_a_station_plans_nothing_and_changes_only_what_it_holds(centre: Centre, tmp_path: Path) -> None:
    first = centre.send("Room A", 1)
    assert centre.receive_at("Room A", first).code == 0
    plan = write_json(tmp_path / "walk.json", plan_data(day="2026-12-01", start="16:00", room="Room A"))
    res = centre.station_cli("Room A", "session", "plan", plan, user="Sam Coordinator", password=PASSWORD)
    assert res.code == 5 and "planned at the hub" in res.err, res.err
    listed = centre.station_cli("Room A", "sessions", "list")
    assert [line.split("\t")[0] for line in listed.out.splitlines()] == ["1"], listed.out
    station = centre.open("Room A", Clock(datetime(2026, 12, 1, 8, tzinfo=UTC)))
    try:
        console.record_entry(station, 1, "other", note="Room ready")
        with pytest.raises(NotPermitted, match="not held by this station"):
            console.record_entry(station, 2, "other", note="a session the hub keeps")
    finally:
        station.close()


def test_a_password_changed_at_the_hub_reaches_the_station_and_a_disabled_account_is_locked_out(
    centre: Centre,
) -> None:
    new = "silver harbour lantern forty"
    res = centre.hub_cli("users", "passwd", ALEX, stdin=f"{PASSWORD}\n{new}\n")
    assert res.code == 0, res.err
    assert centre.receive_at("Room A", centre.send("Room A")).code == 0
    clock = Clock(datetime(2026, 12, 1, 8, tzinfo=UTC))
    with pytest.raises(WrongPassword):
        open_station(centre.stations["Room A"], INVIGILATOR_PASSWORD, user=ALEX, clock=clock)
    open_station(centre.stations["Room A"], new, user=ALEX, clock=clock).close()
    old_slots = (centre.stations["Room A"] / "keyslots.json").read_bytes()

    res = centre.hub_cli("users", "disable", ALEX)
    assert res.code == 0, res.err
    res = centre.station_cli(
        "Room A", "bundle", "import", centre.send("Room A"), user="Bea Jones", password=INVIGILATOR_PASSWORD
    )
    assert res.code == 0, res.err
    assert "Alex Patel" in res.err and "data key was changed" in res.err, res.err
    with pytest.raises(WrongPassword):
        open_station(centre.stations["Room A"], new, user=ALEX, clock=clock)
    # The old slot file no longer opens the store: the data key was rotated.
    (centre.stations["Room A"] / "keyslots.json").write_bytes(old_slots)
    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal: the key no longer fits
        open_station(centre.stations["Room A"], new, user=ALEX, clock=clock).close()


def test_a_shared_drop_folder_serves_every_pc(centre: Centre, tmp_path: Path) -> None:
    """The hub's bundles for the station and the station's for the hub share one folder:
    each PC takes its own and leaves the others'."""
    drop = centre.usb
    centre.send("Room A", 1)
    res = centre.station_cli("Room A", "bundle", "import", drop)
    assert res.code == 0, res.err
    assert (drop / "imported" / "hub-to-Room-A-000001.bundle").exists()
    centre.return_from("Room A")
    res = centre.hub_cli("bundle", "import", drop)
    assert res.code == 0, res.err
    assert "1 bundle(s) imported" in res.err
    assert (drop / "imported" / "Room-A-to-hub-000001.bundle").exists()
    centre.send("Room A")
    res = centre.hub_cli("bundle", "import", drop)
    assert res.code == 0 and "1 bundle(s) for other PCs left in the folder" in res.err, res.err
    assert (drop / "hub-to-Room-A-000002.bundle").exists()


def test_a_station_keeps_the_hubs_register_and_accounts_as_copies(centre: Centre, tmp_path: Path) -> None:
    csv_file = tmp_path / "more.csv"
    csv_file.write_text("registration_number,first_name,last_name,date_of_birth\nR9000001,New,Person,\n", "utf-8")
    res = centre.station_cli("Room A", "candidates", "import", csv_file, user="Sam Coordinator", password=PASSWORD)
    assert res.code == 5 and "copies of the hub's" in res.err, res.err
    res = centre.station_cli(
        "Room A",
        "users",
        "add",
        "Cal Smith",
        "--role",
        "inspector",
        "--expires",
        "2026-12-31",
        user="Sam Coordinator",
        password=PASSWORD,
        more="silver harbour lantern forty\n",
    )
    assert res.code == 5, res.err


def test_a_walk_in_takes_an_assessment_the_hub_has_in_its_catalogue(centre: Centre) -> None:
    """The catalogue is the hub's: a station cannot make an assessment of its own (two PCs
    could give one code to two assessments)."""
    from invigilator_app.services.planning.changes import add_candidate
    from invigilator_app.services.planning.plans import PlannedCandidate

    assert centre.receive_at("Room A", centre.send("Room A", 1)).code == 0
    clock = Clock(datetime(2026, 12, 1, 8, tzinfo=UTC))
    station = centre.open("Room A", clock, user="Sam Coordinator", password=PASSWORD)
    try:
        with pytest.raises(NotPermitted, match="copies of the hub's"):
            add_candidate(station, 1, PlannedCandidate("R1000004", "EV9", "603/1465/5", "PC-03"))
        add_candidate(station, 1, PlannedCandidate("R1000004", "EV1", "603/1465/5", "PC-03"))
    finally:
        station.close()
    assert centre.hub_cli("bundle", "import", centre.return_from("Room A")).code == 0
