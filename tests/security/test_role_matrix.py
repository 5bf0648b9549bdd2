"""Role × action: every service that writes (or exports, or verifies), called by each role.

A role the matrix refuses gets NotPermitted and the store is left as it was; a role it
allows is never refused for its role (the call may still fail for another reason, e.g. a
candidate who has not started cannot finish). Roles: the coordinator, the invigilator the
session is assigned to, another invigilator, and an inspector (read-only, query_only).
The command line maps every refusal to exit 5."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from invigilator_app.domain.errors import InvigilatorError, NotPermitted
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services.access import open_station
from invigilator_app.services.admin import accounts, candidates, users
from invigilator_app.services.console import checklist, clock, closing
from invigilator_app.services.console import recording as console
from invigilator_app.services.console import transcription as logbook
from invigilator_app.services.planning import changes
from invigilator_app.services.planning import plans as planning
from invigilator_app.services.planning import remote as remote_planning
from invigilator_app.services.quality import actions as quality_actions
from invigilator_app.services.quality import complaints, malpractice_deadlines, visits
from invigilator_app.services.review import amendments, records
from invigilator_app.services.review import queue as review
from invigilator_app.services.station import Station
from invigilator_app.services.trust import checkpoints, integrity
from invigilator_app.store.models import LogEntry
from invigilator_app.store.models import Session as SessionRow
from tests.helpers import CANDIDATES_CSV, PASSWORD, cli, plan, seeded, write_json

COORD, INVIG, OTHER, INSPECT = "coordinator", "invigilator", "other invigilator", "inspector"
ROLES = (COORD, INVIG, OTHER, INSPECT)
LOGINS = {
    COORD: ("Sam Coordinator", PASSWORD),
    INVIG: ("Alex Patel", "alex invigilates on mondays"),
    OTHER: ("Bo Other", "bo invigilates elsewhere"),
    INSPECT: ("Ivy Inspector", "inspecting the records today"),
}
OWN_SESSION = {COORD, INVIG}
"""Session work: the coordinator, and the invigilator the session is assigned to."""
WRITERS = {COORD, INVIG, OTHER}
EVERYONE = set(ROLES)
ONLY_COORDINATOR = {COORD}
EXPORTERS = OWN_SESSION | {INSPECT}
"""Records: the coordinator, the session's invigilator (their own sessions only) and inspectors."""


def _action(role_set: set[str], action: str) -> set[str]:
    """The matrix row, checked against accounts.ACTIONS (what the GUI asks)."""
    allowed = {r.value for r in accounts.ACTIONS[action]}
    expected = {"coordinator" if r == COORD else "inspector" if r == INSPECT else "invigilator" for r in role_set}
    assert expected <= allowed, (action, role_set)
    return role_set


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    base = tmp_path_factory.mktemp("matrix")
    data_dir = seeded(base)
    ids = {}
    for name, day in (("open", "2026-12-01"), ("closed", "2026-12-02")):
        res = cli(
            "--data-dir",
            data_dir,
            "--password-stdin",
            "session",
            "plan",
            write_json(base / f"{name}.json", plan(day=day)),
            stdin=PASSWORD + "\n",
        )
        assert res.code == 0, res.err
        ids[name] = int(res.out)
    station = open_station(data_dir, PASSWORD, user="Sam Coordinator")
    try:
        accounts.add_user(station, "Alex Patel", "invigilator", LOGINS[INVIG][1], imi_pin="IMI-PIN-7731")
        accounts.add_user(station, "Bo Other", "invigilator", LOGINS[OTHER][1], imi_pin="IMI-PIN-0002")
        accounts.add_user(station, "Ivy Inspector", "inspector", LOGINS[INSPECT][1], expires=date(2099, 1, 1))
        entry = console.record_entry(station, ids["closed"], "it_issue", note="PC-02 froze for a minute")
        ids["entry"] = entry.id
        ids["open_entry"] = console.record_entry(station, ids["open"], "other", note="room ready").id
        with station.write() as session:
            row = session.get(SessionRow, ids["closed"])
            assert row is not None
            row.state = "closed"
        visit = visits.record_visit(
            station,
            visits.VisitInput(
                "Pat Quinn", date(2026, 12, 3), date(2026, 12, 1), date(2026, 12, 2), inspector="Ivy Inspector"
            ),
        )
        ids["visit"] = visit.id
        ids["sample"] = visits.add_sample(station, visit.id, visits.SampleInput("session", session_id=ids["closed"])).id
        ids["action"] = quality_actions.add_action(station, visit.id, "Label the spare PCs", date(2026, 12, 20)).id
        quality_actions.mark_done(station, ids["action"], date(2026, 11, 1))
    finally:
        station.close()
    return data_dir, ids


