"""Benchmarks of the invigilation station against a large store, each beside a baseline.

    python tests/bench/run.py [--scale small|full] [--json FILE] [--repeat N] [--root DIR]

Prints one row per operation: its median, the median of a baseline measured in the same
run, their ratio and the number of timed repeats. Rows marked "(info)" break an operation
down or show a cost that is not an operation of its own; they have no baseline. The
store comes from tests/bench/generate.py (cached under /tmp/invigilator-bench/<scale>/).
See docs/performance.md for what each row means and the targets.

Each run appends a few dozen log entries (with their audit entries) to the cached store.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from argon2.low_level import Type, hash_secret_raw  # noqa: E402

from invigilator_app.domain.enums import IncidentType  # noqa: E402
from invigilator_app.domain.timezones import to_utc  # noqa: E402
from invigilator_app.rules.facts import AttemptFact, InvigilatorFact, PlanFact, WorkstationFact  # noqa: E402
from invigilator_app.rules.plan import check_plan  # noqa: E402
from invigilator_app.security.keyslots import PRODUCTION_COST, SlotFile, user_owner  # noqa: E402
from invigilator_app.services import facts  # noqa: E402
from invigilator_app.services.access import open_station  # noqa: E402
from invigilator_app.services.console.recording import record_entry  # noqa: E402
from invigilator_app.services.trust.integrity import verify_store  # noqa: E402
from invigilator_app.store.database import StorePaths  # noqa: E402
from invigilator_app.store.engine import connect  # noqa: E402
from tests.bench import appends, centre, generate, screens  # noqa: E402

TARGETS = {
    "main_beyond_unlock": ("main window painted after the password, beyond open_station, median", 1.0),
    "append": ("durable entry append, median", 0.030),
    "rule_check": ("rule check of a 40-candidate plan (fetch + check), median", 0.050),
    "search_first": ("log search: first page of every entry, median", 0.200),
    "search_filter": ("log search: a filter change (page + count), median", 0.300),
    "record_pdf": ("40-candidate, 60-entry record rendered and signed, median", 1.0),
    "verify_audit": ("verify --audit of the whole store (pages, chain, every row, every signature)", 60.0),
}
RATIO_TARGETS = {
    "unlock_window": ("unlock window painted, ratio to a bare PySide6 window", 2.0),
    "append": ("durable append, ratio to a bare sqlite3 insert+commit", 2.0),
    "append_named": ("durable append naming a candidate, ratio to a bare sqlite3 insert+commit", 2.0),
}
PLAN_SIZE = 40


@dataclass
class Row:
    key: str
    operation: str
    samples: list[float]
    baseline: str = ""
    baseline_samples: list[float] = field(default_factory=list)
    note: str = ""
    count: str = ""
    """A count that does not swing run to run (statements, system calls, rows), for a row
    whose figure has no baseline of its own, or beside it."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline_samples) if self.baseline_samples else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.baseline_median:
            return None
        return self.median / self.baseline_median

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "operation": self.operation,
            "median_s": self.median,
            "baseline": self.baseline,
            "baseline_median_s": self.baseline_median,
            "ratio": self.ratio,
            "n": len(self.samples),
            "samples_s": self.samples,
            "baseline_samples_s": self.baseline_samples,
            "note": self.note,
            "count": self.count,
        }


