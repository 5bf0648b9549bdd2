"""Benchmarks of a centre with several rooms (docs/bundles.md), run by tests/bench/run.py
(step ``centre``).

- A station's whole day both ways: the hub's bundle for a 40-candidate session (export at
  the hub, import at the station), and the station's bundle back after the session ran
  (export at the station, import at the hub: every entry's signature and every row checked
  against the station's chain). Baseline: age-encrypting and -decrypting the same bytes
  and an Ed25519 signature (the cryptographic floor of any bundle). Target: under 2 s each.
- The hub's plan check over a centre whose history came from 10 stations (the generated
  store's sessions and allocations renumbered into 11 id ranges, as a hub holding 10
  stations' records has them), beside the same check on the store as generated (one PC).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives.asymmetric import ed25519

from invigilator_app.security import keyslots
from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.store.database import StorePaths
from invigilator_app.store.engine import connect

CANDIDATES = 40
STATIONS = 10


def _cheap() -> Callable[[], None]:
    """The test suite's cheap key derivation while the centre is built (bundles derive no keys)."""
    from tests import kdf

    real = keyslots.kdf_policy
    kdf.install()

    def undo() -> None:
        keyslots.kdf_policy = real

    return undo


def _build(root: Path) -> dict[str, Any]:
    from tests.centre.centre_helpers import ALEX, Clock, make_centre, run_session
    from tests.helpers import PASSWORD, cli, plan, workstations, write_json

    centre = make_centre(root, stations=("Room A",))
    regs = tuple(f"R{2000001 + i}" for i in range(CANDIDATES))
    csv_file = root / "more.csv"
    csv_file.write_text(
        "registration_number,first_name,last_name,date_of_birth\n"
        + "".join(f"{r},Bench,Candidate {i},\n" for i, r in enumerate(regs)),
        encoding="utf-8",
    )
    res = cli("--data-dir", centre.hub, "--password-stdin", "candidates", "import", csv_file, stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    data = plan(day="2026-12-01", start="09:00", room="Room A", regs=regs, assessment="EV1", qualification="603/1465/5")
    data["workstations"] = workstations(CANDIDATES, spacing=2.0)
    data["invigilator"].update(
        name=ALEX,
        imi_pin="IMI-PIN-7731",
        declaration_change={"reason": "Declared impartial at induction", "confirmed_by": "Sam Coordinator"},
    )
    for c in data["candidates"]:
        c["planned_minutes"] = 45
    res = centre.hub_cli("session", "plan", write_json(root / "day.json", data))
    assert res.code == 0, res.err
    sid = int(res.out)
    hub_before_send = root / "hub-before-send"
    shutil.copytree(centre.hub, hub_before_send)
    to_station = centre.send("Room A", sid)
    station_before_import = root / "station-before-import"
    shutil.copytree(centre.stations["Room A"], station_before_import)
    assert centre.receive_at("Room A", to_station).code == 0
    clock = Clock(datetime(2026, 12, 1, 8, tzinfo=UTC))
    station = centre.open("Room A", clock)
    try:
        run_session(station, sid, clock, regs, "09:00", notes=CANDIDATES)
    finally:
        station.close()
    station_before_export = root / "station-before-export"
    shutil.copytree(centre.stations["Room A"], station_before_export)
    back = centre.return_from("Room A")
    hub_before_import = root / "hub-before-import"
    shutil.copytree(centre.hub, hub_before_import)
    return {
        "centre": centre,
        "session": sid,
        "to_station": to_station,
        "back": back,
        "hub_before_send": hub_before_send,
        "station_before_import": station_before_import,
        "station_before_export": station_before_export,
        "hub_before_import": hub_before_import,
    }


def _repeat(
    timed: Callable[..., list[float]], fresh: Path, work: Path, action: Callable[[Path], Any], repeat: int
) -> list[float]:
    """Time ``action`` on a fresh copy of ``fresh`` each time (the copy is not timed)."""
    samples: list[float] = []
    for _ in range(repeat):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(fresh, work)
        samples += timed(lambda: action(work), 1, 0)
    return samples


def bench_bundles(info: dict[str, Any], repeat: int, *, Row: Any, timed: Callable[..., list[float]]) -> list[Any]:  # noqa: N803
    from invigilator_app.services.access import open_station
    from invigilator_app.services.stations.exchange import export_bundle, import_bundle
    from tests.centre.centre_helpers import ALEX, INVIGILATOR_PASSWORD
    from tests.helpers import PASSWORD

    undo = _cheap()
    root = Path(tempfile.mkdtemp(prefix="bench-centre-"))
    try:
        built = _build(root)
        sid = built["session"]
        n = max(3, repeat // 3)
        usb = root / "out"
        usb.mkdir()

        def export_hub(folder: Path) -> None:
            hub = open_station(folder, PASSWORD)
            try:
                export_bundle(hub, "Room A", usb / "to-a.bundle", [sid])
            finally:
                hub.close()
            (usb / "to-a.bundle").unlink()

        def import_station(folder: Path) -> None:
            station = open_station(folder, INVIGILATOR_PASSWORD, user=ALEX)
            try:
                import_bundle(station, built["to_station"])
            finally:
                station.close()

        def export_station(folder: Path) -> None:
            station = open_station(folder, INVIGILATOR_PASSWORD, user=ALEX)
            try:
                export_bundle(station, "hub", usb / "to-hub.bundle")
            finally:
                station.close()
            (usb / "to-hub.bundle").unlink()

        def import_hub(folder: Path) -> None:
            hub = open_station(folder, PASSWORD)
            try:
                import_bundle(hub, built["back"])
            finally:
                hub.close()

        work = root / "work"
        rows_out = []
        for key, label, fresh, action, bundle in (
            (
                "bundle_hub_export",
                "hub → station bundle: export (40-candidate session)",
                built["hub_before_send"],
                export_hub,
                built["to_station"],
            ),
            (
                "bundle_station_import",
                "hub → station bundle: import at the station",
                built["station_before_import"],
                import_station,
                built["to_station"],
            ),
            (
                "bundle_station_export",
                "station → hub bundle: export (the day's records)",
                built["station_before_export"],
                export_station,
                built["back"],
            ),
            (
                "bundle_hub_import",
                "station → hub bundle: import at the hub (every signature, every row)",
                built["hub_before_import"],
                import_hub,
                built["back"],
            ),
        ):
            samples = _repeat(timed, fresh, work, action, n)
            data = bundle.read_bytes()
            base = timed(lambda data=data: _crypto_floor(data), n, 1)
            rows_out.append(
                Row(
                    key,
                    label,
                    samples,
                    "age encrypt + decrypt of the same bytes and an Ed25519 signature",
                    base,
                    note=f"target < 2 s; bundle {len(data) // 1024} KiB; open + close of the store included",
                    count=f"{len(data)} bytes",
                )
            )
        return rows_out
    finally:
        undo()
        shutil.rmtree(root, ignore_errors=True)


def _crypto_floor(data: bytes) -> None:
    identity = pyrage.x25519.Identity.generate()
    sealed = pyrage.encrypt(data, [identity.to_public()])
    pyrage.decrypt(sealed, [identity])
    ed25519.Ed25519PrivateKey.generate().sign(data[:4096])


def bench_centre_rules(
    info: dict[str, Any],
    repeat: int,
    *,
    Row: Any,  # noqa: N803 - the runner's row class
    rule_check: Callable[[dict[str, Any], int], list[Any]],
) -> list[Any]:
    """The plan check on the generated store as it is, and on a copy whose sessions and
    allocations carry the ids of a hub holding 10 stations' records."""
    data_dir = Path(info["data_dir"])
    single = rule_check(info, repeat)[0]
    root = Path(tempfile.mkdtemp(prefix="bench-hub-", dir=data_dir.parent))
    try:
        copy = root / "store"
        shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("backups"))
        key = bytes(
            SlotFile.load(StorePaths(copy).slots).open(user_owner(info["coordinator"]), info["password"].encode())
        )
        started = time.perf_counter()
        _spread(copy, key)
        spread_s = time.perf_counter() - started
        hub = rule_check(dict(info, data_dir=str(copy)), repeat)[0]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return [
        Row(
            "centre_rule_check",
            f"hub's rule check of a 40-candidate plan, history from {STATIONS} stations' id ranges",
            hub.samples,
            "the same check on the store as generated (one PC)",
            single.samples,
            note=f"renumbering took {spread_s:.0f} s (not timed); " + hub.note,
        )
    ]


def _spread(store: Path, key: bytes) -> None:
    """Sessions and allocations into 11 ranges (the hub and 10 stations), as at a hub."""
    conn = connect(StorePaths(store).db, key)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        shift = "((({c}) % 11) * 100000000)"
        conn.execute(f"UPDATE sessions SET id = id + {shift.format(c='id')}")
        conn.execute(
            f"UPDATE allocations SET session_id = session_id + {shift.format(c='session_id')}, "
            f"id = id + {shift.format(c='id')}"
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
