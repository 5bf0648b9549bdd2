"""Rooms and layouts (ROOM-1, desk, PDF), automatic seating, the day view and invigilators."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services.admin import invigilators, rooms
from invigilator_app.services.admin.users import add_invigilator, list_users
from invigilator_app.services.planning.changes import authorise_assessor
from invigilator_app.services.planning.dayview import day_view
from invigilator_app.services.planning.plans import plan_session, preview_plan
from invigilator_app.services.planning.seat_assignment import SeatRequest, auto_assign
from tests.services.admin_fixtures import DAY, INVIGILATOR, request, seat, station  # noqa: F401


def test_a_new_room_gets_a_layout_and_desk_checked_by_room1(station, tmp_path: Path) -> None:  # noqa: F811
    rooms.add_room(station, "Workshop 2", "Annexe")
    with pytest.raises(BadInput, match="already a room"):
        rooms.add_room(station, "workshop 2")
    close = [WorkstationFact("A", 0, 0), WorkstationFact("B", 1.2, 0)]
    with pytest.raises(RuleRefused, match=r"A and B are 1\.20 m apart"):
        rooms.save_layout(station, "Workshop 2", close)
    saved = rooms.save_layout(
        station, "Workshop 2", [WorkstationFact("A", 0, 0), WorkstationFact("B", 1.2, 0, screen=True)], desk=(0.6, 3.0)
    )
    assert saved.desk == (0.6, 3.0) and saved.too_close == []
    assert [(r.name, r.workstations, r.has_desk) for r in rooms.list_rooms(station)] == [("Workshop 2", 2, True)]
    out = rooms.export_layout_pdf(station, "Workshop 2", tmp_path / "layout.pdf")
    text = PdfReader(out).pages[0].extract_text()
    assert "Room layout: Workshop 2" in text and "Every pair of workstations" in text


def test_a_seat_in_use_by_a_planned_session_cannot_be_removed(station) -> None:  # noqa: F811
    plan_session(station, request(seat("R1000001", "PC-06")))
    layout = rooms.get_layout(station, "IT Suite")
    with pytest.raises(BadInput, match="PC-06"):
        rooms.save_layout(station, "IT Suite", layout.workstations[:5])


def test_auto_assign_reads_the_room_and_keeps_one_assessment_apart(station) -> None:  # noqa: F811
    rooms.add_room(station, "Row")
    rooms.save_layout(station, "Row", [WorkstationFact(f"PC-{i}", i * 1.5, 0) for i in range(1, 5)])
    choices = auto_assign(
        station, "Row", [SeatRequest("R1000001", "MOT"), SeatRequest("R1000002", "MOT"), SeatRequest("R1000003", "EV")]
    )
    assert [c.workstation for c in choices] == ["PC-1", "PC-3", "PC-2"]
    with pytest.raises(BadInput, match="no room called Nowhere"):
        auto_assign(station, "Nowhere", [])


def test_the_day_view_counts_each_candidates_assessments_across_rooms(station) -> None:  # noqa: F811
    plan_session(
        station,
        request(
            seat("R1000001", "PC-01", "EV1-A", "603/1465/5", planned_minutes=45),
            seat("R1000002", "PC-03", "EV1-A", "603/1465/5"),
        ),
    )
    plan_session(station, request(seat("R1000001", "PC-01", "EV1-B", "603/1465/5"), start=time(13, 0), room="Room 2"))
    view = day_view(station, DAY)
    assert view.rooms == ["IT Suite", "Room 2"]
    assert [(s.room, s.start, s.end, s.candidates) for s in view.sessions] == [
        ("IT Suite", time(9, 30), time(10, 15), 2),
        ("Room 2", time(13, 0), time(14, 0), 1),
    ]
    first = view.candidates[0]
    assert (first.registration_number, first.count, first.over_limit) == ("R1000001", 2, False)
    assert first.sittings == ["09:30 IT Suite: EV1-A", "13:00 Room 2: EV1-B"]
    assert day_view(station, DAY.replace(day=2)).sessions == []


def test_invigilator_declarations_nomination_and_authorisation(station) -> None:  # noqa: F811
    add_invigilator(station, "Dana Assessor", "IMI-100", assessor=False, impartial=True)
    with pytest.raises(BadInput, match="reason"):
        invigilators.update_invigilator(station, "Dana Assessor", imi_pin="IMI-101", assessor=True, impartial=True)
    invigilators.update_invigilator(
        station,
        "Dana Assessor",
        imi_pin="IMI-101",
        assessor=True,
        impartial=True,
        reason="Now also assesses the EV units",
    )
    dana = invigilators.withdraw_nomination(station, "Dana Assessor")
    assert (dana.imi_pin, dana.assessor, dana.nominated) == ("IMI-101", True, False)
    planned = request(
        seat("R1000001", "PC-01"), invigilator=INVIGILATOR.__class__("Dana Assessor", "IMI-101", True, True)
    )
    assert {v.rule_id for v in preview_plan(station, planned)} == {"INV-2"}, "a plan nominates (INV-4)"
    invigilators.nominate(station, "Dana Assessor")
    assert "Dana Assessor" in {u.name for u in list_users(station) if u.nominated}
    authorise_assessor(station, "Dana Assessor", "Only qualified person on site during the flood closure")
    assert preview_plan(station, planned) == []
    revoked = invigilators.revoke_authorisation(station, "Dana Assessor")
    assert revoked.assessor_authorisation == ""
    invigilators.update_invigilator(
        station,
        "Dana Assessor",
        imi_pin="IMI-101",
        assessor=False,
        impartial=True,
        reason="No longer assesses at this centre",
    )
    history = invigilators.declaration_history(station, "Dana Assessor")
    assert [(h.field, h.original, h.changed, h.reason, h.by) for h in history] == [
        ("assessor", False, True, "Now also assesses the EV units", "Sam Coordinator"),
        ("assessor", True, False, "No longer assesses at this centre", "Sam Coordinator"),
    ]
    assert next(u for u in list_users(station) if u.name == "Dana Assessor").assessor is False
    with pytest.raises(BadInput, match="IMI PIN is required"):
        invigilators.update_invigilator(station, "Dana Assessor", imi_pin=" ", assessor=False, impartial=True)
