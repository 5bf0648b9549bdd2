"""Build (or reuse) a large, realistic store for the benchmarks.

    python tests/bench/generate.py [--scale small|full] [--root DIR] [--force]

A busy centre over ten years: five rooms of 12-20 workstations, a dozen invigilators, a
catalogue of about 40 assessments across 16 qualifications (the shipped two-hour list
plus diplomas and an apprenticeship standard), sessions at up to three times a day in
every room on weekdays, and the allocations and log entries of every session.

The store is created with the services (``init_store``, production Argon2id cost for the
coordinator's key slot), then filled with SQLAlchemy core ``insert()`` executemany in big
transactions through the store's own engine. The bulk load writes no audit entries itself;
it is then taken into the chain the way an upgraded store's rows are: marked
``rows_baseline_due`` and unlocked by the coordinator, whose baseline hashes and signs
every row, so ``verify --audit`` of the store passes.

The result is cached in ``<root>/<scale>/`` (default root /tmp/invigilator-bench) and
reused while ``bench.json`` there names the same scale and ``GENERATOR_VERSION``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import shutil
import sys
import time as clock
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from invigilator_app.domain.enums import IncidentType, Role  # noqa: E402
from invigilator_app.domain.timezones import to_utc  # noqa: E402
from invigilator_app.rules.retake_list import default_retake_hours  # noqa: E402
from invigilator_app.security.keyslots import (  # noqa: E402
    PRODUCTION_COST,
    SlotFile,
    user_owner,
    wipe,
)
from invigilator_app.services.access import init_store, open_station  # noqa: E402
from invigilator_app.services.admin.catalogue import MOT_QUALIFICATIONS, two_hour_list  # noqa: E402
from invigilator_app.store.database import Database, StorePaths  # noqa: E402
from invigilator_app.store.models import (  # noqa: E402
    Allocation,
    Assessment,
    Candidate,
    LogEntry,
    LogEntryCandidate,
    Qualification,
    Room,
    User,
    Workstation,
)
from invigilator_app.store.models import Session as SessionRow  # noqa: E402

GENERATOR_VERSION = 5  # 5: a session of its own for the append benchmark; 4: the schema through 0011
DEFAULT_ROOT = Path("/tmp/invigilator-bench")
PASSWORD = "bench lantern harbour 0123"
COORDINATOR = "Bench Coordinator"
ZONE = "Europe/London"
YEARS = 10
SEED = 20240611
MARKER = "bench.json"
BATCH = 20_000  # rows per executemany
TX_ROWS = 200_000  # rows per transaction (roughly)


@dataclass(frozen=True)
class Scale:
    candidates: int
    allocations: int
    log_entries: int


SCALES: dict[str, Scale] = {
    "small": Scale(candidates=2_000, allocations=50_000, log_entries=100_000),
    "full": Scale(candidates=20_000, allocations=500_000, log_entries=1_000_000),
}

ROOMS = (("Room A", 20), ("Room B", 16), ("Room C", 12), ("Training Suite", 18), ("Room D", 14))
SLOTS = (time(9, 0), time(11, 30), time(14, 0))
INVIGILATORS = 12

# Qualifications beyond the shipped two-hour list: 48 h retake interval (the default).
EXTRA_QUALIFICATIONS = (
    ("603/3340/6", "IMI Level 3 Diploma in Light Vehicle Maintenance and Repair Principles", False),
    ("603/3339/X", "IMI Level 2 Diploma in Light Vehicle Maintenance and Repair Principles", False),
    ("ST0033", "Motor Vehicle Service and Maintenance Technician (Light Vehicle) end-point assessment", True),
)
EXTRA_ASSESSMENTS = 5  # per extra qualification; two per two-hour qualification

FIRST = (
    "Amelia",
    "Oliver",
    "Isla",
    "Jack",
    "Ava",
    "Harry",
    "Mia",
    "George",
    "Emily",
    "Noah",
    "Sophie",
    "Leo",
    "Grace",
    "Arthur",
    "Lily",
    "Oscar",
    "Freya",
    "Charlie",
    "Ella",
    "Alfie",
    "Priya",
    "Mohammed",
    "Zofia",
    "Kwame",
    "Aisha",
    "Tomasz",
    "Siobhan",
    "Rhys",
    "Niamh",
    "Callum",
)
LAST = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Walker",
    "Evans",
    "Thomas",
    "Roberts",
    "Khan",
    "Lewis",
    "Hughes",
    "Clarke",
    "Nowak",
    "O'Brien",
    "Murphy",
    "Mensah",
    "Ahmed",
    "Hall",
    "Green",
    "Wood",
    "Harris",
    "Kaur",
)

# Incident types with rough relative frequencies for a busy centre.
ENTRY_TYPES: tuple[tuple[IncidentType, int], ...] = (
    (IncidentType.LATE_ARRIVAL, 18),
    (IncidentType.IT_ISSUE, 14),
    (IncidentType.EXPLANATION_REQUESTED, 16),
    (IncidentType.READER_USED, 8),
    (IncidentType.SUBMITTED_EARLY, 12),
    (IncidentType.OTHER, 14),
    (IncidentType.QUESTION_ISSUE, 6),
    (IncidentType.INTERACTION_BETWEEN_CANDIDATES, 3),
    (IncidentType.WRONG_ASSESSMENT_LAUNCHED, 2),
    (IncidentType.SUSPECTED_MALPRACTICE, 1),
    (IncidentType.ROOM_UNATTENDED, 1),
    (IncidentType.EMERGENCY, 1),
    (IncidentType.FIRE_ALARM, 1),
)
NOTES = {
    IncidentType.LATE_ARRIVAL: "Arrived {m} minutes late; started after identity check.",
    IncidentType.IT_ISSUE: "Workstation froze; restarted and resumed from question {q}.",
    IncidentType.EXPLANATION_REQUESTED: "Asked for the pronunciation of a word; read it out without explaining.",
    IncidentType.READER_USED: "Reader used as agreed in the access arrangements.",
    IncidentType.SUBMITTED_EARLY: "Submitted before answering every question; confirmed with candidate.",
    IncidentType.OTHER: "Candidate left the room for {m} minutes, accompanied.",
    IncidentType.QUESTION_ISSUE: "Diagram for question {q} did not load fully.",
    IncidentType.INTERACTION_BETWEEN_CANDIDATES: "Two candidates spoke briefly; warned.",
    IncidentType.WRONG_ASSESSMENT_LAUNCHED: "Wrong assessment opened; closed before any answer.",
    IncidentType.SUSPECTED_MALPRACTICE: "Phone seen on desk; removed and reported.",
    IncidentType.ROOM_UNATTENDED: "Invigilator called away for {m} minutes; room covered.",
    IncidentType.EMERGENCY: "First aider called for an unwell candidate.",
    IncidentType.FIRE_ALARM: "Fire alarm test; assessment paused for {m} minutes.",
}


def scale_dir(scale: str, root: Path = DEFAULT_ROOT) -> Path:
    return root / scale


def read_marker(data_dir: Path) -> dict[str, Any] | None:
    try:
        info = json.loads((data_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def cached(scale: str, root: Path = DEFAULT_ROOT) -> dict[str, Any] | None:
    data_dir = scale_dir(scale, root)
    info = read_marker(data_dir)
    if (
        info is None
        or info.get("generator_version") != GENERATOR_VERSION
        or info.get("scale") != scale
        or not StorePaths(data_dir).db.exists()
    ):
        return None
    info["data_dir"] = str(data_dir)
    return info


def ensure_store(scale: str, root: Path = DEFAULT_ROOT, *, force: bool = False, log: Any = print) -> dict[str, Any]:
    """The cached store's description, generating it first when missing or outdated."""
    if not force:
        info = cached(scale, root)
        if info is not None:
            log(f"[bench] reusing {info['data_dir']} (generated in {info['generation_seconds']:.1f} s)")
            return info
    return generate(scale, scale_dir(scale, root), log=log)


