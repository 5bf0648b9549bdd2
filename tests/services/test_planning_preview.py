"""The planner's rule preview finds what plan_session would, and writes nothing."""

from __future__ import annotations

from datetime import date, time

import pytest

from invigilator_app.domain.enums import Severity
from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services.console.sessions import list_sessions, session_detail
from invigilator_app.services.planning.plans import (
    PlannedInvigilator,
    plan_session,
    preview_plan,
)
from invigilator_app.services.planning.session_copy import copy_session
from tests.services.admin_fixtures import DAY, request, seat, station  # noqa: F401


def _audit_count(opened) -> int:
    from sqlalchemy import func, select

    from invigilator_app.store.models import AuditEntry

    with opened.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_a_clean_plan_previews_with_no_violations_and_writes_nothing(station) -> None:  # noqa: F811
    before = _audit_count(station)
    assert preview_plan(station, request(seat("R1000001", "PC-01"), seat("R1000002", "PC-03"))) == []
    assert _audit_count(station) == before
    assert list_sessions(station) == []


def test_preview_lists_warnings_and_blocks_with_rule_ids(station) -> None:  # noqa: F811
    plan_session(station, request(seat("R1000001", "PC-01", "EV1-A", "603/1465/5")))
    plan_session(station, request(seat("R1000001", "PC-01", "EV1-B", "603/1465/5"), start=time(11, 0)))
    found = preview_plan(
        station, request(seat("R1000001", "PC-01", "EV1-C", "603/1465/5", notice_date=None), start=time(14, 0))
    )
    rules = {(v.rule_id, v.severity) for v in found}
    assert ("CAND-3", Severity.BLOCK) in rules
    assert ("CAND-4", Severity.WARN) in rules
    with pytest.raises(RuleRefused) as refused:
        plan_session(
            station, request(seat("R1000001", "PC-01", "EV1-C", "603/1465/5", notice_date=None), start=time(14, 0))
        )
    assert [v for v in found if v.severity is not Severity.WARN] == refused.value.violations


def test_preview_shows_room1_and_an_assessor_needing_authorisation(station) -> None:  # noqa: F811
    close = (WorkstationFact("PC-01", 0, 0), WorkstationFact("PC-02", 1.0, 0))
    assessor = PlannedInvigilator("Dana Assessor", "IMI-1", assessor=True, impartial=True)
    found = preview_plan(station, request(seat("R1000001", "PC-01"), layout=close, invigilator=assessor))
    assert any(v.rule_id == "ROOM-1" and "1.00 m" in v.message for v in found)
    assert any(v.rule_id == "INV-2" and v.severity is Severity.AUTHORISE for v in found)


def test_preview_accepts_unseated_candidates_but_not_unknown_ones(station) -> None:  # noqa: F811
    assert preview_plan(station, request(seat("R1000001", ""))) == []
    with pytest.raises(BadInput, match="R9999999 is not a registered candidate"):
        preview_plan(station, request(seat("R9999999", "PC-01")))
    with pytest.raises(BadInput, match="workstation"):
        plan_session(station, request(seat("R1000001", "")))


def test_a_copy_is_planned_afresh_on_the_new_date_and_rechecked(station) -> None:  # noqa: F811
    first = plan_session(
        station,
        request(seat("R1000001", "PC-01", "EV1-A", "603/1465/5"), seat("R1000002", "PC-04", "EV1-A", "603/1465/5")),
    ).session_id
    copied = copy_session(station, first, date(2026, 12, 8))
    detail = session_detail(station, copied.session_id)
    assert detail.summary.day == date(2026, 12, 8) and detail.summary.start == "09:30"
    assert {(a.registration_number, a.workstation) for a in detail.allocations} == {
        ("R1000001", "PC-01"),
        ("R1000002", "PC-04"),
    }
    assert {v.rule_id for v in copied.warnings} == {"CAND-4"}, "notice of the new date is needed"
    plan_session(station, request(seat("R1000001", "PC-01", "EV1-B", "603/1465/5"), day=DAY, start=time(13, 0)))
    with pytest.raises(RuleRefused, match="CAND-3"):
        copy_session(station, first, DAY, time(16, 0))