LAYOUT = (
    WorkstationFact("PC-01", 0.0, 0.0, False, False),
    WorkstationFact("PC-02", 2.0, 0.0, False, False),
    WorkstationFact("PC-03", 4.0, 0.0, False, False),
    WorkstationFact("PC-04", 6.0, 0.0, False, False),
)
AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NEW_CANDIDATE = planning.PlannedCandidate(
    "R1000003", "MOT-4-A", "601/8928/9", "PC-03", notice_date=date(2026, 11, 20), readiness_confirmed=True
)
Call = Callable[[Station, dict[str, int], Path], Any]

CASES: list[tuple[str, set[str], Call]] = [
    # planning and changes: the coordinator only
    (
        "planning.plan_session",
        _action(ONLY_COORDINATOR, "plan sessions"),
        lambda s, i, t: planning.plan_session(
            s,
            planning.PlanRequest(
                date(2026, 12, 3),
                time(9, 30),
                "IT Suite",
                planning.PlannedInvigilator("Alex Patel", "IMI-PIN-7731", False, True),
                (NEW_CANDIDATE,),
            ),
        ),
    ),
    (
        "remote.plan_remote_session",
        ONLY_COORDINATOR,
        lambda s, i, t: remote_planning.plan_remote_session(
            s,
            remote_planning.RemotePlanRequest(
                date(2026, 12, 3),
                time(13, 30),
                "IT Suite",
                planning.PlannedInvigilator("Alex Patel", "IMI-PIN-7731", False, True),
                (remote_planning.RemoteCandidate(NEW_CANDIDATE, "Home, 14 Mill Lane, Leeds"),),
            ),
        ),
    ),
    (
        "changes.reschedule_session",
        _action(ONLY_COORDINATOR, "change sessions"),
        lambda s, i, t: changes.reschedule_session(s, i["open"], date(2026, 12, 4), time(10, 0)),
    ),
    (
        "changes.change_invigilator",
        ONLY_COORDINATOR,
        lambda s, i, t: changes.change_invigilator(s, i["open"], "Bo Other"),
    ),
    (
        "changes.cancel_allocation",
        ONLY_COORDINATOR,
        lambda s, i, t: changes.cancel_allocation(s, i["open"], "R1000002"),
    ),
    ("changes.change_room_layout", ONLY_COORDINATOR, lambda s, i, t: changes.change_room_layout(s, "IT Suite", LAYOUT)),
    (
        "changes.authorise_assessor",
        ONLY_COORDINATOR,
        lambda s, i, t: changes.authorise_assessor(s, "Alex Patel", "no other invigilator this week"),
    ),
    ("changes.add_candidate", ONLY_COORDINATOR, lambda s, i, t: changes.add_candidate(s, i["open"], NEW_CANDIDATE)),
    ("changes.change_room", ONLY_COORDINATOR, lambda s, i, t: changes.change_room(s, i["open"], "Room B")),
    (
        "changes.move_candidate",
        _action(OWN_SESSION, "record in own sessions"),
        lambda s, i, t: changes.move_candidate(s, i["open"], "R1000001", "PC-03"),
    ),
    # the exam room: the session's invigilator, or the coordinator
    (
        "console.record_entry",
        OWN_SESSION,
        lambda s, i, t: console.record_entry(s, i["open"], "fire_alarm", note="drill"),
    ),
    (
        "console.check_identity",
        OWN_SESSION,
        lambda s, i, t: console.check_identity(s, i["open"], "R1000001", method="photo_id", id_type="passport"),
    ),
    ("console.confirm_logged_on", OWN_SESSION, lambda s, i, t: console.confirm_logged_on(s, i["open"], "R1000001")),
    ("console.start_candidate", OWN_SESSION, lambda s, i, t: console.start_candidate(s, i["open"], "R1000001")),
    ("console.finish_candidate", OWN_SESSION, lambda s, i, t: console.finish_candidate(s, i["open"], "R1000001")),
    ("console.mark_absent", OWN_SESSION, lambda s, i, t: console.mark_absent(s, i["open"], "R1000002")),
    (
        "console.withdraw_candidate",
        OWN_SESSION,
        lambda s, i, t: console.withdraw_candidate(s, i["open"], "R1000002", "felt unwell"),
    ),
    ("console.issue_paper", OWN_SESSION, lambda s, i, t: console.issue_paper(s, i["open"], "R1000001")),
    ("console.collect_paper", OWN_SESSION, lambda s, i, t: console.collect_paper(s, i["open"], "R1000001")),
    (
        "checklist.save_checklist",
        OWN_SESSION,
        lambda s, i, t: checklist.save_checklist(s, i["open"], [("ROOM-2", "yes", "")]),
    ),
    ("clock.pause_clock", OWN_SESSION, lambda s, i, t: clock.pause_clock(s, i["open"], ["R1000001"], "fire alarm")),
    ("clock.resume_clock", OWN_SESSION, lambda s, i, t: clock.resume_clock(s, i["open"])),
    (
        "logbook.transcribe",
        OWN_SESSION,
        lambda s, i, t: logbook.transcribe(
            s, i["open"], [logbook.PaperEntry("other", AT, note="transcribed from paper")]
        ),
    ),
    (
        "closing.sign_off (the session's invigilator only)",
        {INVIG},
        lambda s, i, t: closing.sign_off(s, i["open"], closing.declaration_text("Alex Patel", "IMI-PIN-7731")),
    ),
    # review of a closed session
    ("review.mark_notified", OWN_SESSION, lambda s, i, t: review.mark_notified(s, i["entry"], "IMI ref 1234")),
    ("review.comment", ONLY_COORDINATOR, lambda s, i, t: review.comment(s, i["closed"], "looks complete")),
    (
        "review.return_with_query",
        ONLY_COORDINATOR,
        lambda s, i, t: review.return_with_query(s, i["closed"], "which PC froze?"),
    ),
    ("review.answer_query", OWN_SESSION, lambda s, i, t: review.answer_query(s, i["closed"], "PC-02")),
    ("review.sign_off_review", ONLY_COORDINATOR, lambda s, i, t: review.sign_off_review(s, i["closed"])),
    (
        "amendments.amend",
        _action(OWN_SESSION, "amend records"),
        lambda s, i, t: amendments.amend(s, "log_entry", i["entry"], "note", "PC-02 froze for two minutes", "misread"),
    ),
    # candidates and accounts: the coordinator only
    (
        "candidates.import_candidates",
        _action(ONLY_COORDINATOR, "import candidates"),
        lambda s, i, t: candidates.import_candidates(s, [candidates.CandidateRow("R2000001", "Ada", "Lovelace")], "t"),
    ),
    (
        "users.add_invigilator",
        _action(ONLY_COORDINATOR, "manage users"),
        lambda s, i, t: users.add_invigilator(s, "New Person", "IMI-PIN-9999"),
    ),
    (
        "accounts.add_user",
        ONLY_COORDINATOR,
        lambda s, i, t: accounts.add_user(s, "New Person", "invigilator", "new person password here", imi_pin="P-1"),
    ),
    ("accounts.disable_user", ONLY_COORDINATOR, lambda s, i, t: accounts.disable_user(s, "Bo Other")),
    (
        "accounts.set_password (of the coordinator)",
        ONLY_COORDINATOR,
        lambda s, i, t: accounts.set_password(s, "Sam Coordinator", "a takeover password attempt"),
    ),
    # audit checkpoints: any writer; exports and verification: everyone
    (
        "checkpoints.create_checkpoint",
        _action(WRITERS, "sign audit checkpoints"),
        lambda s, i, t: checkpoints.create_checkpoint(s, "export"),
    ),
    ("checkpoints.export_checkpoint", EVERYONE, lambda s, i, t: checkpoints.export_checkpoint(s)),
    (
        "records.export_record",
        _action(EXPORTERS, "export records"),
        lambda s, i, t: records.export_record(s, i["closed"], t / "record.pdf"),
    ),
    ("integrity.verify_store", _action(EVERYONE, "verify the store"), lambda s, i, t: integrity.verify_store(s)),
    # the quality file: the coordinator keeps it; the visit's inspector signs off and ticks off
    (
        "visits.record_visit",
        _action(ONLY_COORDINATOR, "record EQA visits"),
        lambda s, i, t: visits.record_visit(
            s, visits.VisitInput("Another EQA", date(2026, 12, 9), date(2026, 12, 1), date(2026, 12, 8))
        ),
    ),
    ("visits.link_inspector", ONLY_COORDINATOR, lambda s, i, t: visits.link_inspector(s, i["visit"], "")),
    (
        "visits.add_sample",
        ONLY_COORDINATOR,
        lambda s, i, t: visits.add_sample(s, i["visit"], visits.SampleInput("record", description="IQA file")),
    ),
    (
        "actions.add_action",
        ONLY_COORDINATOR,
        lambda s, i, t: quality_actions.add_action(s, i["visit"], "Another action", date(2026, 12, 20)),
    ),
    ("actions.mark_done", ONLY_COORDINATOR, lambda s, i, t: quality_actions.mark_done(s, i["action"], None)),
    (
        "actions.sign_off",
        _action({COORD, INSPECT}, "sign off visit actions"),
        lambda s, i, t: quality_actions.sign_off(s, i["action"], "EQA email of 4 Dec"),
    ),
    (
        "visits.mark_looked_at",
        _action({COORD, INSPECT}, "tick off the sampling plan"),
        lambda s, i, t: visits.mark_looked_at(s, i["sample"]),
    ),
    (
        "complaints.record_complaint",
        _action(ONLY_COORDINATOR, "record complaints"),
        lambda s, i, t: complaints.record_complaint(
            s, complaints.ComplaintInput(date(2026, 11, 20), date(2026, 11, 19), "noise", session_ids=(i["closed"],))
        ),
    ),
    (
        "malpractice_deadlines.record_notified",
        ONLY_COORDINATOR,
        lambda s, i, t: malpractice_deadlines.record_notified(s, 1, date(2026, 11, 1), "QC-1"),
    ),
    ("visits.list_visits", _action({COORD, INSPECT}, "view the quality file"), lambda s, i, t: visits.list_visits(s)),
]


