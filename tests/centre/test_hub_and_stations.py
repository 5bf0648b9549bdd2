"""One centre, two rooms: a hub and two enrolled stations exchange bundles, and the hub's
rules, review queue, records and inspection pack see the whole centre."""

from __future__ import annotations

from pathlib import Path

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.planning.changes import add_candidate
from invigilator_app.services.planning.plans import PlannedCandidate
from invigilator_app.services.review.queue import review_queue
from tests.centre.centre_helpers import ALEX, BEA, Clock, make_centre, run_session
from tests.helpers import PASSWORD


def test_a_day_across_two_rooms_comes_back_whole_to_the_hub(tmp_path: Path) -> None:
    centre = make_centre(tmp_path)
    a1 = centre.plan("a1", "09:00", "Room A", ("R1000001", "R1000002"), "EV1", ALEX)
    assert a1.code == 0, a1.err
    a2 = centre.plan("a2", "11:30", "Room A", ("R1000001",), "EV2", ALEX)
    assert a2.code == 0, a2.err
    b1 = centre.plan("b1", "14:00", "Room B", ("R1000003",), "EV1", BEA)
    assert b1.code == 0, b1.err
    a1_id, a2_id, b1_id = int(a1.out), int(a2.out), int(b1.out)

    third = centre.plan("b2", "16:00", "Room B", ("R1000001",), "EV3", BEA)
    assert third.code == 3 and "CAND-3" in third.err, "the hub sees both rooms"

    to_a = centre.send("Room A", a1_id, a2_id)
    to_b = centre.send("Room B", b1_id)
    assert centre.receive_at("Room A", to_a).code == 0
    res = centre.station_cli("Room B", "bundle", "import", to_b, user=BEA)
    assert res.code == 0, res.err

    # After the bundles left, the hub plans two more for R1000004 that the stations never hear of.
    assert centre.plan("h1", "08:00", "Workshop", ("R1000004",), "EV1", ALEX).code == 0
    assert centre.plan("h2", "10:30", "Workshop", ("R1000004",), "EV2", ALEX).code == 0

    edit = centre.hub_cli("sessions", "list")
    assert edit.code == 0

    clock = Clock(__import__("datetime").datetime(2026, 12, 1, 8, 0, tzinfo=__import__("datetime").UTC))
    station_a = centre.open("Room A", clock)
    try:
        run_session(station_a, a1_id, clock, ("R1000001", "R1000002"), "09:00")
        run_session(station_a, a2_id, clock, ("R1000001",), "11:30")
    finally:
        station_a.close()
    # Station B's coordinator adds a walk-in, checked against what B knows.
    coordinator_b = centre.open("Room B", clock, user="Sam Coordinator", password=PASSWORD)
    try:
        clock.set("12:00")
        add_candidate(
            coordinator_b,
            b1_id,
            PlannedCandidate("R1000004", "EV2", "603/1465/5", "PC-02", notice_date=None, readiness_confirmed=True),
        )
    finally:
        coordinator_b.close()
    station_b = centre.open("Room B", clock, user=BEA)
    try:
        run_session(station_b, b1_id, clock, ("R1000003", "R1000004"), "14:00")
    finally:
        station_b.close()

    back_a = centre.return_from("Room A")
    res = cli_b = centre.station_cli("Room B", "bundle", "export", "--to", "hub", "--out", centre.usb, user=BEA)
    assert cli_b.code == 0, cli_b.err
    back_b = Path(res.out.strip())
    for path in (back_a, back_b):
        res = centre.hub_cli("bundle", "import", path)
        assert res.code == 0, res.err

    hub = open_station(centre.hub, PASSWORD)
    try:
        for sid, regs in ((a1_id, 2), (a2_id, 1), (b1_id, 2)):
            detail = session_detail(hub, sid)
            assert detail.summary.state == "closed"
            assert len(detail.allocations) == regs
            assert any("Fire alarm test" in e.note for e in detail.entries)
        queue = {q.session_id: q for q in review_queue(hub)}
        assert set(queue) >= {a1_id, a2_id, b1_id}
        assert any("CAND-3" in f for f in queue[b1_id].flags), queue[b1_id]
        assert not queue[a1_id].flags
    finally:
        hub.close()
    verify = centre.hub_cli("verify", "--audit")
    assert verify.code == 0, verify.out + verify.err
    for name in ("Room A", "Room B"):
        res = centre.station_cli(name, "verify", "--audit", user=BEA)
        assert res.code == 0, res.out + res.err
    records = centre.hub_cli("session", "export", str(b1_id), "--out", tmp_path / "b1.pdf")
    assert records.code == 0, records.err
    pack = centre.hub_cli("inspect", "export", "--from", "2026-12-01", "--to", "2026-12-01", "--out", tmp_path / "pack")
    assert pack.code == 0, pack.err
    names = {p.name for p in (tmp_path / "pack").rglob("*.pdf")}
    assert {f"record-{i}-2026-12-01.pdf" for i in (a1_id, a2_id, b1_id)} <= names, names
    register = (tmp_path / "pack" / "register.csv").read_text(encoding="utf-8-sig").splitlines()
    rooms = {line.split(",")[8] for line in register[1:]}
    assert {"Room A", "Room B"} <= rooms, rooms
    walk_in = next(line for line in register if "R1000004" in line and ",Room B," in line)
    assert ",finished,pass," in walk_in
    coverage = (tmp_path / "pack" / "stations.txt").read_text(encoding="utf-8")
    assert "Station 1: Room A" in coverage and "Station 2: Room B" in coverage
    assert coverage.count("records in up to: ") == 2 and "none received yet" not in coverage
    assert "sessions still out at it (not in this pack as final records): none" in coverage
    assert "stations.txt" in (tmp_path / "pack" / "README.txt").read_text(encoding="utf-8")
    manifest = (tmp_path / "pack" / "MANIFEST.sha256").read_text(encoding="utf-8")
    assert "stations.txt" in manifest
