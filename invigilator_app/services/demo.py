"""A throwaway demo store with realistic sample data (``invigilator-app --demo``)."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from invigilator_app.domain.timezones import local, to_utc
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services.access import init_store, open_station
from invigilator_app.services.admin.candidates import CandidateRow, import_candidates, list_candidates
from invigilator_app.services.admin.candidates_admin import CandidateInput, edit_candidate
from invigilator_app.services.console import checklist
from invigilator_app.services.console import recording as console
from invigilator_app.services.console.transcription import PaperEntry, transcribe
from invigilator_app.services.planning.plan_invigilator import PlannedInvigilator
from invigilator_app.services.planning.plans import PlannedCandidate, PlanRequest, plan_session
from invigilator_app.services.station import Station

DEMO_PASSWORD = "demo lantern harbour kettle"
DEMO_COORDINATOR = "Helen Ward"

NAMES = [
    ("Oliver", "Bennett"),
    ("Amelia", "Hughes"),
    ("Mohammed", "Rahman"),
    ("Siân", "Griffiths"),
    ("Liam", "O'Neill"),
    ("Zoë", "Clarke"),
    ("Kacper", "Nowak"),
    ("Priya", "Sharma"),
    ("Jack", "Thompson"),
    ("Chloe", "Evans"),
    ("Daniel", "Okafor"),
    ("Emily", "Walsh"),
    ("Thomas", "Nguyễn"),
    ("Grace", "Murphy"),
    ("Ryan", "Ó Briain"),
    ("Hannah", "Patel"),
    ("Callum", "Fraser"),
    ("Ellie", "Robinson"),
    ("Adam", "Kowalski"),
    ("Sophie", "Turner"),
    ("Joshua", "Adeyemi"),
    ("Megan", "Lloyd"),
    ("Ethan", "Campbell"),
    ("Lucy", "Harrison"),
    ("Harvey", "Singh"),
    ("Niamh", "Doyle"),
    ("Kieran", "McAllister"),
    ("Isla", "Morgan"),
    ("Marek", "Dvořák"),
    ("Jessica", "Wood"),
]

ASSESSMENTS = [
    # (assessment id, title, qualification, minutes)
    ("EV1-ONL-01", "Electric/Hybrid Vehicle Awareness: Online Knowledge Test", "603/1465/5", 45),
    ("MOT4-ONL-02", "MOT Testing Classes 4 and 7: Online Assessment", "601/8928/9", 60),
    ("LV3-U04-ONL", "Light Vehicle Engine Mechanical, Lubrication and Cooling Systems Units", "603/5264/6", 90),
    ("REF3-ONL-01", "Automotive Refrigerant Handling (EC842-2006) Online Test", "500/6771/0", 40),
]


def _layout() -> tuple[WorkstationFact, ...]:
    stations = []
    for row in range(3):
        for col in range(4):
            n = row * 4 + col + 1
            stations.append(
                WorkstationFact(
                    label=f"PC-{n:02d}",
                    x=1.0 + col * 1.8,
                    y=2.0 + row * 1.9,
                    screen=False,
                    privacy_filter=(col in (1, 2) and row == 2),
                )
            )
    return tuple(stations)


def build_demo(data_dir: Path | None = None, today: date | None = None) -> tuple[Path, str]:
    """Create the demo store; returns (data dir, the coordinator's password)."""
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="invigilator-demo-"))
    zone = "Europe/London"
    today = today or local(datetime.now(UTC), zone).date()
    init_store(
        data_dir,
        centre_name="Northgate College of Automotive Skills",
        centre_number="IMI 40213",
        coordinator=DEMO_COORDINATOR,
        password=DEMO_PASSWORD,
        address="Unit 4, Riverside Trade Park, Leeds LS11 5QP",
    )
    start_today = to_utc(today, time(9, 30), zone)
    clock_now = [start_today - timedelta(days=8)]
    station = open_station(data_dir, DEMO_PASSWORD, clock=lambda: clock_now[0])
    try:
        rows = [
            CandidateRow(f"R{4410230 + i * 7}", first, last, date(1996 + i % 9, 1 + i % 12, 1 + (i * 3) % 27))
            for i, (first, last) in enumerate(NAMES)
        ]
        import_candidates(station, rows, "demo")
        for row, arrangements, extra in ((rows[2], "reader", 25), (rows[7], "supervised rest breaks", 10)):
            found = list_candidates(station, row.registration_number)[0]
            edit_candidate(
                station,
                found.id,
                CandidateInput(
                    row.registration_number, row.first_name, row.last_name, row.date_of_birth, arrangements, extra
                ),
            )
        layout = _layout()
        invigilator = PlannedInvigilator("Alex Patel", "IMI-INV-70231", assessor=False, impartial=True)

        def plan_day(day: date, start: time, regs: list[CandidateRow], room: str, offset: int) -> int:
            planned = tuple(
                PlannedCandidate(
                    registration_number=c.registration_number,
                    assessment_id=ASSESSMENTS[(i + offset) % len(ASSESSMENTS)][0],
                    qualification=ASSESSMENTS[(i + offset) % len(ASSESSMENTS)][2],
                    assessment_title=ASSESSMENTS[(i + offset) % len(ASSESSMENTS)][1],
                    planned_minutes=ASSESSMENTS[(i + offset) % len(ASSESSMENTS)][3],
                    workstation=layout[i].label,
                    notice_date=day - timedelta(days=14),
                    readiness_confirmed=True,
                    path=f"demo[{i}]",
                )
                for i, c in enumerate(regs)
            )
            request = PlanRequest(day, start, room, invigilator, planned, layout, site="Main site", desk=(3.7, 0.0))
            return plan_session(station, request, "demo").session_id

        past_day = today - timedelta(days=7)
        past = plan_day(past_day, time(13, 30), rows[12:24], "IT Suite", 1)
        at = to_utc(past_day, time(13, 30), zone)
        paper = []
        for i, c in enumerate(rows[12:24]):
            paper += [
                PaperEntry(
                    "identity_check", at - timedelta(minutes=10), c.registration_number, "photo ID (college ID card)"
                ),
                PaperEntry("logged_on", at - timedelta(minutes=5), c.registration_number),
                PaperEntry("start", at + timedelta(minutes=2), c.registration_number),
                PaperEntry("finish", at + timedelta(minutes=38 + i * 3), c.registration_number),
                PaperEntry(
                    "result",
                    at + timedelta(minutes=40 + i * 3),
                    c.registration_number,
                    result="fail" if i == 4 else "pass",
                ),
            ]
        paper.append(
            PaperEntry(
                "it_issue",
                at + timedelta(minutes=20),
                rows[15].registration_number,
                "PC-04 lost connection for 3 minutes; candidate resumed where they left off",
            )
        )
        transcribe(station, past, paper, "demo")
        clock_now[0] = start_today - timedelta(minutes=20)
        session_id = plan_day(today, time(9, 30), rows[:12], "IT Suite", 0)
        plan_day(today, time(13, 0), rows[12:22], "IT Suite", 2)
        _run_morning(station, session_id, rows[:12], start_today, clock_now)
    finally:
        station.close()
    return data_dir, DEMO_PASSWORD


