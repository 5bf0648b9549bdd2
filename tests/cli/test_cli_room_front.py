"""Rooms record the door and the front (the way candidates face); `session plan` accepts
them, also for an existing room, with its site; the record's seating plan draws both and
prints the room's site, never the centre's site type."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from invigilator_app.services.access import open_station
from invigilator_app.services.review.records import build_record
from tests.helpers import PASSWORD, cli, plan, seeded, write_json


def run(store: Path, *args: object):
    res = cli("--data-dir", store, "--password-stdin", *args, stdin=PASSWORD + "\n")
    assert "Traceback" not in res.err
    return res


def test_door_front_and_site(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    assert run(store, "session", "plan", write_json(tmp_path / "a.json", plan())).code == 0
    later = plan(
        start="13:00",
        with_layout=False,
        assessment="MOT-4-B",
        door={"x": 6.5, "y": 0.0},
        facing="West",
        site="Riverside campus",
    )
    res = run(store, "session", "plan", write_json(tmp_path / "b.json", later))
    assert res.code == 0, res.err
    station = open_station(store, PASSWORD)
    try:
        record = build_record(station, 2)
    finally:
        station.close()
    assert (record.door, record.facing, record.site) == ((6.5, 0.0), "west", "Riverside campus")
    out = tmp_path / "record.pdf"
    assert run(store, "session", "export", "2", "--out", out).code == 0
    text = "\n".join(p.extract_text() or "" for p in PdfReader(out).pages)
    assert "Door" in text and "\u25c0 Front" in text
    assert "Site: Riverside campus" in text and "Site: lead" not in text
    bad = run(
        store, "session", "plan", write_json(tmp_path / "c.json", plan(start="16:00", with_layout=False, facing="up"))
    )
    assert bad.code == 2 and "$.facing: 'up' is not a direction" in bad.err
