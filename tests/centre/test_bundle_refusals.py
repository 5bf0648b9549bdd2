"""Bundles that must not be imported are refused whole: exit 4, a reason, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from invigilator_app.security import bundles
from invigilator_app.services.access import open_station
from invigilator_app.services.stations import centre as places
from invigilator_app.store import audit
from tests.centre.centre_helpers import ALEX, Centre, copy_centre, make_centre
from tests.helpers import PASSWORD, init_store


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Centre:
    root = tmp_path_factory.mktemp("centre")
    centre = make_centre(root)
    res = centre.plan("a1", "09:00", "Room A", ("R1000001",), "EV1", ALEX)
    assert res.code == 0, res.err
    return centre


@pytest.fixture
def centre(built: Centre, tmp_path: Path) -> Centre:
    return copy_centre(built, tmp_path)


def _state(folder: Path, user: str | None = None, password: str = PASSWORD) -> tuple[int, str, bytes]:
    station = open_station(folder, password, user=user)
    try:
        with station.read() as session:
            count, head = audit.head(session)
    finally:
        station.close()
    return count, head, (folder / "keyslots.json").read_bytes()


def _station_state(centre: Centre, name: str) -> tuple[int, str, bytes]:
    return _state(centre.stations[name], "Sam Coordinator")


def _refused(res: object, *words: str) -> None:
    assert res.code == 4, (res.code, res.err)  # type: ignore[attr-defined]
    for word in words:
        assert word in res.err, res.err  # type: ignore[attr-defined]
    assert "Nothing was imported" in res.err  # type: ignore[attr-defined]
    assert "Traceback" not in res.err  # type: ignore[attr-defined]


def test_a_bundle_changed_in_one_byte_is_refused(centre: Centre) -> None:
    path = centre.send("Room A", 1)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    before = _station_state(centre, "Room A")
    _refused(centre.receive_at("Room A", path), "changed or damaged")
    assert _station_state(centre, "Room A") == before


def test_the_same_bundle_twice_is_a_replay(centre: Centre) -> None:
    path = centre.send("Room A", 1)
    assert centre.receive_at("Room A", path).code == 0
    before = _station_state(centre, "Room A")
    _refused(centre.receive_at("Room A", path), "already imported", "replay")
    assert _station_state(centre, "Room A") == before


def test_a_bundle_out_of_order_is_refused_until_the_missing_one_is_in(centre: Centre) -> None:
    first = centre.send("Room A", 1)
    second = centre.send("Room A")
    before = _station_state(centre, "Room A")
    _refused(centre.receive_at("Room A", second), "out of order", "next one expected is 1")
    assert _station_state(centre, "Room A") == before
    assert centre.receive_at("Room A", first).code == 0
    assert centre.receive_at("Room A", second).code == 0


def test_a_bundle_for_another_station_is_refused(centre: Centre) -> None:
    path = centre.send("Room B")
    before = _station_state(centre, "Room A")
    _refused(centre.receive_at("Room A", path), "encrypted for another hub or station")
    assert _station_state(centre, "Room A") == before


def test_a_bundle_from_another_centres_hub_is_refused(centre: Centre, tmp_path: Path) -> None:
    other = tmp_path / "other-centre"
    init_store(other)
    coordinator = open_station(other, PASSWORD)
    try:
        with coordinator.write() as session:
            other_keys = places.become_hub(coordinator, session)
        fingerprint = _fingerprint(coordinator)
    finally:
        coordinator.close()
    target = _station_identity(centre, "Room A")
    header = {
        "centre": fingerprint,
        "from": {"store_id": "other", "name": "hub", "role": "hub"},
        "to": {"store_id": target[0], "name": "Room A", "role": "station"},
        "seq": 1,
        "created_at": "2026-12-01T08:00:00+00:00",
    }
    path = centre.usb / "forged.bundle"
    path.write_bytes(bundles.seal(header, {"kind": "to_station", "tables": {}}, other_keys, target[1]))
    before = _station_state(centre, "Room A")
    _refused(centre.receive_at("Room A", path), "another centre")
    assert _station_state(centre, "Room A") == before


def test_a_bundle_from_a_station_the_hub_never_enrolled_is_refused(centre: Centre) -> None:
    coordinator = open_station(centre.hub, PASSWORD)
    try:
        with coordinator.read() as session:
            hub_keys = places.transport_keys(session)
            centre_cert = places.keys.centre_certificate(session)
        assert hub_keys is not None and centre_cert is not None
        rogue = bundles.new_transport_keys(
            coordinator.centre_key, centre_cert, "Room Z", "station", "rogue-store", coordinator.now()
        )
        header = {
            "centre": _fingerprint(coordinator),
            "from": {"store_id": "rogue-store", "name": "Room Z", "role": "station"},
            "to": {"store_id": coordinator.store_id, "name": "hub", "role": "hub"},
            "seq": 1,
            "created_at": "2026-12-01T08:00:00+00:00",
        }
        recipient = hub_keys.recipient
    finally:
        coordinator.close()
    path = centre.usb / "rogue.bundle"
    path.write_bytes(bundles.seal(header, {"kind": "to_hub", "tables": {}, "entries": []}, rogue, recipient))
    before = _state(centre.hub)
    _refused(centre.hub_cli("bundle", "import", path), "has not enrolled")
    assert _state(centre.hub) == before


def test_a_station_cannot_send_rows_of_a_session_it_does_not_hold(centre: Centre) -> None:
    """A station's bundle whose rows are not in its signed chain is refused at the hub."""
    path = centre.send("Room A", 1)
    assert centre.receive_at("Room A", path).code == 0
    back = centre.return_from("Room A")
    station = open_station(centre.stations["Room A"], PASSWORD, user="Sam Coordinator")
    try:
        with station.read() as session:
            mine = places.transport_keys(session)
            hub_recipient = places.meta(session, places.HUB_RECIPIENT)
            store_id = station.store_id
            fingerprint = places.fingerprint_of(session)
    finally:
        station.close()
    assert mine is not None and hub_recipient
    coordinator = open_station(centre.hub, PASSWORD)
    try:
        with coordinator.read() as session:
            opened = bundles.open_bundle(
                back.read_bytes(), places.transport_keys(session), places.keys.centre_certificate(session), "x"
            )
    finally:
        coordinator.close()
    payload = dict(opened.payload)
    sessions = payload["tables"]["sessions"]
    state_at = sessions["columns"].index("review_comment")
    sessions["rows"][0][state_at] = "edited after it was signed"
    header = {k: opened.header[k] for k in ("centre", "from", "to", "seq", "created_at")}
    assert header["from"]["store_id"] == store_id and header["centre"] == fingerprint
    forged = centre.usb / "edited.bundle"
    forged.write_bytes(bundles.seal(header, payload, mine, hub_recipient))
    before = _state(centre.hub)
    _refused(centre.hub_cli("bundle", "import", forged), "signed chain holds")
    assert _state(centre.hub) == before
    assert centre.hub_cli("bundle", "import", back).code == 0


def _fingerprint(station: object) -> str:
    with station.read() as session:  # type: ignore[attr-defined]
        return places.fingerprint_of(session)


def _station_identity(centre: Centre, name: str) -> tuple[str, str]:
    coordinator = open_station(centre.hub, PASSWORD)
    try:
        with coordinator.read() as session:
            row = places.station_by_name(session, name)
            return row.store_id, row.recipient
    finally:
        coordinator.close()