def _run_morning(
    station: Station, session_id: int, rows: list[CandidateRow], start: datetime, clock: list[datetime]
) -> None:
    def at(minutes: int) -> None:
        clock[0] = start + timedelta(minutes=minutes)

    at(-25)
    answers = [(item.rule_id, "yes", "") for item in checklist.checklist(station, session_id)]
    answers[2] = ("ROOM-3", "no", "Wiring diagram poster by the door covered with paper at 09:05")
    checklist.save_checklist(station, session_id, answers)

    for i, c in enumerate(rows):
        at(-12 + i)
        if i == 9:
            continue  # not arrived yet
        console.check_identity(
            station,
            session_id,
            c.registration_number,
            method="photo_id" if i % 3 else "known_to_invigilator",
            id_type="driving licence" if i % 3 == 1 else ("passport" if i % 3 == 2 else ""),
        )
        console.confirm_logged_on(station, session_id, c.registration_number)
        at(1 + i // 4)
        console.start_candidate(station, session_id, c.registration_number)
    at(14)
    console.record_entry(
        station,
        session_id,
        "explanation_requested",
        note="Asked what 'ancillary' means; told the invigilator cannot explain terms.",
        registration_numbers=[rows[2].registration_number],
    )
    at(22)
    console.record_entry(
        station,
        session_id,
        "question_issue",
        note="Diagram labels overlap; candidate could not read label C.",
        question_number="14",
        assessment_id="EV1-ONL-01",
        registration_numbers=[rows[4].registration_number],
    )
    at(31)
    console.record_entry(
        station,
        session_id,
        "late_arrival",
        note="Arrived 31 minutes late: bus delayed. Identity check pending.",
        registration_numbers=[rows[9].registration_number],
    )
    at(40)
    console.finish_candidate(station, session_id, rows[0].registration_number)
    console.record_entry(
        station,
        session_id,
        "submitted_early",
        note="Submitted after 38 minutes; said they had answered every question.",
        registration_numbers=[rows[0].registration_number],
    )