def timed(fn: Callable[[], Any], repeat: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def interleaved(fns: list[Callable[[], Any]], repeat: int, warmup: int) -> list[list[float]]:
    """``timed`` for several operations taken in turn, one sample of each per round."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, taken in zip(fns, samples, strict=True):
            start = time.perf_counter()
            fn()
            taken.append(time.perf_counter() - start)
    return samples


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


# --------------------------------------------------------------------------- operations


APPEND_SAMPLES = 201


def bench_append(info: dict[str, Any], repeat: int) -> list[Row]:
    data_dir = Path(info["data_dir"])
    station = open_station(data_dir, info["password"], user=info["coordinator"])
    sid = info["append_session_id"]
    reg = info["running_registration_numbers"][0]

    def plain_entry() -> None:
        record_entry(station, sid, IncidentType.OTHER.value, note="Benchmark entry: candidate left the room briefly.")

    def named_entry() -> None:
        record_entry(
            station,
            sid,
            IncidentType.IT_ISSUE.value,
            registration_numbers=[reg],
            note="Benchmark entry: workstation froze, restarted.",
        )

    with tempfile.TemporaryDirectory(dir=data_dir.parent) as tmp:
        db = sqlite3.connect(Path(tmp) / "baseline.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute(
            "CREATE TABLE log_entries (id INTEGER PRIMARY KEY, session_id INTEGER, type TEXT, at TEXT,"
            " note TEXT, recorded_by_id INTEGER, recorded_at TEXT, question_number TEXT,"
            " assessment_code TEXT, notify_party TEXT, late INTEGER, late_reason TEXT)"
        )
        db.execute("CREATE INDEX ix_log_entries_session_at ON log_entries (session_id, at)")

        def raw_insert() -> None:
            now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO log_entries (session_id, type, at, note, recorded_by_id, recorded_at,"
                " question_number, assessment_code, notify_party, late, late_reason)"
                " VALUES (?, ?, ?, ?, ?, ?, '', '', '', 0, '')",
                (sid, "other", now, "Benchmark entry: candidate left the room briefly.", 1, now),
            )
            db.execute("COMMIT")

        try:
            # Taken in turn, so a busy moment of the machine slows all three alike.
            # An append is a millisecond and its fsync swings: at least APPEND_SAMPLES rounds.
            rounds = max(repeat, APPEND_SAMPLES)
            plain, named, base = interleaved([plain_entry, named_entry, raw_insert], rounds, 3)
            plain_sql = appends.statements_per_append(station, plain_entry)
            named_sql = appends.statements_per_append(station, named_entry)
        finally:
            station.close()
            db.close()
    baseline = "sqlite3 INSERT+COMMIT, WAL, synchronous=FULL, temp file (same disk)"
    rows = [
        Row(
            "append",
            "durable append: console.record_entry (type other)",
            plain,
            baseline,
            base,
            "statements: " + ", ".join(plain_sql),
            count=f"{len(plain_sql)} statements (bare: 3)",
        ),
        Row(
            "append_named",
            "durable append naming 1 candidate (type it_issue)",
            named,
            baseline,
            base,
            "statements: " + ", ".join(named_sql),
            count=f"{len(named_sql)} statements (bare: 3)",
        ),
    ]
    key = bytes(
        SlotFile.load(StorePaths(data_dir).slots).open(user_owner(info["coordinator"]), info["password"].encode())
    )
    rows.append(
        Row(
            "append_floor",
            "(info) the same five statements straight through the SQLCipher driver",
            appends.driver_floor(info, key, max(repeat, APPEND_SAMPLES)),
            baseline,
            base,
            "BEGIN IMMEDIATE, SELECT the session, INSERT the entry, INSERT its audit entry (hash given), COMMIT: "
            "no Python above the driver; the floor of any append that keeps its audit entry in the same transaction",
        )
    )
    bare_syncs = appends.syncs_per_entry(info, "bare")
    if bare_syncs is None:
        rows.append(
            Row("append_fsync", "(info) fsync/fdatasync per entry: NOT MEASURED (no strace)", [], count="skipped")
        )
        return rows
    for key, mode, label in (
        ("append_fsync", "plain", "fsync + fdatasync calls per durable entry (type other)"),
        ("append_named_fsync", "named", "fsync + fdatasync calls per entry naming 1 candidate"),
    ):
        syncs = appends.syncs_per_entry(info, mode)
        rows.append(
            Row(
                key,
                f"(count) {label}",
                [],
                count=f"{syncs:.2f} (bare sqlite3: {bare_syncs:.2f})",
                note=f"strace -f -c -e trace=fsync,fdatasync: {2 * appends.APPENDS} appends minus {appends.APPENDS}",
            )
        )
    return rows


def bench_open(info: dict[str, Any], repeat: int) -> list[Row]:
    data_dir = Path(info["data_dir"])
    paths = StorePaths(data_dir)
    password = info["password"]
    slots = SlotFile.load(paths.slots)
    kdf = slots.slots[user_owner(info["coordinator"])]["kdf"]
    production = (kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"]) == (
        PRODUCTION_COST.time_cost,
        PRODUCTION_COST.memory_kib,
        PRODUCTION_COST.parallelism,
    )
    opened_key, wrapped = slots.open_with_extras(user_owner(info["coordinator"]), password.encode("utf-8"))
    key = bytes(opened_key)
    if not production:
        # The cached store predates the current production cost: re-wrap its slot (with the
        # keys it wraps) so the unlock is measured as a station would do it today.
        slots.put(user_owner(info["coordinator"]), password.encode("utf-8"), key, extras=wrapped)
        slots.save()
        production = True

    def unlock_and_open() -> None:
        open_station(data_dir, password).close()

    def unlock_only() -> None:
        SlotFile.load(paths.slots).open(user_owner(info["coordinator"]), password.encode("utf-8"))

    def raw_open() -> None:
        conn = connect(paths.db, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.close()

    def bare_kdf() -> None:
        hash_secret_raw(
            password.encode("utf-8"),
            b"0123456789abcdef",
            time_cost=kdf["time_cost"],
            memory_cost=kdf["memory_kib"],
            parallelism=kdf["parallelism"],
            hash_len=32,
            type=Type.ID,
        )

    opened = timed(unlock_and_open, repeat, 1)
    slot = timed(unlock_only, repeat, 1)
    kdf_only = timed(bare_kdf, repeat, 1)
    base = timed(raw_open, repeat, 3)
    cost = f"Argon2id t={kdf['time_cost']}, m={kdf['memory_kib'] // 1024} MiB, p={kdf['parallelism']}"
    note = cost + ("" if production else "  ** NOT the production cost **")
    return [
        Row(
            "open",
            "open large store: open_station (unlock included)",
            opened,
            "engine.connect with raw key + SELECT count(*) FROM sqlite_master",
            base,
            note,
        ),
        Row(
            "open_unlock",
            "(info) of which: key slot unlock only",
            slot,
            "argon2.low_level.hash_secret_raw at the slot's cost, alone",
            kdf_only,
            note,
        ),
    ]


def _plan(info: dict[str, Any], key: bytes) -> tuple[PlanFact, list[int], Any]:
    """40 candidates with the most history, each planned for their latest assessment."""
    conn = connect(StorePaths(Path(info["data_dir"])).db, key)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT candidate_id FROM allocations GROUP BY candidate_id ORDER BY count(*) DESC, candidate_id LIMIT ?",
            (PLAN_SIZE,),
        )
    ]
    attempts = []
    day = datetime.now(UTC).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = to_utc(day, clock_time(9, 0), generate.ZONE)
    for i, cid in enumerate(ids):
        reg, first, last, code, qual, minutes = conn.execute(
            "SELECT c.registration_number, c.first_name, c.last_name, s.code, q.number, s.planned_minutes"
            " FROM allocations a JOIN candidates c ON c.id = a.candidate_id"
            " JOIN assessments s ON s.id = a.assessment_id JOIN qualifications q ON q.id = s.qualification_id"
            " WHERE a.candidate_id = ? ORDER BY a.planned_start_utc DESC LIMIT 1",
            (cid,),
        ).fetchone()
        attempts.append(
            AttemptFact(
                key=f"plan:{i}",
                registration_number=reg,
                candidate_name=f"{first} {last}",
                assessment_id=code,
                qualification=qual,
                start=start,
                room="Bench Hall",
                planned_minutes=minutes,
                notice_date=day - timedelta(days=14),
                readiness_confirmed=True,
            )
        )
    inv_name = conn.execute("SELECT name FROM users WHERE role = 'invigilator' ORDER BY id LIMIT 1").fetchone()[0]
    history_rows = conn.execute(
        f"SELECT count(*) FROM allocations WHERE candidate_id IN ({','.join('?' * len(ids))})", ids
    ).fetchone()[0]
    conn.close()
    plan = PlanFact(
        session_id=None,
        start=start,
        room="Bench Hall",
        invigilator=InvigilatorFact(name=inv_name, imi_pin="IMI100001", impartial=True, nominated=True),
        workstations=tuple(
            WorkstationFact(f"PC{i + 1:02d}", 1.0 + 1.6 * (i % 8), 1.0 + 2.0 * (i // 8), True, True)
            for i in range(PLAN_SIZE)
        ),
        attempts=tuple(attempts),
    )
    return plan, ids, history_rows


HISTORY_SQL = (
    "SELECT a.id, c.registration_number, c.first_name, c.last_name, s.code, q.number,"
    " a.started_at, a.planned_start_utc, r.name, a.session_id, a.finished_at, s.planned_minutes,"
    " a.cancelled, a.result, a.support_note, a.notice_date, a.readiness_confirmed"
    " FROM allocations a JOIN candidates c ON c.id = a.candidate_id"
    " JOIN assessments s ON s.id = a.assessment_id JOIN qualifications q ON q.id = s.qualification_id"
    " JOIN sessions se ON se.id = a.session_id JOIN rooms r ON r.id = se.room_id"
    " WHERE a.candidate_id IN ({})"
    " AND (a.planned_start_utc BETWEEN ? AND ? OR s.code IN ({}))"
)


def bench_rule_check(info: dict[str, Any], repeat: int) -> list[Row]:
    data_dir = Path(info["data_dir"])
    paths = StorePaths(data_dir)
    key = bytes(SlotFile.load(paths.slots).open(user_owner(info["coordinator"]), info["password"].encode("utf-8")))
    plan, ids, history_rows = _plan(info, key)
    station = open_station(data_dir, info["password"], user=info["coordinator"])
    found: dict[str, Any] = {}

    def fetch() -> tuple[list[AttemptFact], dict[str, Any]]:
        with station.read() as session:
            # As services.planning reads it: what the rules can need for this plan.
            history = facts.history_for(
                session, ids, around=[plan.start], assessment_codes=[a.assessment_id for a in plan.attempts]
            )
            return history, facts.all_qualifications(session)

    def fetch_and_check() -> None:
        history, quals = fetch()
        found["violations"] = check_plan(replace(plan, qualifications=quals), history, station.zone, station.now())
        found["history"] = len(history)

    try:
        total = timed(fetch_and_check, repeat, 3)
        fetched = timed(fetch, repeat, 3)
        history, quals = fetch()
        full_plan = replace(plan, qualifications=quals)
        pure = timed(lambda: check_plan(full_plan, history, station.zone, station.now()), repeat, 3)
    finally:
        station.close()

    conn = connect(paths.db, key)
    codes = sorted({a.assessment_id for a in plan.attempts})
    sql = HISTORY_SQL.format(",".join("?" * len(ids)), ",".join("?" * len(codes)))
    reach = facts.HISTORY_REACH
    window = [
        (plan.start - reach).replace(tzinfo=None).isoformat(" "),
        (plan.start + reach).replace(tzinfo=None).isoformat(" "),
    ]
    params = [*ids, *window, *codes]

    def raw() -> None:
        conn.execute(sql, params).fetchall()
        conn.execute("SELECT * FROM qualifications").fetchall()

    base = timed(raw, repeat, 3)
    conn.close()
    rules = sorted({v.rule_id for v in found["violations"]})
    note = (
        f"{len(ids)} candidates with {history_rows} stored attempts, {found['history']} of them read; "
        f"{len(found['violations'])} violations ({', '.join(rules) or 'none'})"
    )
    baseline = (
        "raw indexed SQL: allocations JOIN ... WHERE candidate_id IN (40 ids) AND (start within 9 days"
        " OR same assessment) + qualifications"
    )
    return [
        Row("rule_check", "rule check, 40-candidate plan: history_for + check_plan", total, baseline, base, note),
        Row("rule_fetch", "(info) of which: history_for + all_qualifications", fetched, baseline, base),
        Row(
            "rule_pure",
            "(info) of which: check_plan alone (pure)",
            pure,
            count=f"{found['history']} attempts, {len(found['violations'])} violations",
        ),
    ]


def bench_verify_audit(info: dict[str, Any], repeat: int) -> list[Row]:
    """``verify --audit`` of the whole generated store: SQLCipher's page check, the chain
    walk with every write's signature, and every row of every table hashed and compared
    with the chain's last word on it. Slow by nature; measured a few times only."""
    data_dir = Path(info["data_dir"])
    station = open_station(data_dir, info["password"], user=info["coordinator"])
    try:
        with station.read() as session:
            entries = session.connection().exec_driver_sql("SELECT max(id) FROM audit_entries").scalar_one()
        report: list[str] = []
        full = timed(lambda: report.append(verify_store(station)), max(1, min(3, repeat // 5)), 0)
    finally:
        station.close()
    return [
        Row(
            "verify_audit",
            f"verify --audit: {entries} audit entries, every row and signature",
            full,
            note=report[-1].splitlines()[0][:100] if report else "",
            count=f"{entries} entries, {rows.group(1)} rows"
            if (rows := _rows_checked(report))
            else f"{entries} entries",
        )
    ]


def _rows_checked(report: list[str]) -> Any:
    import re

    return re.search(r"all (\d+) rows match", report[-1]) if report else None


def bench_audit_scan(info: dict[str, Any], repeat: int) -> list[Row]:
    """audit.head() reads the chain's last entry (at a station's first write, and when
    another writer came first; ids are contiguous, so the last id is the count). The
    bulk-loaded store has (by design) almost no audit entries; a real ten-year store has at
    least one per log entry and allocation, so the same look-up on the million-row
    log_entries table shows what head() costs there. The full count it used to run is kept
    as the comparison."""
    paths = StorePaths(Path(info["data_dir"]))
    key = bytes(SlotFile.load(paths.slots).open(user_owner(info["coordinator"]), info["password"].encode("utf-8")))
    conn = connect(paths.db, key)
    entries = conn.execute("SELECT count(*) FROM log_entries").fetchone()[0]
    last = timed(lambda: conn.execute("SELECT id FROM log_entries ORDER BY id DESC LIMIT 1").fetchone(), repeat, 1)
    scan = timed(lambda: conn.execute("SELECT count(*) FROM log_entries").fetchone(), max(3, repeat // 3), 1)
    conn.close()
    return [
        Row(
            "audit_head_proxy",
            f"(info) audit.head look-up on a {entries}-row table",
            last,
            "count(*) over the same table",
            scan,
            note="what each write pays for the chain head on a ten-year store",
        ),
    ]


SEARCH_SQL = (
    "SELECT e.id, e.session_id, s.start_utc, e.at, r.name, u.name, e.type, e.note, e.question_number,"
    " e.assessment_code, e.notify_party, e.notified_at, e.late, e.transcribed"
    " FROM log_entries e JOIN sessions s ON s.id + 0 = e.session_id JOIN rooms r ON r.id = s.room_id"
    " JOIN users u ON u.id = s.invigilator_id {where}"
    " ORDER BY s.start_utc DESC, s.id DESC, e.at DESC, e.id DESC LIMIT 200"
)


def bench_search(info: dict[str, Any], repeat: int) -> list[Row]:
    """The Search area's model: the first page of every entry, and a filter change (type +
    date range: a new first page and the count), against the bare SQL of the page."""
    from invigilator_app.services.review.search import EntryFilters, count_entries, search_entries

    try:
        from invigilator_app.ui.review.models import LazyEntriesModel
    except ImportError:  # no Qt: time the service the model calls
        LazyEntriesModel = None  # noqa: N806
    data_dir = Path(info["data_dir"])
    station = open_station(data_dir, info["password"], user=info["coordinator"])
    filtered = EntryFilters(
        type=IncidentType.QUESTION_ISSUE.value, from_day=datetime(2018, 1, 1).date(), to_day=datetime.now(UTC).date()
    )

    def fetch(filters: Any, offset: int, limit: int) -> list[Any]:
        return search_entries(station, filters, offset, limit)

    try:
        if LazyEntriesModel is not None:
            model = LazyEntriesModel(fetch)
            first = timed(lambda: model.set_filters(EntryFilters()), repeat, 3)
            change = timed(lambda: (model.set_filters(filtered), count_entries(station, filtered)), repeat, 3)
            via = "LazyEntriesModel.set_filters"
        else:
            first = timed(lambda: fetch(EntryFilters(), 0, 200), repeat, 3)
            change = timed(lambda: (fetch(filtered, 0, 200), count_entries(station, filtered)), repeat, 3)
            via = "services.search.search_entries"
        found = count_entries(station, filtered)
    finally:
        station.close()
    key = bytes(
        SlotFile.load(StorePaths(data_dir).slots).open(
            user_owner(info["coordinator"]), info["password"].encode("utf-8")
        )
    )
    conn = connect(StorePaths(data_dir).db, key)
    plain = SEARCH_SQL.format(where="")
    typed = SEARCH_SQL.format(where="WHERE e.type = ? AND s.start_utc >= ?")
    base_first = timed(lambda: conn.execute(plain).fetchall(), repeat, 3)
    base_change = timed(lambda: conn.execute(typed, ("question_issue", "2018-01-01 00:00:00")).fetchall(), repeat, 3)
    conn.close()
    return [
        Row(
            "search_first",
            f"log search, first 200 rows: {via}",
            first,
            "bare SQL of the same page (joins, ORDER BY, LIMIT 200)",
            base_first,
        ),
        Row(
            "search_filter",
            "log search, filter change (type + dates): new page + count",
            change,
            "bare SQL of the filtered page",
            base_change,
            note=f"{found} entries match the filter",
        ),
    ]


def _ui_available() -> bool:
    try:
        return importlib.util.find_spec("invigilator_app.ui.app") is not None
    except ModuleNotFoundError:
        return False


FIRST_PAINT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QApplication.instance().exit(0)
        return False

def shown(window):
    app = QApplication.instance()
    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(60000, lambda: app.exit(3))
    return app.exec()
"""

BARE_WINDOW = (
    FIRST_PAINT
    + """
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("bare")
w.resize(1280, 800)
sys.exit(shown(w))
"""
)

APP_WINDOW = (
    FIRST_PAINT
    + """
from pathlib import Path
from invigilator_app.services.access import open_station
from invigilator_app.ui.app import application
from invigilator_app.ui.main_window import MainWindow
app = application()
station = open_station(Path(sys.argv[1]), sys.argv[2])
window = MainWindow(station)
rc = shown(window)
station.close()
sys.exit(rc)
"""
)


# The real start: `invigilator-app --data-dir D [--user U]` (cli.main) with an event filter on
# the application that notes the first paint of each window. Both exit at once (os._exit)
# when done, as does the bare window they are compared with.
EXIT_ON_PAINT = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

class Painted(QObject):
    def __init__(self, on_paint):
        super().__init__()
        self.on_paint = on_paint

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget):
            self.on_paint(obj.window())
        return False
"""

BARE_WINDOW_EXIT = (
    EXIT_ON_PAINT
    + """
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv[:1])
watch = Painted(lambda window: os._exit(0))
app.installEventFilter(watch)
w = QMainWindow()
w.setWindowTitle("bare")
w.resize(440, 200)
w.show()
app.exec()
os._exit(3)
"""
)

UNLOCK_WINDOW = (
    EXIT_ON_PAINT
    + """
from invigilator_app.ui.app import application
from invigilator_app.cli import main
app = application()
watch = Painted(lambda window: os._exit(0) if type(window).__name__ == "UnlockDialog" else None)
app.installEventFilter(watch)
main(["--data-dir", sys.argv[1]])
os._exit(3)
"""
)

# The user types the password TYPING seconds after the unlock window shows, then Enter;
# prints the times (perf_counter) of the first paints, Enter, and the unlocked station
# reaching the GUI thread, and the worker's open_station time.
MAIN_AFTER_PASSWORD = (
    EXIT_ON_PAINT
    + """
import json
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from invigilator_app.ui.app import application
from invigilator_app.cli import main
data_dir, user, password, typing = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
app = application()
seen = {}

def type_password(dialog):
    seen["loaded_before_enter"] = not getattr(dialog, "loading", True)
    QTest.keyClicks(dialog.password_edit, password)
    seen["enter"] = time.perf_counter()
    QTest.keyClick(dialog.password_edit, Qt.Key.Key_Return)

def painted(window):
    name = type(window).__name__
    if name == "UnlockDialog" and "unlock" not in seen:
        seen["unlock"] = time.perf_counter()
        seen["dialog"] = window
        QTimer.singleShot(int(typing * 1000), lambda: type_password(window))
    elif name == "MainWindow" and "main" not in seen:
        seen["main"] = time.perf_counter()
        dialog = seen.pop("dialog")
        # An older unlock dialog derived the key on the GUI thread and noted neither.
        seen["accepted"] = getattr(dialog, "unlocked_at", None)
        seen["open_station"] = getattr(dialog, "unlock_seconds", None)
        print(json.dumps(seen), flush=True)
        os._exit(0)

watch = Painted(painted)
app.installEventFilter(watch)
main(["--data-dir", data_dir, "--user", user])
os._exit(3)
"""
)
TYPING_SECONDS = 1.5
CODE_ROOT = ROOT
"""Where the process-start steps take the application from (--code: an earlier checkout)."""


def _bench_env(tmp: str) -> dict[str, str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=tmp,
        XDG_DATA_HOME=tmp,
        XDG_CONFIG_HOME=tmp,
        XDG_CACHE_HOME=tmp,
        XDG_RUNTIME_DIR=tmp,
        INVIGILATOR_DATA_DIR=str(Path(tmp) / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONPATH=str(CODE_ROOT),
    )
    env.pop("INVIGILATOR_KDF", None)
    return env


def bench_unlock_start(info: dict[str, Any], repeat: int) -> list[Row]:
    """Issue 18: the unlock window at once, the main window soon after the password."""
    runs = max(3, repeat // 3)
    with tempfile.TemporaryDirectory() as tmp:
        env = _bench_env(tmp)

        def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
            done = subprocess.run(cmd, env=env, cwd=CODE_ROOT, capture_output=True, text=True, timeout=300, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd[:3])} failed ({done.returncode}): {done.stderr[-800:]}")
            return done

        bare = timed(lambda: run([sys.executable, "-c", BARE_WINDOW_EXIT]), runs, 1)
        unlock = timed(lambda: run([sys.executable, "-c", UNLOCK_WINDOW, info["data_dir"]]), runs, 1)
        marks: list[dict[str, Any]] = []
        cmd = [
            sys.executable,
            "-c",
            MAIN_AFTER_PASSWORD,
            info["data_dir"],
            info["coordinator"],
            info["password"],
            str(TYPING_SECONDS),
        ]
        run(cmd)  # warm-up
        for _ in range(runs):
            marks.append(json.loads(run(cmd).stdout.strip().splitlines()[-1]))
    if any(m["open_station"] is None for m in marks):
        # An older dialog: the unlock ran on the GUI thread; take the slot unlock alone
        # (measured here, in this process) as its share.
        from invigilator_app.security.keyslots import SlotFile, user_owner

        slots = StorePaths(Path(info["data_dir"])).slots
        kdf = timed(
            lambda: SlotFile.load(slots).open(user_owner(info["coordinator"]), info["password"].encode("utf-8")),
            runs,
            1,
        )
        for m in marks:
            m["open_station"] = statistics.median(kdf)
            m["accepted"] = m["enter"] + m["open_station"]
    enter_to_main = [m["main"] - m["enter"] for m in marks]
    accepted_to_main = [m["main"] - m["accepted"] for m in marks]
    opened = [m["open_station"] for m in marks]
    beyond = [m["main"] - m["enter"] - m["open_station"] for m in marks]
    loaded = sum(1 for m in marks if m["loaded_before_enter"])
    bare_label = "bare PySide6 QMainWindow shown offscreen until its first Paint event (subprocess, os._exit)"
    return [
        Row(
            "unlock_window",
            "unlock window painted: invigilator-app (cli.main) to the dialog's first Paint",
            unlock,
            bare_label,
            bare,
            "the whole process: Python start, imports, QApplication, the dialog",
        ),
        Row(
            "main_after_enter",
            "password Enter -> main window painted (large store)",
            enter_to_main,
            "open_station in the unlock worker (Argon2id unlock + opening the store)",
            opened,
            f"the password typed {TYPING_SECONDS} s after the unlock window showed",
        ),
        Row(
            "main_beyond_unlock",
            "of which beyond open_station: thread hand-over, MainWindow, first paint",
            beyond,
            count=f"{loaded}/{len(marks)} runs had loaded the rest before Enter",
            note="goal <= 1.0 s",
        ),
        Row(
            "main_after_accept",
            "(info) unlocked station on the GUI thread -> main window painted",
            accepted_to_main,
            count=f"N={len(marks)}",
        ),
    ]


def bench_start(info: dict[str, Any], repeat: int) -> list[Row]:
    runs = max(3, repeat // 3)
    with tempfile.TemporaryDirectory() as tmp:
        env = _bench_env(tmp)
        png = Path(tmp) / "shot.png"

        def run(cmd: list[str], needs_png: bool = False) -> Callable[[], None]:
            def go() -> None:
                png.unlink(missing_ok=True)
                done = subprocess.run(
                    cmd, env=env, cwd=CODE_ROOT, capture_output=True, text=True, timeout=300, check=False
                )
                if done.returncode != 0 or (needs_png and not png.exists()):
                    raise RuntimeError(f"{' '.join(cmd[:3])} failed ({done.returncode}): {done.stderr[-500:]}")

            return go

        def attempt(cmd: list[str], needs_png: bool = False) -> tuple[list[float], str]:
            try:
                return timed(run(cmd, needs_png), runs, 1), ""
            except RuntimeError as exc:
                return [], f"FAILED: {exc}"

        bare = timed(run([sys.executable, "-c", BARE_WINDOW]), runs, 1)
        baseline = "bare PySide6 QMainWindow shown offscreen until its first Paint event (subprocess)"
        if not _ui_available():
            return [
                Row(
                    "start",
                    "app start to first window: NOT MEASURED (invigilator_app.ui.app missing)",
                    [],
                    baseline,
                    bare,
                )
            ]
        rows = []
        # The demo store is built once, outside the timing; each start unlocks it (production KDF).
        from invigilator_app.services.demo import build_demo

        demo_dir, demo_password = build_demo(Path(tmp) / "demo")
        samples, note = attempt([sys.executable, "-c", APP_WINDOW, str(demo_dir), demo_password])
        rows.append(
            Row(
                "start",
                "app start to first paint of MainWindow (demo store)",
                samples,
                baseline,
                bare,
                note or "python -c: imports, open_station (Argon2id unlock), MainWindow, show, first Paint",
            )
        )
        samples, note = attempt([sys.executable, "-c", APP_WINDOW, info["data_dir"], info["password"]])
        rows.append(
            Row(
                "start_large",
                "app start to first paint of MainWindow (large store)",
                samples,
                baseline,
                bare,
                note or "same, on the generated store",
            )
        )
        samples, note = attempt([sys.executable, "-m", "invigilator_app", "--demo", "--screenshot", str(png)], True)
        rows.append(
            Row(
                "start_cli",
                "(info) python -m invigilator_app --demo --screenshot",
                samples,
                baseline,
                bare,
                note=note or "whole CLI path: builds a fresh demo store, renders, saves PNG",
            )
        )
        return rows


# --------------------------------------------------------------------------- driver


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlcipher3.dbapi2 as sqlcipher

    conn = sqlcipher.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()
    conn.close()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlcipher_sqlite": sqlcipher.sqlite_version,
        "sqlcipher": cipher[0] if cipher else "",
    }


def print_table(rows: list[Row]) -> None:
    header = ("operation", "median", "baseline median", "ratio", "count", "N")
    lines = [header] + [
        (
            r.operation,
            fmt(r.median),
            fmt(r.baseline_median),
            f"{r.ratio:.1f}x" if r.ratio else "-",
            r.count or "-",
            str(len(r.samples)),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(line)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for r in rows:
        extra = [f"baseline: {r.baseline}"] if r.baseline else []
        if r.note:
            extra.append(r.note)
        if extra:
            print(f"- {r.operation}: " + "; ".join(extra))


def bench_record(repeat: int) -> list[Row]:
    """Issue 7: a 40-candidate, 60-entry record, rendered and signed, under 1 s."""
    import record_bench

    record, identity = record_bench.prepare()
    signed = timed(lambda: record_bench.signed_record(record, identity), max(3, repeat // 2), 1)
    bare = timed(lambda: record_bench.bare_document(record), max(3, repeat // 2), 1)
    return [
        Row(
            "record_pdf",
            "record PDF, 40 candidates + 60 entries: render + sign",
            signed,
            "bare reportlab document with the same two tables",
            bare,
        )
    ]


def bench_patterns_pdf(info: dict[str, Any], repeat: int) -> list[Row]:
    """The pattern report as a PDF over a year of the store, against the same report over
    ninety days scaled to as many pages: a ratio of about 1 means each page costs the same
    however long the report (long tables are laid out a window of rows at a time)."""
    from io import BytesIO

    from pypdf import PdfReader

    from invigilator_app.reports.patterns_pdf import render_patterns
    from invigilator_app.services.review import patterns

    station = open_station(Path(info["data_dir"]), info["password"], user=info["coordinator"])
    try:
        today = station.now().date()
        year = patterns.pattern_report(station, today - timedelta(days=365), today)
        quarter = patterns.pattern_report(station, today - timedelta(days=90), today)
    finally:
        station.close()
    pages = {
        key: len(PdfReader(BytesIO(render_patterns(report))).pages)
        for key, report in (("year", year), ("quarter", quarter))
    }
    runs = max(3, repeat // 5)
    long = timed(lambda: render_patterns(year), runs, 0)
    short = timed(lambda: render_patterns(quarter), runs, 1)
    scale = pages["year"] / pages["quarter"]
    per_page = statistics.median(long) / pages["year"] * 1000
    return [
        Row(
            "patterns_pdf",
            f"pattern report PDF over a year ({len(year.findings)} findings)",
            long,
            f"the 90-day report ({pages['quarter']} pages) scaled to {pages['year']} pages",
            [t * scale for t in short],
            note=f"{per_page:.1f} ms a page; off the GUI thread, with its pages counted and Cancel",
            count=f"{pages['year']} pages",
        )
    ]


STEPS: dict[str, Callable[[dict[str, Any], int], list[Row]]] = {
    "append": bench_append,
    "open": bench_open,
    "rules": bench_rule_check,
    "audit": bench_audit_scan,
    "verify": bench_verify_audit,
    "search": bench_search,
    "unlock": bench_unlock_start,
    "start": bench_start,
    "record": lambda _info, repeat: bench_record(repeat),
    "patterns_pdf": bench_patterns_pdf,
    "screens": lambda info, repeat: screens.bench_screens(info, repeat, Row=Row, timed=timed),
    "centre": lambda info, repeat: (
        centre.bench_bundles(info, repeat, Row=Row, timed=timed)
        + centre.bench_centre_rules(info, repeat, Row=Row, rule_check=bench_rule_check)
    ),
}
LOAD_PER_CORE = 1.0


def load_per_core() -> float:
    return os.getloadavg()[0] / (os.cpu_count() or 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="small")
    parser.add_argument("--json", type=Path, help="also write every sample to this JSON file")
    parser.add_argument("--repeat", type=int, default=15, help="timed repeats per operation (process starts: a third)")
    parser.add_argument("--root", type=Path, default=generate.DEFAULT_ROOT, help="cache folder of generated stores")
    parser.add_argument("--only", help="comma-separated steps to run: " + ", ".join(STEPS))
    parser.add_argument(
        "--code",
        type=Path,
        help="take the application for the process-start steps (unlock, start) from this folder, "
        "e.g. a checkout of an earlier commit, for before/after figures",
    )
    parser.add_argument(
        "--busy-ok",
        action="store_true",
        help=f"measure even when the 1-minute load average is over {LOAD_PER_CORE} per core "
        "(the run is then marked BUSY)",
    )
    args = parser.parse_args(argv)
    global CODE_ROOT  # noqa: PLW0603 - set once from the command line, before any step runs
    if args.code:
        CODE_ROOT = args.code.resolve()
        print(f"[bench] process starts use the code in {CODE_ROOT}")
    steps = list(STEPS) if not args.only else [s.strip() for s in args.only.split(",")]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(STEPS)}")

    load_before = os.getloadavg()
    busy = load_per_core() > LOAD_PER_CORE
    print(
        f"[bench] load average before: {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} "
        f"(1/5/15 min) on {os.cpu_count()} CPUs"
    )
    if busy and not args.busy_ok:
        print(
            f"[bench] refused: the load is {load_per_core():.2f} per core (> {LOAD_PER_CORE}); other processes "
            "would skew every figure. Wait, or pass --busy-ok to measure anyway (the run is marked BUSY)."
        )
        return 4
    info = generate.ensure_store(args.scale, args.root)
    print(f"[bench] scale {args.scale}: {info['rows']}")
    rows: list[Row] = []
    for name in steps:
        print(f"[bench] measuring {name} ...", flush=True)
        rows += STEPS[name](info, args.repeat)
    load_after = os.getloadavg()
    busy = busy or load_after[0] / (os.cpu_count() or 1) > LOAD_PER_CORE
    print()
    print_table(rows)
    mark = "  ** BUSY: over 1.0 per core, figures skewed; compare ratios within this run only **" if busy else ""
    print(f"\nload average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}; {os.cpu_count()} CPUs{mark}")
    missing = [r.operation for r in rows if not r.baseline_samples and not r.count]
    if missing:
        print("rows with neither a baseline nor a count: " + "; ".join(missing))
    verdicts = {}
    by_key = {r.key: r for r in rows}
    print()
    for key, (label, limit) in TARGETS.items():
        if key not in by_key:
            continue
        median = by_key[key].median
        ok = median is not None and median < limit
        verdicts[key] = {"target": label, "limit_s": limit, "median_s": median, "pass": ok}
        print(f"target {label} < {fmt(limit)}: {fmt(median)} -> {'PASS' if ok else 'FAIL'}")
    for key, (label, limit) in RATIO_TARGETS.items():
        if key not in by_key:
            continue
        ratio = by_key[key].ratio
        ok = ratio is not None and ratio <= limit
        verdicts[key + ":ratio"] = {"target": label, "limit_ratio": limit, "ratio": ratio, "pass": ok}
        print(f"target {label} <= {limit:.1f}x: {f'{ratio:.2f}x' if ratio else '-'} -> {'PASS' if ok else 'FAIL'}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "scale": args.scale,
                    "repeat": args.repeat,
                    "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "machine": machine(),
                    "load_average_before": load_before,
                    "load_average_after": load_after,
                    "busy": busy,
                    "steps": steps,
                    "store": {k: v for k, v in info.items() if k != "password"},
                    "rows": [r.as_dict() for r in rows],
                    "targets": verdicts,
                },
                indent=1,
            ),
            encoding="utf-8",
        )
        print(f"[bench] wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
