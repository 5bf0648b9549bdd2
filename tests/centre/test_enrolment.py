"""Enrolling a room PC: the code opens the file, a wrong code or a changed file writes
nothing, and the centre's people log in at the new station with their usual passwords."""

from __future__ import annotations

from pathlib import Path

from invigilator_app.services.access import open_station
from invigilator_app.services.stations.centre import centre_place
from tests.centre.centre_helpers import ALEX, INVIGILATOR_PASSWORD, make_centre
from tests.helpers import PASSWORD, cli


def test_enrolment_needs_its_code_and_an_unchanged_file(tmp_path: Path) -> None:
    centre = make_centre(tmp_path, stations=())
    enrolment = tmp_path / "room-c.enrol"
    res = centre.hub_cli("station", "enrol", "Room C", "--out", enrolment)
    assert res.code == 0, res.err
    code, recovery_key = res.out.splitlines()
    assert len(code) == 29 and code.count("-") == 5
    target = tmp_path / "room-c"

    wrong = cli("--data-dir", target, "init", "--enrolment", enrolment, "--password-stdin", stdin="AAAA-BBBB\n")
    assert wrong.code == 4 and "enrolment code" in wrong.err and not target.exists()
    changed = tmp_path / "changed.enrol"
    data = bytearray(enrolment.read_bytes())
    data[-40] ^= 1
    changed.write_bytes(bytes(data))
    res = cli("--data-dir", target, "init", "--enrolment", changed, "--password-stdin", stdin=code + "\n")
    assert res.code == 4 and not target.exists()
    both = cli(
        "--data-dir",
        target,
        "init",
        "--enrolment",
        enrolment,
        "--centre-name",
        "X",
        "--password-stdin",
        stdin=code + "\n",
    )
    assert both.code == 2 and "come from the enrolment file" in both.err

    res = cli("--data-dir", target, "init", "--enrolment", enrolment, "--password-stdin", stdin=code.lower() + "\n")
    assert res.code == 0, res.err
    assert "station Room C" in res.err
    again = cli("--data-dir", target, "init", "--enrolment", enrolment, "--password-stdin", stdin=code + "\n")
    assert again.code == 2 and "already a store" in again.err

    station = open_station(target, INVIGILATOR_PASSWORD, user=ALEX)
    try:
        place = centre_place(station)
        assert place.role == "station" and place.name == "Room C"
    finally:
        station.close()
    assert (
        cli(
            "--data-dir",
            target,
            "--user",
            ALEX,
            "--password-stdin",
            "verify",
            "--audit",
            stdin=INVIGILATOR_PASSWORD + "\n",
        ).code
        == 0
    )
    # The station's own recovery key, printed at the hub, opens it too.
    res = cli("--data-dir", target, "recovery", stdin=f"{recovery_key}\n{PASSWORD}\n")
    assert res.code == 0, res.err
    listed = centre.hub_cli("station", "list")
    assert listed.out.startswith("1\tRoom C\tnone yet\tnone yet\tno records yet\t-"), listed.out
