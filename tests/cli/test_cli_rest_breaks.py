"""A supervised rest break transcribed from the paper log (`rest_break_start` /
`rest_break_end`): the candidate's clock stops for the break, as the console's Ctrl+Alt+B
does, so their planned finish moves on by it; no one else's does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from invigilator_app.services.access import open_station
from invigilator_app.services.console import clock
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.review.records import build_record
from tests.helpers import PASSWORD, CliResult, cli, plan, seeded, write_json

D = "2026-12-01T"
ALL = ["R1000001", "R1000002", "R1000003"]


def run(store: Path, *args: Any) -> CliResult:
    res = cli("--data-dir", store, "--password-stdin", *args, stdin=PASSWORD + "\n")
    assert "Traceback" not in res.err
    return res


def planned(store: Path) -> dict[str, str]:
    station = open_station(store, PASSWORD)
    try:
        return {c.registration_number: c.planned_finish for c in clock.session_clock(station, 1).candidates}
    finally:
        station.close()


def test_a_paper_rest_break_moves_that_candidates_finish(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    data = plan(regs=tuple(ALL))
    for c in data["candidates"]:
        c["planned_minutes"] = 45
    data["candidates"][0]["access_arrangements"] = {"rest_breaks": True}
    assert run(store, "session", "plan", write_json(tmp_path / "plan.json", data)).code == 0

    def log(entries: list[dict[str, Any]], name: str) -> CliResult:
        return run(store, "session", "log", "1", write_json(tmp_path / name, entries))

    started = [
        {"type": "identity_check", "at": D + "09:20", "registration_numbers": ALL, "note": "college ID card"},
        {"type": "logged_on", "at": D + "09:28", "registration_numbers": ALL},
        {"type": "start", "at": D + "09:33", "registration_numbers": ALL},
    ]
    assert log(started, "start.json").code == 0
    assert planned(store) == {"R1000001": "10:18", "R1000002": "10:18", "R1000003": "10:18"}

    res = log(
        [
            {"type": "rest_break_start", "at": D + "10:00", "registration_number": "R1000001", "note": "water"},
            {"type": "rest_break_end", "at": D + "10:12", "registration_number": "R1000001"},
            {"type": "finish", "at": D + "10:30", "registration_numbers": ["R1000001", "R1000002"]},
        ],
        "break.json",
    )
    assert res.code == 0, res.err
    assert planned(store)["R1000001"] == "10:30", "planned 10:18 + the 12-minute break"
    assert planned(store)["R1000002"] == "10:18", "no one else's clock stopped"
    station = open_station(store, PASSWORD)
    try:
        allocs = {a.registration_number: a for a in session_detail(station, 1).allocations}
        record = build_record(station, 1)
    finally:
        station.close()
    assert allocs["R1000001"].flags == "", "finished at 10:30 = the planned finish with the break: no overrun"
    assert "after the planned finish 10:18" in allocs["R1000002"].flags
    notes = [e.note for e in record.entries if any("R1000001" in c for c in e.candidates)]
    assert any(n.startswith("Supervised rest break started") and n.endswith("water") for n in notes), notes
    assert any("ended after 12 min" in n for n in notes), notes


def test_rest_breaks_on_paper_that_do_not_fit_are_flagged_or_refused(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    data = plan(regs=tuple(ALL))
    for c in data["candidates"]:
        c["planned_minutes"] = 45
    assert run(store, "session", "plan", write_json(tmp_path / "plan.json", data)).code == 0
    res = run(
        store,
        "session",
        "log",
        "1",
        write_json(tmp_path / "bad.json", [{"type": "rest_break_start", "at": D + "10:00"}]),
    )
    assert res.code == 2 and "$[0].registration_number: required for rest_break_start" in res.err
    entries = [
        {"type": "start", "at": D + "09:33", "registration_number": "R1000003"},
        {"type": "rest_break_start", "at": D + "10:00", "registration_number": "R1000003"},
        {"type": "rest_break_end", "at": D + "10:05", "registration_number": "R1000003"},
        {"type": "rest_break_end", "at": D + "10:06", "registration_number": "R1000002"},
    ]
    assert run(store, "session", "log", "1", write_json(tmp_path / "odd.json", entries)).code == 0
    station = open_station(store, PASSWORD)
    try:
        allocs = {a.registration_number: a for a in session_detail(station, 1).allocations}
    finally:
        station.close()
    assert "without the access arrangement" in allocs["R1000003"].flags
    assert "ends a rest break at 10:06 that was never started" in allocs["R1000002"].flags
    assert planned(store)["R1000003"] == "10:23", "the paper says the break happened: the clock stopped for it"
