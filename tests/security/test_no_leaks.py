"""Nothing sensitive leaks: after a scripted session with sentinel names, registration
numbers, PINs and passwords, none of them is in the log, temp files, settings, crash
output or the raw bytes of the store, its WAL and its backups; no log line carries a
password, key or PIN. And there is no field for the invigilator's IMI password (INV-1)."""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

import pytest

from invigilator_app.security.keyslots import SlotFile, user_owner
from invigilator_app.services.access import open_station
from invigilator_app.services.console import recording as console
from invigilator_app.services.console import sessions
from invigilator_app.store.models import Base
from tests.helpers import cli, plan, write_json

COORDINATOR_PASSWORD = "sentinel coordinator phrase thirty-one"
INVIGILATOR_PASSWORD = "sentinel invigilator phrase forty-two"
PIN = "PIN-QZX-4471"
CANDIDATES = [("QZXFIRSTALPHA", "QZXLASTALPHA", "QZX9090041"), ("QZXFIRSTBETA", "QZXLASTBETA", "QZX9090042")]
NOTE = "QZXNOTE candidate felt faint"
SENTINELS = [COORDINATOR_PASSWORD, INVIGILATOR_PASSWORD, PIN, NOTE] + [v for c in CANDIDATES for v in c]
ROOT = Path(__file__).resolve().parents[2]


def encodings(text: str) -> list[bytes]:
    out = []
    for variant in {text, text.lower(), text.upper()}:
        out += [variant.encode("utf-8"), variant.encode("utf-16-le")]
    return out


def leaks(data: bytes, secrets: list[str]) -> list[str]:
    return [s for s in secrets if any(e in data for e in encodings(s))]


def scan(folder: Path, secrets: list[str], skip: tuple[Path, ...] = ()) -> dict[str, list[str]]:
    found = {}
    for path in folder.rglob("*"):
        if path.is_file() and not any(path.is_relative_to(s) for s in skip):
            hits = leaks(path.read_bytes(), secrets)
            if hits:
                found[str(path)] = hits
    return found


def test_a_scripted_session_leaves_no_sentinel_anywhere(
    tmp_path: Path, isolated_environment: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    data_dir = tmp_path / "store"
    exports = tmp_path / "exports"
    exports.mkdir()

    def run(*args: str | Path, stdin: str, user: str | None = None):
        before = ("--user", user) if user else ()
        res = cli("--data-dir", data_dir, *before, "--password-stdin", *args, stdin=stdin)
        assert res.code == 0, res.err
        return res

    res = cli(
        "--data-dir",
        data_dir,
        "init",
        "--centre-name",
        "Northgate",
        "--centre-number",
        "IMI 1",
        "--coordinator",
        "Sam Coordinator",
        "--password-stdin",
        stdin=COORDINATOR_PASSWORD + "\n",
    )
    assert res.code == 0
    recovery_key = res.out.strip()
    csv_file = exports / "candidates.csv"
    csv_file.write_text(
        "registration_number,first_name,last_name\n"
        + "".join(f"{reg},{first},{last}\n" for first, last, reg in CANDIDATES),
        encoding="utf-8",
    )
    run("candidates", "import", csv_file, stdin=COORDINATOR_PASSWORD + "\n")
    data = plan(regs=tuple(reg for _, _, reg in CANDIDATES))
    data["invigilator"]["imi_pin"] = PIN
    session_id = int(
        run("session", "plan", write_json(exports / "plan.json", data), stdin=COORDINATOR_PASSWORD + "\n").out
    )
    run(
        "users",
        "add",
        "Alex Patel",
        "--role",
        "invigilator",
        "--imi-pin",
        PIN,
        stdin=f"{COORDINATOR_PASSWORD}\n{INVIGILATOR_PASSWORD}\n",
    )
    run(
        "session",
        "log",
        session_id,
        write_json(
            exports / "log.json",
            [
                {"type": "identity_check", "at": "2026-12-01T09:20", "registration_number": CANDIDATES[0][2]},
                {"type": "start", "at": "2026-12-01T09:31", "registration_number": CANDIDATES[0][2]},
                {"type": "emergency", "at": "2026-12-01T09:50", "registration_number": CANDIDATES[0][2], "note": NOTE},
            ],
        ),
        stdin=INVIGILATOR_PASSWORD + "\n",
        user="Alex Patel",
    )
    run(
        "session",
        "export",
        session_id,
        "--out",
        exports / "record.pdf",
        stdin=INVIGILATOR_PASSWORD + "\n",
        user="Alex Patel",
    )
    run("verify", "--audit", stdin=COORDINATOR_PASSWORD + "\n")
    run("station", "checkpoint", "--out", exports / "checkpoint.txt", stdin=COORDINATOR_PASSWORD + "\n")
    assert (
        cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin="a wrong sentinel QZX guess\n").code
        == 5
    )

    # A crash: the user sees the kind of error only; the log line names no data.
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"internal failure near {CANDIDATES[1][2]} with PIN {PIN}")

    monkeypatch.setattr(sessions, "list_sessions", boom)
    crash = cli("--data-dir", data_dir, "--password-stdin", "sessions", "list", stdin=COORDINATOR_PASSWORD + "\n")
    assert crash.code == 1 and "RuntimeError" in crash.err
    assert leaks((crash.err + crash.out).encode("utf-8"), SENTINELS) == []

    # While the station is open and has just written, the WAL is on disk too: scan it then.
    station = open_station(data_dir, INVIGILATOR_PASSWORD, user="Alex Patel")
    try:
        console.record_entry(
            station, session_id, "other", note=NOTE + " again", registration_numbers=[CANDIDATES[1][2]]
        )
        assert (data_dir / "store.db-wal").exists()
        raw = scan(data_dir, SENTINELS)
    finally:
        station.close()
    assert raw == {}, "the store, its WAL, backups, key slots and attempt log hold no sentinel in plain bytes"
    assert scan(data_dir, SENTINELS) == {}
    # Temp files, settings and every other user folder (HOME, XDG_*, APPDATA …).
    assert scan(temp, SENTINELS) == {}
    assert scan(isolated_environment, SENTINELS) == {}
    # The log: no sentinel, no password, no key, no PIN.
    slots = SlotFile.load(data_dir / "keyslots.json")
    data_key = slots.open(user_owner("Sam Coordinator"), COORDINATOR_PASSWORD.encode()).hex()
    log_text = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert any("unexpected error" in r.getMessage() for r in caplog.records), "the crash was logged"
    for secret in [*SENTINELS, recovery_key, data_key, data_key.upper()]:
        assert secret.lower() not in log_text.lower(), secret
    # The files the user wrote or asked for do carry the data (and show the scan finds it): that is their job.
    assert set(scan(exports, SENTINELS)[str(csv_file)]) >= {v for c in CANDIDATES for v in c}
    assert (exports / "record.pdf").stat().st_size > 0


def test_there_is_no_field_for_the_invigilators_imi_password_anywhere() -> None:
    """No column, option, form field or name for it (prose that says it is never asked is fine)."""
    pattern = re.compile(r"imi[_-]?pass", re.IGNORECASE)
    columns = [c.name for table in Base.metadata.tables.values() for c in table.columns]
    assert not [c for c in columns if pattern.search(c)]
    for path in [*ROOT.glob("forms/*.ui"), *ROOT.glob("invigilator_app/**/*.py")]:
        assert not pattern.search(path.read_text(encoding="utf-8")), path
