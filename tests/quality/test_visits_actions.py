"""EQA visits and their actions (000) through the services: the visit, its sampling plan,
actions with evidence kept inside the encrypted store, the days left read in centre time
(across a clock change and a leap day), the start-up warning and the EQA's sign-off."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput, NotFound, NotPermitted
from invigilator_app.services.quality import actions, visits
from invigilator_app.services.quality.warnings import startup_warnings
from invigilator_app.services.trust.integrity import verify_store
from tests.review_helpers import (
    INSPECTOR,
    FixedClock,
    coordinator,
    demo_store,
    inspector,
)

VISIT = visits.VisitInput(
    eqa_name="Pat Quinn",
    planned_on=date(2026, 11, 24),
    period_from=date(2026, 11, 1),
    period_to=date(2026, 11, 23),
    announced=True,
    remote=False,
    schedule_received_on=date(2026, 11, 12),
    sampling_plan_received_on=date(2026, 11, 12),
    inspector=INSPECTOR,
)


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    return demo_store(tmp_path)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> FixedClock:
    return FixedClock(datetime(year, month, day, hour, minute, tzinfo=UTC))


def test_a_visit_with_its_sampling_plan_and_actions(store: tuple[Path, str], tmp_path: Path) -> None:
    station = coordinator(*store)
    try:
        visit = visits.record_visit(station, VISIT)
        assert visit.kind == "announced, on site" and visit.inspector == INSPECTOR
        assert visits.plan_notice_days(visit) == 12
        visits.add_sample(station, visit.id, visits.SampleInput("session", session_id=1))
        visits.add_sample(station, visit.id, visits.SampleInput("candidate", registration_number="r4410230"))
        visits.add_sample(station, visit.id, visits.SampleInput("record", description="IQA sampling record, Nov"))
        with pytest.raises(NotFound, match="no session 99"):
            visits.add_sample(station, visit.id, visits.SampleInput("session", session_id=99))
        with pytest.raises(BadInput, match="not one of"):
            visits.add_sample(station, visit.id, visits.SampleInput("room"))
        labels = [s.label for s in visits.get_visit(station, visit.id).samples]
        assert labels[0].startswith("session: session 1 (IT Suite)") and "R4410230" in labels[1]
        late = actions.add_action(station, visit.id, "Update the IQA strategy", date(2026, 11, 25))
        soon = actions.add_action(station, visit.id, "Retrain invigilators on ID checks", date(2026, 11, 30))
        later = actions.add_action(
            station,
            visit.id,
            "Move PC-07 away from the window",
            date(2027, 1, 15),
            evidence_reference="Estates ticket 4471",
        )
        evidence = tmp_path / "strategy.pdf"
        evidence.write_bytes(b"%PDF-1.7 the new IQA strategy")
        assert actions.attach_evidence(station, late.id, evidence).evidence[0].file_name == "strategy.pdf"
        with pytest.raises(BadInput, match="before the visit"):
            actions.add_action(station, visit.id, "x", date(2026, 11, 1))
        with pytest.raises(BadInput, match=r"Evidence file .*cannot be read"):
            actions.attach_evidence(station, late.id, tmp_path / "missing.pdf")
        out = actions.export_evidence(station, actions.list_actions(station)[0].evidence[0].id, tmp_path / "out.pdf")
        assert out.read_bytes() == evidence.read_bytes()
    finally:
        station.close()
    store_bytes = (store[0] / "store.db").read_bytes()
    assert b"the new IQA strategy" not in store_bytes and b"Retrain invigilators" not in store_bytes
    station = coordinator(*store, clock=at(2026, 11, 27))
    try:
        listed = actions.list_actions(station)
        assert [(a.id, a.state, a.when) for a in listed] == [
            (late.id, "overdue", "2 days overdue"),
            (soon.id, "due soon", "3 days left"),
            (later.id, "open", "49 days left"),
        ]
        assert [a.id for a in actions.list_actions(station, due_within=7)] == [late.id, soon.id]
        assert [a.id for a in actions.list_actions(station, due_within=0)] == [late.id]
        warnings = startup_warnings(station)
        assert len(warnings) == 2 and "2 days overdue" in warnings[0] and "3 days left" in warnings[1]
        with pytest.raises(BadInput, match="not done yet"):
            actions.sign_off(station, late.id, "EQA email 30 Nov")
        actions.mark_done(station, late.id, date(2026, 11, 27))
        with pytest.raises(BadInput, match="give the EQA's reference"):
            actions.sign_off(station, late.id, "")
        assert actions.list_actions(station)[0].state == "due soon", "done: no longer overdue"
        assert "2 days late" in actions.list_actions(station, include_signed_off=True)[-1].when
        signed = actions.sign_off(station, late.id, "Hub engagement form EF-2231")
        assert signed.state == "signed off" and "EQA reference Hub engagement form EF-2231" in signed.signed_off
        assert late.id not in [a.id for a in actions.list_actions(station)]
        assert "OK" in verify_store(station)
    finally:
        station.close()


def test_days_left_are_counted_in_centre_time_across_clock_changes_and_a_leap_day(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        visit = visits.record_visit(station, VISIT)
        spring = actions.add_action(station, visit.id, "spring", date(2027, 3, 28))
        autumn = actions.add_action(station, visit.id, "autumn", date(2026, 11, 30))
        leap = actions.add_action(station, visit.id, "leap", date(2028, 2, 29))
    finally:
        station.close()

    def state(clock: FixedClock, action_id: int) -> str:
        s = coordinator(*store, clock=clock)
        try:
            return next(a.when for a in actions.list_actions(s) if a.id == action_id)
        finally:
            s.close()

    # 27 Mar 2027 23:30 UTC is still 27 Mar (GMT); 28 Mar 00:30 UTC is 28 Mar 01:30 GMT and
    # 23:30 UTC that day is already 29 Mar 00:30 BST.
    assert state(at(2027, 3, 27, 23, 30), spring.id) == "1 day left"
    assert state(at(2027, 3, 28, 0, 30), spring.id) == "due today"
    assert state(at(2027, 3, 28, 23, 30), spring.id) == "1 day overdue"
    assert state(at(2026, 11, 29, 23, 59), autumn.id) == "1 day left", "GMT: UTC and centre days agree"
    assert state(at(2028, 2, 28, 23, 30), leap.id) == "1 day left"
    assert state(at(2028, 2, 29, 9), leap.id) == "due today"
    assert state(at(2028, 3, 1, 9), leap.id) == "1 day overdue"


def test_the_visits_inspector_signs_off_and_ticks_the_plan_and_nothing_else(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        visit = visits.record_visit(station, VISIT)
        other = visits.record_visit(
            station, visits.VisitInput("Another EQA", date(2026, 12, 1), date(2026, 11, 1), date(2026, 11, 30))
        )
        sample = visits.add_sample(station, visit.id, visits.SampleInput("session", session_id=2))
        action = actions.add_action(station, visit.id, "Label the spare PCs", date(2026, 12, 1))
        other_action = actions.add_action(station, other.id, "Not theirs", date(2026, 12, 1))
        actions.mark_done(station, action.id, date(2026, 11, 23))
        actions.mark_done(station, other_action.id, date(2026, 11, 23))
    finally:
        station.close()
    station = inspector(store[0])
    try:
        assert [v.id for v in visits.list_visits(station)] == [visit.id], "only the visit their account is for"
        assert visits.visit_for_inspector(station) is not None
        ticked = visits.mark_looked_at(station, sample.id)
        assert ticked.looked_by == INSPECTOR and ticked.looked_at
        signed = actions.sign_off(station, action.id)
        assert signed.signed_off.startswith(f"signed in the app by {INSPECTOR}")
        with pytest.raises(NotPermitted):
            actions.sign_off(station, other_action.id)
        with pytest.raises(NotPermitted):
            visits.get_visit(station, other.id)
        with pytest.raises(NotPermitted):
            actions.add_action(station, visit.id, "an inspector adds one", date(2026, 12, 1))
        with pytest.raises(NotPermitted):
            visits.record_visit(station, VISIT)
    finally:
        station.close()
    station = coordinator(*store)
    try:
        assert visits.get_visit(station, visit.id).looked_at == 1
        assert "OK" in verify_store(station), "the inspector's marks are chained in the audit trail"
    finally:
        station.close()


def test_bad_visits_are_refused_with_the_field_named(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        with pytest.raises(BadInput, match="EQA name"):
            visits.record_visit(
                station, visits.VisitInput(" ", date(2026, 12, 1), date(2026, 11, 1), date(2026, 11, 2))
            )
        with pytest.raises(BadInput, match="Period"):
            visits.record_visit(
                station, visits.VisitInput("X", date(2026, 12, 1), date(2026, 11, 3), date(2026, 11, 2))
            )
        with pytest.raises(BadInput, match="Inspector account: Helen Ward is a coordinator"):
            visits.record_visit(
                station,
                visits.VisitInput("X", date(2026, 12, 1), date(2026, 11, 1), date(2026, 11, 2), inspector="Helen Ward"),
            )
        with pytest.raises(BadInput, match="Sampling plan received on"):
            visits.record_visit(
                station,
                visits.VisitInput(
                    "X",
                    date(2026, 12, 1),
                    date(2026, 11, 1),
                    date(2026, 11, 2),
                    sampling_plan_received_on=date(2026, 12, 2),
                ),
            )
        assert visits.list_visits(station) == []
    finally:
        station.close()


def test_the_visit_report_is_a_signed_pdf_with_its_data_attached(store: tuple[Path, str], tmp_path: Path) -> None:
    import json

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pypdf import PdfReader

    from invigilator_app.services.quality.report import export_visit_report

    station = coordinator(*store)
    try:
        visit = visits.record_visit(station, VISIT)
        visits.add_sample(station, visit.id, visits.SampleInput("session", session_id=1))
        actions.add_action(station, visit.id, "Update the IQA strategy", date(2026, 11, 25), "Policy folder, tab 3")
        out = export_visit_report(station, visit.id, tmp_path / "visit.pdf")
    finally:
        station.close()
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "EQA monitoring visit" in text and "Pat Quinn" in text and "Update the IQA strategy" in text
    assert "Policy folder, tab 3" in text and "IT Suite" in text
    with out.open("rb") as handle:
        reader = PdfFileReader(handle)
        [signature] = reader.embedded_signatures
        status = validate_pdf_signature(signature)
        assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"
    attached = PdfReader(out).attachments["eqa-visit.json"][0]
    assert json.loads(attached)["eqa_name"] == "Pat Quinn"


def test_the_inspector_account_is_linked_once_it_exists(store: tuple[Path, str]) -> None:
    station = coordinator(*store)
    try:
        visit = visits.record_visit(
            station, visits.VisitInput("Pat Quinn", date(2026, 11, 24), date(2026, 11, 1), date(2026, 11, 23))
        )
        assert visit.inspector == ""
        with pytest.raises(NotFound, match="no user called Nobody"):
            visits.link_inspector(station, visit.id, "Nobody")
        assert visits.link_inspector(station, visit.id, INSPECTOR).inspector == INSPECTOR
    finally:
        station.close()
    station = inspector(store[0])
    try:
        assert [v.id for v in visits.list_visits(station)] == [visit.id]
        with pytest.raises(NotPermitted):
            visits.link_inspector(station, visit.id, "")
    finally:
        station.close()