def files(data_dir: Path) -> dict[str, bytes]:
    return {name: (data_dir / name).read_bytes() for name in ("store.db", "keyslots.json")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "allowed", "call"), CASES, ids=[c[0] for c in CASES])
def test_role_matrix(
    template: tuple[Path, dict[str, int]], tmp_path: Path, role: str, name: str, allowed: set[str], call: Call
) -> None:
    data_dir = tmp_path / "store"
    shutil.copytree(template[0], data_dir)
    user, password = LOGINS[role]
    before = files(data_dir)
    station = open_station(data_dir, password, user=user)
    try:
        if role in allowed:
            try:
                call(station, template[1], tmp_path)
            except NotPermitted as exc:
                pytest.fail(f"{role} was refused {name}: {exc.message}")
            except InvigilatorError:
                pass  # refused for another reason than the role: fine here
        else:
            with pytest.raises(NotPermitted):
                call(station, template[1], tmp_path)
            station.close()
            assert files(data_dir) == before, f"{name} refused for {role} but the store changed"
    finally:
        station.close()


def test_the_inspectors_connection_is_query_only(template: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    shutil.copytree(template[0], data_dir)
    station = open_station(data_dir, LOGINS[INSPECT][1], user="Ivy Inspector")
    try:
        with station.read() as session:
            assert session.connection().exec_driver_sql("PRAGMA query_only").scalar() == 1
            entry = session.get(LogEntry, template[1]["open_entry"])
            assert entry is not None
            entry.note = "an inspector's edit"
            with pytest.raises(Exception, match=r"readonly|read-only|attempt to write"):
                session.flush()
            session.rollback()
        with station.read() as session:
            assert (
                session.scalars(select(LogEntry.note).where(LogEntry.id == template[1]["open_entry"])).one()
                == "room ready"
            )
    finally:
        station.close()


CLI_CASES: list[tuple[str, set[str], tuple[str, ...], str]] = [
    ("candidates import", ONLY_COORDINATOR, ("candidates", "import", "{csv}"), ""),
    ("session plan", ONLY_COORDINATOR, ("session", "plan", "{plan}"), ""),
    ("session log", OWN_SESSION, ("session", "log", "{open}", "{log}"), ""),
    (
        "users add",
        ONLY_COORDINATOR,
        ("users", "add", "New Person", "--role", "invigilator", "--imi-pin", "P-1"),
        "new person password here",
    ),
    ("users disable", ONLY_COORDINATOR, ("users", "disable", "Bo Other"), ""),
    ("users passwd", ONLY_COORDINATOR, ("users", "passwd", "Sam Coordinator"), "a takeover password attempt"),
    ("session export", EXPORTERS, ("session", "export", "{closed}", "--out", "{pdf}"), ""),
    ("verify --audit", EVERYONE, ("verify", "--audit"), ""),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "allowed", "args", "second_line"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_the_command_line_refuses_with_exit_5(
    template: tuple[Path, dict[str, int]],
    tmp_path: Path,
    role: str,
    name: str,
    allowed: set[str],
    args: tuple[str, ...],
    second_line: str,
) -> None:
    data_dir = tmp_path / "store"
    shutil.copytree(template[0], data_dir)
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(CANDIDATES_CSV.replace("R10000", "R20000"), encoding="utf-8")
    values = {
        "csv": str(csv_file),
        "plan": str(write_json(tmp_path / "p.json", plan(day="2026-12-05"))),
        "log": str(write_json(tmp_path / "l.json", [{"type": "other", "at": "2026-12-01T10:05", "note": "x"}])),
        "open": str(template[1]["open"]),
        "closed": str(template[1]["closed"]),
        "pdf": str(tmp_path / "r.pdf"),
    }
    user, password = LOGINS[role]
    res = cli(
        "--data-dir",
        data_dir,
        "--user",
        user,
        "--password-stdin",
        *[a.format(**values) for a in args],
        stdin=f"{password}\n{second_line}\n",
    )
    assert "Traceback" not in res.err
    if role in allowed:
        assert res.code != 5, f"{role} was refused `{name}`: {res.err}"
    else:
        assert res.code == 5, f"{role} was not refused `{name}`: {res.code} {res.err}"
