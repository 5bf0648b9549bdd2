"""A bundle import killed at any point leaves a store that opens, verifies, and holds either
nothing of the bundle or all of it; one that held nothing takes the same bundle afterwards."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.trust.integrity import verify_store
from tests.centre.centre_helpers import ALEX, Centre, Clock, make_centre, run_session
from tests.helpers import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
KILLS = 21
REGS = ("R1000001", "R1000002", "R1000003", "R1000004")


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Centre, Path]:
    """A hub, and the bundle its station sent back after running a session of four."""
    root = tmp_path_factory.mktemp("centre")
    centre = make_centre(root, stations=("Room A",))
    res = centre.plan("a1", "09:00", "Room A", REGS, "EV1", ALEX)
    assert res.code == 0, res.err
    assert centre.receive_at("Room A", centre.send("Room A", 1)).code == 0
    clock = Clock(datetime(2026, 12, 1, 8, tzinfo=UTC))
    station = centre.open("Room A", clock)
    try:
        run_session(station, 1, clock, REGS, "09:00")
    finally:
        station.close()
    return centre, centre.return_from("Room A")


def _import(hub: Path, bundle: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.kdf",
            "--data-dir",
            str(hub),
            "--password-stdin",
            "bundle",
            "import",
            str(bundle),
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdin is not None
    child.stdin.write(PASSWORD + "\n")
    child.stdin.close()
    return child


def _holds(hub: Path) -> str:
    """ "all" or "nothing" of the bundle; the store must open and verify either way."""
    station = open_station(hub, PASSWORD)
    try:
        verify_store(station)
        detail = session_detail(station, 1)
        states = {a.state for a in detail.allocations}
        if detail.summary.state == "closed":
            assert states == {"finished"} and any("Fire alarm" in e.note for e in detail.entries)
            return "all"
        assert detail.summary.state == "planned" and not detail.entries and states == {"expected"}
        return "nothing"
    finally:
        station.close()


def test_an_import_killed_at_random_points_holds_nothing_or_all(returned: tuple[Centre, Path], tmp_path: Path) -> None:
    centre, bundle = returned
    whole = tmp_path / "whole"
    shutil.copytree(centre.hub, whole)
    started = time.perf_counter()
    assert _import(whole, bundle).wait(timeout=120) == 0
    took = time.perf_counter() - started
    assert _holds(whole) == "all"
    rng = random.Random(14)
    seen = []
    for i in range(KILLS):
        hub = tmp_path / f"kill-{i}"
        shutil.copytree(centre.hub, hub)
        child = _import(hub, bundle)
        time.sleep(rng.uniform(0.1, took))
        if child.poll() is None:
            child.kill()
        child.wait(timeout=60)
        held = _holds(hub)
        seen.append(held)
        if held == "nothing" and seen.count("nothing") <= 2:  # the same bundle goes in afterwards, whole
            assert _import(hub, bundle).wait(timeout=120) == 0
            assert _holds(hub) == "all"
        shutil.rmtree(hub)
    assert len(seen) == KILLS
