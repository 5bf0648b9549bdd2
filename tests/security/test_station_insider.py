"""The insider at a room PC: an invigilator who knows only their own password takes the data
key their (travelling) key slot gives, opens the station's ``store.db`` with sqlcipher3
outside the services, changes what it holds, and sends the bundle to the hub as usual.
The hub refuses it whole (exit 4, the reason named) and writes nothing of it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.store import audit
from tests.centre.centre_helpers import ALEX, INVIGILATOR_PASSWORD, Centre, Clock, copy_centre, make_centre
from tests.helpers import PASSWORD
from tests.security.tamper import raw_store

REGS = ("R1000001", "R1000002")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Centre:
    """Room A ran a session (a fail for R1000002) and the hub holds its first bundle."""
    centre = make_centre(tmp_path_factory.mktemp("centre"), stations=("Room A",))
    assert centre.plan("a1", "09:00", "Room A", REGS, "EV1", ALEX).code == 0
    assert centre.receive_at("Room A", centre.send("Room A", 1)).code == 0
    clock = Clock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    station = centre.open("Room A", clock)
    try:
        from invigilator_app.services.console import checklist

        checklist.save_checklist(station, 1, [(i.rule_id, "yes", "") for i in checklist.checklist(station, 1)])
        for reg in REGS:
            console.check_identity(station, 1, reg, method="photo_id", id_type="passport")
            console.confirm_logged_on(station, 1, reg)
            console.start_candidate(station, 1, reg)
        console.record_entry(station, 1, "other", note="Quiet so far")
    finally:
        station.close()
    assert centre.hub_cli("bundle", "import", centre.return_from("Room A")).code == 0
    return centre


@pytest.fixture
def centre(built: Centre, tmp_path: Path) -> Centre:
    return copy_centre(built, tmp_path)


def _hub_head(centre: Centre) -> tuple[int, str, str]:
    hub = open_station(centre.hub, PASSWORD)
    try:
        with hub.read() as session:
            count, head = audit.head(session)
        return count, head, session_detail(hub, 1).entries[-1].note
    finally:
        hub.close()


def _more_at_the_station(centre: Centre, note: str) -> None:
    station = centre.open("Room A", Clock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC)))
    try:
        console.record_entry(station, 1, "other", note=note)
    finally:
        station.close()


def test_a_row_changed_outside_the_app_at_the_station_is_refused_at_the_hub(centre: Centre) -> None:
    _more_at_the_station(centre, "Candidate R1000002 asked for water")
    with raw_store(centre.stations["Room A"], INVIGILATOR_PASSWORD, ALEX) as conn:
        conn.execute(
            "UPDATE log_entries SET note = 'Nothing happened' WHERE note = 'Candidate R1000002 asked for water'"
        )
    before = _hub_head(centre)
    res = centre.hub_cli("bundle", "import", centre.return_from("Room A"))
    assert res.code == 4 and "is not the row station Room A's signed chain holds" in res.err, res.err
    assert _hub_head(centre) == before


def test_a_station_chain_cut_back_after_the_hub_had_it_is_refused(centre: Centre) -> None:
    """The insider deletes the last entries the hub already holds (and the row they wrote),
    then goes on recording: the station's chain no longer extends what the hub holds."""
    with raw_store(centre.stations["Room A"], INVIGILATOR_PASSWORD, ALEX) as conn:
        held = int(conn.execute("SELECT value FROM store_meta WHERE key = 'bundle_sent_entries'").fetchone()[0])
        conn.execute("DELETE FROM audit_entries WHERE id > ?", (held - 3,))
        conn.execute("DELETE FROM log_entries WHERE note = 'Quiet so far'")
    _more_at_the_station(centre, "Recorded after the cut")
    before = _hub_head(centre)
    res = centre.hub_cli("bundle", "import", centre.return_from("Room A"))
    assert res.code == 4, res.err
    assert "does not follow on" in res.err or "checkpoint does not match" in res.err, res.err
    assert _hub_head(centre) == before
