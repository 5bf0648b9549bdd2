"""Counts for the durable append, which do not swing with the machine's load: the SQL
statements one ``record_entry`` sends (SQLAlchemy events: every cursor execute, and the
commit), and the ``fsync``/``fdatasync`` calls per entry (``strace -f -c``), for the
station and for the bare sqlite3 insert+commit it is compared with.

The system calls are counted in two child processes after the same set-up, one making N
appends and one making 2N; the difference divided by N is the count per entry. What each
child does once (opening, and the checkpoint when the store closes) cancels out, in the
station's children and in the bare ones alike.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[2]
APPENDS = 400
"""N: the children make N and 2N appends. The N counted include the WAL checkpoints that
fall among them (SQLite's auto-checkpoint at 1,000 pages: about every 160th entry of the
station's, which writes some six pages, and every 500th bare insert, which writes two)."""

CHILD = """
import sys, sqlite3, tempfile
sys.path.insert(0, sys.argv[1])
from pathlib import Path
mode, n, data_dir, password, user, sid, reg, tmp = sys.argv[2:10]
n = int(n)
if mode == "bare":
    db = sqlite3.connect(Path(tmp) / "baseline.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE log_entries (id INTEGER PRIMARY KEY, session_id INTEGER, type TEXT, at TEXT, note TEXT)")
    for _ in range(n):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO log_entries (session_id, type, at, note) VALUES (1, 'other', '2026-01-01', 'x')")
        db.execute("COMMIT")
    db.close()
else:
    from invigilator_app.services.access import open_station
    from invigilator_app.services.console.recording import record_entry
    station = open_station(Path(data_dir), password, user=user)
    for _ in range(n):
        if mode == "named":
            record_entry(station, int(sid), "it_issue", registration_numbers=[reg], note="Benchmark entry: froze.")
        else:
            record_entry(station, int(sid), "other", note="Benchmark entry: left the room briefly.")
    station.close()
"""


def statements_per_append(station: Any, append: Any) -> list[str]:
    """The statements one call of ``append()`` sends, in order (COMMIT included): through
    the engine (SQLAlchemy events) and through the store's writer connection
    (``store.lean``: SQLite's own trace of each statement run)."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()[:3]))

    def commit(_conn: Any) -> None:
        seen.append("COMMIT")

    def traced(statement: str) -> None:
        seen.append(" ".join(statement.split()[:3]))

    engine = station.db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", commit)
    with station.db.writer() as (writer, _):
        writer.set_trace_callback(traced)
    try:
        append()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "commit", commit)
        with station.db.writer() as (writer, _):
            writer.set_trace_callback(None)
    return seen


def _syncs(strace: str, args: list[str], env: dict[str, str]) -> int:
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
        subprocess.run(
            [strace, "-f", "-c", "-e", "trace=fsync,fdatasync", "-o", out.name, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        text = Path(out.name).read_text()
    total = 0
    for line in text.splitlines():
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(fsync|fdatasync)\s*$", line)
        if m:
            total += int(m.group(1))
    return total


def syncs_per_entry(info: dict[str, Any], mode: str) -> float | None:
    """fsync + fdatasync calls per appended entry (``mode``: plain, named or bare), or None
    without strace."""
    strace = shutil.which("strace")
    if strace is None:
        return None
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    with tempfile.TemporaryDirectory(dir=Path(info["data_dir"]).parent) as tmp:

        def args(n: int) -> list[str]:
            return [
                sys.executable,
                "-c",
                CHILD,
                str(ROOT),
                mode,
                str(n),
                info["data_dir"],
                info["password"],
                info["coordinator"],
                str(info["append_session_id"]),
                info["running_registration_numbers"][0],
                tmp,
            ]

        some = _syncs(strace, args(APPENDS), env)
        if mode == "bare":
            Path(tmp, "baseline.db").unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(tmp, "baseline.db" + suffix).unlink(missing_ok=True)
        many = _syncs(strace, args(2 * APPENDS), env)
    return (many - some) / APPENDS


def driver_floor(info: dict[str, Any], key: bytes, repeat: int) -> list[float]:
    """The append's own statements sent straight through the SQLCipher driver, no Python
    around them: BEGIN IMMEDIATE, the session read, the entry, its audit entry (id and hash
    given, nothing computed), COMMIT. What no code above the driver can go below. Each row
    is deleted again after its timing (not timed), so the store's chain stays whole."""
    import time

    from invigilator_app.store.database import StorePaths
    from invigilator_app.store.engine import connect

    conn = connect(StorePaths(Path(info["data_dir"])).db, key)
    conn.isolation_level = None
    sid = info["append_session_id"]
    stamp = "2026-01-01 09:00:00.000000"
    samples: list[float] = []
    try:
        for i in range(repeat + 3):
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("SELECT * FROM sessions WHERE id = ?", (sid,)).fetchone()
            entry = conn.execute(
                "INSERT INTO log_entries (session_id, type, at, note, recorded_at, question_number, assessment_code,"
                " notify_party, notification_reference, transcribed, late, late_reason, flags)"
                " VALUES (?, 'other', ?, 'Benchmark floor', ?, '', '', '', '', 0, 0, '', '')",
                (sid, stamp, stamp),
            ).lastrowid
            n = conn.execute("SELECT max(id) FROM audit_entries").fetchone()[0] + 1
            conn.execute(
                "INSERT INTO audit_entries (id, at, actor, action, entity, entity_id, digest, prev_hash, hash,"
                " version, fields) VALUES (?, ?, 'bench', 'insert', 'log_entries', '0', 'd', 'p', 'h', 2, '')",
                (n, stamp),
            )
            conn.execute("COMMIT")
            if i >= 3:
                samples.append(time.perf_counter() - started)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM audit_entries WHERE id = ?", (n,))
            conn.execute("DELETE FROM log_entries WHERE id = ?", (entry,))
            conn.execute("COMMIT")
    finally:
        conn.close()
    return samples