# --------------------------------------------------------------------------- helpers


def _weekdays(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _batched(table: Any, rows: list[dict[str, Any]], conn: Any) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(table), rows[start : start + BATCH])


def _catalogue(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    listed = two_hour_list()
    quals: list[dict[str, Any]] = []
    assessments: list[dict[str, Any]] = []
    entries = [(n, t, False) for n, t in sorted(listed.items())] + list(EXTRA_QUALIFICATIONS)
    for qid, (number, title, standard) in enumerate(entries, start=1):
        quals.append(
            dict(
                id=qid,
                number=number,
                title=title,
                retake_hours=default_retake_hours(number, listed),
                apprenticeship_standard=standard,
                calculator_allowed=number.startswith("603/33"),
                dictionary_allowed=False,
                other_software_allowed=number in MOT_QUALIFICATIONS,
            )
        )
        count = EXTRA_ASSESSMENTS if (number, title, standard) in EXTRA_QUALIFICATIONS else 2
        for k in range(1, count + 1):
            assessments.append(
                dict(
                    id=len(assessments) + 1,
                    code=f"BQ{qid:02d}-{k:02d}",
                    title=f"{title.split('(')[0].strip()} - online test {k}",
                    qualification_id=qid,
                    planned_minutes=rng.choice((45, 60, 60, 75, 90, 120)),
                )
            )
    return quals, assessments


def _workstations(room_id: int, count: int, first_id: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(count):
        rows.append(
            dict(
                id=first_id + i,
                room_id=room_id,
                label=f"PC{i + 1:02d}",
                x=1.0 + 1.6 * (i % 5),
                y=1.0 + 2.0 * (i // 5),
                screen=True,
                privacy_filter=i % 2 == 0,
            )
        )
    return rows


# --------------------------------------------------------------------------- generation


def generate(scale_name: str, data_dir: Path, *, log: Any = print) -> dict[str, Any]:
    scale = SCALES[scale_name]
    started = clock.perf_counter()
    if data_dir.exists():
        shutil.rmtree(data_dir)
    # The key slot measured by the benchmark has the production Argon2id cost (the only one
    # outside the test suite).
    init_store(
        data_dir,
        centre_name="Northgate Automotive Training Centre",
        centre_number="BENCH01",
        coordinator=COORDINATOR,
        password=PASSWORD,
        address="1 Bench Road, Testborough",
    )
    paths = StorePaths(data_dir)
    slots = SlotFile.load(paths.slots)
    key = slots.open(user_owner(COORDINATOR), PASSWORD.encode("utf-8"))
    try:
        db = Database.open(paths, key)
    finally:
        wipe(key)
    counts: dict[str, int] = {}
    try:
        running = _fill(db, scale, counts, log)
        # Outside any transaction: the engine's "begin" hook would make it BEGIN IMMEDIATE.
        raw = db.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO store_meta (key, value) VALUES ('rows_baseline_due', 'bench')")
    finally:
        db.close()
    t_base = clock.perf_counter()
    open_station(data_dir, PASSWORD, user=COORDINATOR).close()  # the coordinator's baseline
    log(f"[bench] baseline: every row taken into the audit chain in {clock.perf_counter() - t_base:.1f} s")
    seconds = clock.perf_counter() - started
    size = sum(p.stat().st_size for p in data_dir.iterdir() if p.is_file())
    info = dict(
        scale=scale_name,
        generator_version=GENERATOR_VERSION,
        **asdict(scale),
        rows=counts,
        running_session_id=running["session_id"],
        append_session_id=running["append_session_id"],
        running_registration_numbers=running["registration_numbers"],
        password=PASSWORD,
        coordinator=COORDINATOR,
        kdf={
            "time_cost": PRODUCTION_COST.time_cost,
            "memory_kib": PRODUCTION_COST.memory_kib,
            "parallelism": PRODUCTION_COST.parallelism,
        },
        generation_seconds=round(seconds, 1),
        size_bytes=size,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    (data_dir / MARKER).write_text(json.dumps(info, indent=1), encoding="utf-8")
    info["data_dir"] = str(data_dir)
    log(f"[bench] generated {scale_name} store in {data_dir} in {seconds:.1f} s ({size / 1e6:.0f} MB)")
    return info


def _fill(db: Database, scale: Scale, counts: dict[str, int], log: Any) -> dict[str, Any]:
    rng = random.Random(SEED)
    t0 = clock.perf_counter()
    today = datetime.now(UTC).date()
    first_day = today.replace(year=today.year - YEARS)
    days = _weekdays(first_day, today - timedelta(days=1))
    now = datetime.now(UTC)

    with db.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB for the load only
        coordinator_id = conn.exec_driver_sql("SELECT id FROM users").scalar_one()
        # Rooms and workstations.
        rooms, stations = [], []
        for rid, (name, count) in enumerate(ROOMS, start=1):
            rooms.append(
                dict(
                    id=rid, name=name, site="Main site", desk_x=0.5, desk_y=0.5, door_x=0.0, door_y=5.0, facing="north"
                )
            )
            stations += _workstations(rid, count, len(stations) + 1)
        conn.execute(insert(Room.__table__), rooms)
        conn.execute(insert(Workstation.__table__), stations)
        # Invigilators (nominated by the coordinator); a few are assessors.
        start_of_time = datetime.combine(first_day, time(8), tzinfo=UTC)
        users = []
        for i in range(INVIGILATORS):
            users.append(
                dict(
                    id=coordinator_id + 1 + i,
                    name=f"{FIRST[i]} {LAST[-1 - i]} (invigilator)",
                    role=Role.INVIGILATOR.value,
                    imi_pin=f"IMI{100000 + i}",
                    assessor=i % 4 == 0,
                    impartial=True,
                    nominated_by_id=coordinator_id,
                    nominated_at=start_of_time,
                    assessor_authorisation="Assessor for other qualifications only" if i % 4 == 0 else "",
                    disabled=False,
                    created_at=start_of_time,
                )
            )
        conn.execute(insert(User.__table__), users)
        invigilator_ids = [u["id"] for u in users]
        # Catalogue.
        quals, assessments = _catalogue(rng)
        conn.execute(insert(Qualification.__table__), quals)
        conn.execute(insert(Assessment.__table__), assessments)
        by_qual: dict[int, list[dict[str, Any]]] = {}
        for a in assessments:
            by_qual.setdefault(a["qualification_id"], []).append(a)
        # Candidates: each is active for two years, starting anywhere from 1.6 years
        # before the period to its last day; enrolled on 1-3 qualifications.
        span = len(days)
        cand_rows, starts, enrolled = [], [], []
        window = 520  # weekdays, about two years
        for cid in range(1, scale.candidates + 1):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            cand_rows.append(
                dict(
                    id=cid,
                    registration_number=f"R{cid:07d}",
                    first_name=first,
                    last_name=last,
                    date_of_birth=date(1975, 1, 1) + timedelta(days=rng.randrange(35 * 365)),
                    access_arrangements="Reader" if rng.random() < 0.03 else "",
                    extra_time_percent=25 if rng.random() < 0.04 else 0,
                )
            )
        cand_starts = sorted((rng.randrange(-int(window * 0.8), span), cid) for cid in range(1, scale.candidates + 1))
        starts = [s for s, _ in cand_starts]
        order = [cid for _, cid in cand_starts]
        qual_ids = [q["id"] for q in quals]
        weights = [3 if q["number"].startswith(("603/33", "ST")) else 1 for q in quals]
        enrolled = [[]] + [
            [a for q in set(rng.choices(qual_ids, weights, k=rng.randint(1, 3))) for a in by_qual[q]]
            for _ in range(scale.candidates)
        ]
        _batched(Candidate.__table__, cand_rows, conn)
    counts.update(
        rooms=len(rooms),
        workstations=len(stations),
        users=len(users) + 1,
        qualifications=len(quals),
        assessments=len(assessments),
        candidates=scale.candidates,
    )
    log(f"[bench]   catalogue, rooms, users, {scale.candidates} candidates: {clock.perf_counter() - t0:.1f} s")

    # Sessions: pick room-slots so that ~80 % filled sessions hold the allocation target.
    capacity = {rid: count for rid, (_, count) in enumerate(ROOMS, start=1)}
    all_slots = [(d, s, rid) for d in days for s in SLOTS for rid in capacity]
    fill = 0.8
    probability = min(1.0, scale.allocations / (sum(capacity[r] for *_, r in all_slots) * fill))
    chosen = [slot for slot in all_slots if rng.random() < probability]
    sizes = [max(1, round(capacity[rid] * rng.uniform(0.6, 1.0))) for *_, rid in chosen]
    total = sum(sizes)
    sizes = [
        min(capacity[rid], max(1, round(n * scale.allocations / total)))
        for n, (*_, rid) in zip(sizes, chosen, strict=True)
    ]
    diff = scale.allocations - sum(sizes)
    i = 0
    while diff:
        rid = chosen[i % len(chosen)][2]
        if diff > 0 and sizes[i % len(sizes)] < capacity[rid]:
            sizes[i % len(sizes)] += 1
            diff -= 1
        elif diff < 0 and sizes[i % len(sizes)] > 1:
            sizes[i % len(sizes)] -= 1
            diff += 1
        i += 1
    entry_sizes = [n * scale.log_entries // scale.allocations for n in sizes]
    for k in range(scale.log_entries - sum(entry_sizes)):
        entry_sizes[k % len(entry_sizes)] += 1

    type_list = [t for t, _ in ENTRY_TYPES]
    type_weights = [w for _, w in ENTRY_TYPES]
    attempts: dict[tuple[int, int], int] = {}
    buffers: dict[str, list[dict[str, Any]]] = {"sessions": [], "allocations": [], "entries": [], "links": []}
    tables = (
        ("sessions", SessionRow.__table__),
        ("allocations", Allocation.__table__),
        ("entries", LogEntry.__table__),
        ("links", LogEntryCandidate.__table__),
    )
    session_id = alloc_id = entry_id = 0
    day_index = {d: i for i, d in enumerate(days)}
    used_on: tuple[date | None, set[int]] = (None, set())

    def flush(conn: Any) -> None:
        for name, table in tables:
            _batched(table, buffers[name], conn)
            counts[name] = counts.get(name, 0) + len(buffers[name])
            buffers[name].clear()

    def session_rows() -> Iterator[None]:
        nonlocal session_id, alloc_id, entry_id, used_on
        for (day, slot, rid), size, n_entries in zip(chosen, sizes, entry_sizes, strict=True):
            session_id += 1
            start = to_utc(day, slot, ZONE)
            invigilator = invigilator_ids[(day_index[day] * 7 + rid * 3 + SLOTS.index(slot)) % len(invigilator_ids)]
            ended = start + timedelta(minutes=rng.randint(100, 170))
            signed = ended + timedelta(minutes=rng.randint(10, 60 * 24))
            buffers["sessions"].append(
                dict(
                    id=session_id,
                    room_id=rid,
                    invigilator_id=invigilator,
                    start_utc=start,
                    state="signed_off" if rng.random() < 0.97 else "closed",
                    created_by_id=coordinator_id,
                    created_at=start - timedelta(days=rng.randint(3, 21)),
                    started_at=start - timedelta(minutes=rng.randint(0, 10)),
                    ended_at=ended,
                    signed_off_by_id=coordinator_id,
                    signed_off_at=signed,
                    reviewed_by_id=None,
                    reviewed_at=None,
                    review_comment="",
                )
            )
            # Candidates active on this day, not already sitting an assessment today.
            if used_on[0] != day:
                used_on = (day, set())
            di = day_index[day]
            lo, hi = bisect.bisect_left(starts, di - window), bisect.bisect_right(starts, di)
            pool = hi - lo
            picked: list[int] = []
            tries = 0
            while len(picked) < size and tries < size * 20 and pool > 0:
                tries += 1
                cid = order[lo + rng.randrange(pool)]
                if cid in used_on[1]:
                    continue
                used_on[1].add(cid)
                picked.append(cid)
            session_allocs = []
            for ws, cid in enumerate(picked):
                alloc_id += 1
                assessment = rng.choice(enrolled[cid])
                number = attempts.get((cid, assessment["id"]), 0) + 1
                attempts[(cid, assessment["id"])] = number
                roll = rng.random()
                cancelled = roll < 0.03
                absent = 0.03 <= roll < 0.07
                sat = not cancelled and not absent
                began = start + timedelta(minutes=rng.randint(0, 12)) if sat else None
                took = timedelta(minutes=int(assessment["planned_minutes"] * rng.uniform(0.45, 1.0)))
                finished = began + took if began else None
                buffers["allocations"].append(
                    dict(
                        id=alloc_id,
                        session_id=session_id,
                        candidate_id=cid,
                        assessment_id=assessment["id"],
                        workstation_label=f"PC{ws + 1:02d}",
                        planned_start_utc=start,
                        notice_date=day - timedelta(days=rng.randint(7, 28)),
                        readiness_confirmed=True,
                        support_note="Reader (agreed access arrangement)" if rng.random() < 0.03 else "",
                        attempt_number=number,
                        chargeable=number >= 3,
                        state="cancelled" if cancelled else "absent" if absent else "finished",
                        cancelled=cancelled,
                        logged_on_at=began - timedelta(minutes=2) if began else None,
                        started_at=began,
                        finished_at=finished,
                        result=(("pass" if rng.random() < 0.78 else "fail") if sat else None),
                        paper_issued_at=None,
                        paper_collected_at=None,
                        flags="",
                    )
                )
                session_allocs.append(cid)
            for _ in range(n_entries):
                entry_id += 1
                kind = rng.choices(type_list, type_weights)[0]
                at = start + timedelta(minutes=rng.randint(0, 150), seconds=rng.randint(0, 59))
                q = str(rng.randint(1, 40))
                question = kind is IncidentType.QUESTION_ISSUE
                notify = kind.notify or ""
                buffers["entries"].append(
                    dict(
                        id=entry_id,
                        session_id=session_id,
                        type=kind.value,
                        at=at,
                        note=NOTES[kind].format(m=rng.randint(2, 25), q=q),
                        recorded_by_id=invigilator,
                        recorded_at=at + timedelta(seconds=rng.randint(5, 90)),
                        question_number=q if question else "",
                        assessment_code=rng.choice(enrolled[session_allocs[0]])["code"]
                        if question and session_allocs
                        else "",
                        notify_party=notify,
                        notified_at=at + timedelta(minutes=rng.randint(5, 120)) if notify else None,
                        notification_reference=f"IMI-{entry_id:08d}" if notify else "",
                        transcribed=False,
                        late=False,
                        late_reason="",
                        flags="",
                    )
                )
                if session_allocs and kind not in (
                    IncidentType.FIRE_ALARM,
                    IncidentType.EMERGENCY,
                    IncidentType.ROOM_UNATTENDED,
                ):
                    buffers["links"].append(dict(entry_id=entry_id, candidate_id=rng.choice(session_allocs)))
            yield None

    pending = 0
    gen = session_rows()
    done = False
    while not done:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
            while True:
                try:
                    next(gen)
                except StopIteration:
                    done = True
                    break
                pending = sum(len(b) for b in buffers.values())
                if pending >= TX_ROWS:
                    break
            flush(conn)
        log(
            f"[bench]   {counts.get('allocations', 0)} allocations, {counts.get('entries', 0)} entries:"
            f" {clock.perf_counter() - t0:.1f} s"
        )

    # One running session today, for the durable-append benchmark.
    with db.engine.begin() as conn:
        start = now.replace(microsecond=0) - timedelta(minutes=20)
        session_id += 1
        conn.execute(insert(SessionRow.__table__), [_running(session_id, 1, invigilator_ids[0], start, coordinator_id)])
        recent = order[bisect.bisect_left(starts, span - window) :][: ROOMS[0][1]]
        rows = []
        for ws, cid in enumerate(recent):
            alloc_id += 1
            assessment = enrolled[cid][0]
            rows.append(
                dict(
                    id=alloc_id,
                    session_id=session_id,
                    candidate_id=cid,
                    assessment_id=assessment["id"],
                    workstation_label=f"PC{ws + 1:02d}",
                    planned_start_utc=start,
                    notice_date=start.date() - timedelta(days=10),
                    readiness_confirmed=True,
                    support_note="",
                    attempt_number=attempts.get((cid, assessment["id"]), 0) + 1,
                    chargeable=False,
                    state="started",
                    cancelled=False,
                    logged_on_at=start,
                    started_at=start,
                    finished_at=None,
                    result=None,
                    paper_issued_at=None,
                    paper_collected_at=None,
                    flags="",
                )
            )
        conn.execute(insert(Allocation.__table__), rows)
        counts["sessions"] += 1
        counts["allocations"] += len(rows)
        # The durable-append benchmark writes its thousands of entries into a session of its
        # own, left running long ago (no candidates, outside every screen's recent days), so
        # no screen measured later shows a log the benchmark itself grew.
        long_ago = start - timedelta(days=400)
        conn.execute(
            insert(SessionRow.__table__), [_running(session_id + 1, 2, invigilator_ids[0], long_ago, coordinator_id)]
        )
        counts["sessions"] += 1
    counts["log_entries"] = counts.pop("entries")
    counts["log_entry_candidates"] = counts.pop("links")
    return {
        "session_id": session_id,
        "append_session_id": session_id + 1,
        "registration_numbers": [f"R{cid:07d}" for cid in recent],
    }


def _running(session_id: int, room_id: int, invigilator_id: int, start: datetime, by: int) -> dict[str, Any]:
    """A session row started at ``start`` and still running."""
    return dict(
        id=session_id,
        room_id=room_id,
        invigilator_id=invigilator_id,
        start_utc=start,
        state="running",
        created_by_id=by,
        created_at=start - timedelta(days=7),
        started_at=start,
        ended_at=None,
        signed_off_by_id=None,
        signed_off_at=None,
        reviewed_by_id=None,
        reviewed_at=None,
        review_comment="",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--force", action="store_true", help="regenerate even if a cached store fits")
    args = parser.parse_args(argv)
    info = ensure_store(args.scale, args.root, force=args.force)
    print(json.dumps({k: v for k, v in info.items() if k != "password"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
