"""pytest-qt drives a whole session as its invigilator, on a temporary store, and checks what
is stored: checklist, identity checks, a fire alarm for everyone (clock paused), a question
issue, a candidate submitting early, an absent candidate, and the sign-off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from invigilator_app.domain.enums import IncidentType
from invigilator_app.services.access import open_station
from invigilator_app.services.console.sessions import session_detail
from invigilator_app.services.review.records import build_record
from invigilator_app.ui.dialogs import EntryAnswer, IdentityAnswer
from invigilator_app.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogs
from tests.gui.fakes import select_workstation as _select
from tests.helpers import PASSWORD, cli, plan, planned_session, seeded, write_json

INVIGILATOR_PASSWORD = "invigilator passphrase 42"


def _invigilator_can_log_in(data_dir: Path) -> None:
    """Give the planned invigilator a password, key slot and signing key (`users passwd`)."""
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "users",
        "passwd",
        "Alex Patel",
        stdin=f"{PASSWORD}\n{INVIGILATOR_PASSWORD}\n",
    )
    assert res.code == 0, res.err


def test_a_whole_session_from_checklist_to_sign_off(qtbot, tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)
    data = plan(start="09:30", regs=("R1000001", "R1000002", "R1000003", "R1000004"))
    for c in data["candidates"]:
        c["planned_minutes"] = 60
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(tmp_path / "p.json", data),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    session_id = int(res.out)
    _invigilator_can_log_in(data_dir)
    now = [datetime(2026, 12, 1, 9, 10, tzinfo=UTC)]
    station = open_station(data_dir, INVIGILATOR_PASSWORD, user="Alex Patel", clock=lambda: now[0])
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.show()
    fake = FakeDialogs()
    window.dialogs = fake

    # The room checklist, in the GUI: one "no" with a note.
    page = window.panel.checklist
    assert "IMI-PIN-7731" in page.invigilator.text() and "Impartial" in page.invigilator.text()
    for rule_id in list(page.answers):
        page.set_answer(rule_id, "yes")
    page.set_answer("ROOM-3", "no", "Poster covered at 09:05")
    page.save_button.click()
    assert fake.errors == []
    assert "complete" in page.status.text()

    # Identity checks and starts for three; one is absent.
    fake.identity_answer = IdentityAnswer("photo_id", "driving licence", True)
    for ws in ("PC-01", "PC-02", "PC-03"):
        _select(window, ws)
        window.candidate_actions["identity"].trigger()
        _select(window, ws)
        window.candidate_actions["logged_on"].trigger()
        now[0] += timedelta(minutes=1)
        _select(window, ws)
        window.candidate_actions["start"].trigger()
    _select(window, "PC-04")
    window.candidate_actions["absent"].trigger()
    assert fake.errors == []

    # A fire alarm for everyone: the clock is paused, then resumed 15 minutes later.
    now[0] = datetime(2026, 12, 1, 9, 40, tzinfo=UTC)
    fake.entry_answer = EntryAnswer("Evacuated to assembly point B", ["R1000001", "R1000002", "R1000003"], pause=True)
    window.incident_actions[IncidentType.FIRE_ALARM].trigger()
    assert "clock paused for 3 working candidate(s)" in window.panel.strip.label.text()
    now[0] += timedelta(minutes=15)
    window.session_actions["resume"].trigger()
    finishes = {
        window.panel.clock.table.item(r, 0).text(): window.panel.clock.table.item(r, 3).text()
        for r in range(window.panel.clock.table.rowCount())
    }
    assert finishes["PC-01"].startswith("10:26") and "+15 min pause" in finishes["PC-01"]

    # A question issue, then marked notified with IMI's reference.
    fake.entry_answer = EntryAnswer("Diagram 3 does not load", ["R1000002"], "12", "MOT-4-A")
    window.incident_actions[IncidentType.QUESTION_ISSUE].trigger()
    window.panel.tabs.setCurrentWidget(window.panel.entry_view)
    rows = [window.panel.entries.row_at(r) for r in range(window.panel.entries.rowCount())]
    window.panel.entry_view.selectRow(next(i for i, e in enumerate(rows) if e.type == "question_issue"))
    fake.text_answer = "IMI enquiry 88120"
    window.session_actions["notified"].trigger()

    # One submits early; everyone finishes.
    now[0] += timedelta(minutes=5)
    fake.entry_answer = EntryAnswer("Submitted after 25 minutes", ["R1000003"])
    window.incident_actions[IncidentType.SUBMITTED_EARLY].trigger()
    for ws in ("PC-03", "PC-01", "PC-02"):
        _select(window, ws)
        window.candidate_actions["finish"].trigger()
    assert fake.errors == []

    # Sign-off with the declaration.
    window.session_actions["sign_off"].trigger()
    assert fake.errors == [], fake.errors
    assert "I, Alex Patel (IMI PIN IMI-PIN-7731)" in fake.confirmations[-1]

    detail = session_detail(station, session_id)
    assert detail.summary.state == "closed"
    record = build_record(station, session_id)
    assert record.signed_off_by == "Alex Patel"
    assert {c.registration_number: c.outcome for c in record.candidates} == {
        "R1000001": "finished",
        "R1000002": "finished",
        "R1000003": "finished",
        "R1000004": "absent",
    }
    types = [e.type for e in record.entries]
    assert {"fire_alarm", "question_issue", "submitted_early", "clock_pause"} <= set(types)
    question = next(e for e in record.entries if e.type == "question_issue")
    assert question.question_number == "12" and question.notification_reference == "IMI enquiry 88120"
    assert {i.rule_id: i.answer for i in record.checklist}["ROOM-3"] == "no"

    # After sign-off, a new entry is a late entry and needs a reason.
    fake.entry_answer = EntryAnswer("Forgot to note the reader", ["R1000001"])
    fake.text_answer = None
    window.incident_actions[IncidentType.READER_USED].trigger()
    assert fake.errors and "late entry needs a reason" in fake.errors[-1]
    fake.text_answer = "noticed when reading the log back"
    window.incident_actions[IncidentType.READER_USED].trigger()
    late = [e for e in build_record(window.station, session_id).entries if e.type == "reader_used"]
    assert late and late[-1].late and late[-1].late_reason == "noticed when reading the log back"


def test_the_help_overlay_lists_every_shortcut(qtbot, tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)
    window = MainWindow(open_station(data_dir, PASSWORD))
    qtbot.addWidget(window)
    window.dialogs = FakeDialogs()
    window.show()
    window.session_actions["help"].trigger()
    overlay = window.console.sessions.overlay
    assert overlay is not None and overlay.isVisible()
    html = overlay.text.text()
    for key, _label in window.console.shortcuts():
        assert key and key in html
    for key in ("Ctrl+L", "F5", "Ctrl+Q", "F11", "Ctrl+Z"):
        assert f"<b>{key}</b>" in html, key
    keys = [k for k, _ in window.console.shortcuts()]
    assert len(keys) == len(set(keys)), "no shortcut is used twice"
    screen = window.screen().availableGeometry()
    assert overlay.height() <= screen.height(), "the overlay scrolls instead of growing off screen"


def test_the_invigilator_answers_a_returned_query_from_the_console(qtbot, tmp_path: Path) -> None:
    from invigilator_app.services.review import queue as review

    data_dir, session_id = planned_session(tmp_path, regs=("R1000001",))
    log = [
        {"type": "identity_check", "at": "2026-12-01T09:20", "registration_number": "R1000001"},
        {"type": "start", "at": "2026-12-01T09:31", "registration_number": "R1000001"},
        {"type": "finish", "at": "2026-12-01T10:20", "registration_number": "R1000001"},
    ]
    assert (
        cli(
            "--data-dir",
            data_dir,
            "--password-stdin",
            "session",
            "log",
            str(session_id),
            write_json(tmp_path / "log.json", log),
            stdin=PASSWORD + "\n",
        ).code
        == 0
    )
    _invigilator_can_log_in(data_dir)
    invigilator = open_station(data_dir, INVIGILATOR_PASSWORD, user="Alex Patel")
    from invigilator_app.services.console import checklist, closing

    checklist.save_checklist(
        invigilator, session_id, [(i.rule_id, "yes", "") for i in checklist.checklist(invigilator, session_id)]
    )
    closing.sign_off(invigilator, session_id, closing.declaration_text("Alex Patel", "IMI-PIN-7731"))
    coordinator = open_station(data_dir, PASSWORD)
    review.return_with_query(coordinator, session_id, "Which photo ID did Jane Smith show?")
    coordinator.close()
    window = MainWindow(invigilator)
    qtbot.addWidget(window)
    window.dialogs = fake = FakeDialogs()
    fake.text_answer = "Her driving licence; the paper log was transcribed without it."
    window.session_actions["answer_query"].trigger()
    assert fake.errors == []
    assert review.review_history(invigilator, session_id)[-1].action == "answered"


def test_a_closed_record_is_corrected_by_an_amendment_shown_on_the_record(qtbot, tmp_path: Path) -> None:
    data_dir, session_id = planned_session(tmp_path, regs=("R1000001",))
    log = [
        {"type": "identity_check", "at": "2026-12-01T09:20", "registration_number": "R1000001"},
        {"type": "start", "at": "2026-12-01T09:31", "registration_number": "R1000001"},
        {"type": "it_issue", "at": "2026-12-01T09:50", "registration_number": "R1000001", "note": "PC-01 froze"},
        {"type": "finish", "at": "2026-12-01T10:20", "registration_number": "R1000001"},
    ]
    assert (
        cli(
            "--data-dir",
            data_dir,
            "--password-stdin",
            "session",
            "log",
            str(session_id),
            write_json(tmp_path / "log.json", log),
            stdin=PASSWORD + "\n",
        ).code
        == 0
    )
    _invigilator_can_log_in(data_dir)
    station = open_station(data_dir, INVIGILATOR_PASSWORD, user="Alex Patel")
    from invigilator_app.services.console import checklist, closing

    checklist.save_checklist(
        station, session_id, [(i.rule_id, "yes", "") for i in checklist.checklist(station, session_id)]
    )
    closing.sign_off(station, session_id, closing.declaration_text("Alex Patel", "IMI-PIN-7731"))
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.dialogs = fake = FakeDialogs()
    panel = window.panel
    panel.tabs.setCurrentWidget(panel.entry_view)
    panel.entry_view.selectRow(
        next(r for r in range(panel.entries.rowCount()) if panel.entries.row_at(r).type == "it_issue")
    )
    fake.choice = "note"
    answers = iter(
        [
            "PC-01 lost its connection for 4 minutes",
            "The paper log said 'froze'; the technician's report says connection",
        ]
    )
    fake.text = lambda title, label: next(answers)  # type: ignore[method-assign]
    window.session_actions["amend"].trigger()
    assert fake.errors == [], fake.errors
    issue = next(e for e in build_record(station, session_id).entries if e.type == "it_issue")
    assert issue.note == "PC-01 lost its connection for 4 minutes"
    assert any("PC-01 froze" in a and "technician" in a for a in issue.amendments)
