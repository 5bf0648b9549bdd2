"""CAND-11, ROOM-9 and INV-5: sessions whose times overlap never share a candidate, a
workstation in the same room, or an invigilator."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from invigilator_app.rules.clashes import (
    UNKNOWN_MINUTES,
    attempt_finish,
    booking_of,
    check_clashes,
    overlaps,
)
from invigilator_app.rules.facts import AttemptFact, BookingFact, InvigilatorFact, PlanFact
from invigilator_app.rules.plan import blocking, check_plan

if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "invigilator-app-hypothesis")

ZONE = "Europe/London"
NINE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def booking(
    session_id: int | None,
    start: datetime,
    minutes: int = 60,
    room: str = "IT Suite",
    invigilator: str = "Alex Patel",
    candidates: tuple[str, ...] = ("R1",),
    seats: tuple[str, ...] = ("PC-01",),
) -> BookingFact:
    return BookingFact(
        session_id,
        room,
        start,
        start + timedelta(minutes=minutes),
        invigilator,
        tuple((c, f"Name {c}") for c in candidates),
        seats,
    )


def test_finish_includes_extra_time_and_unknown_lengths() -> None:
    assert attempt_finish(NINE, 60, 25) == NINE + timedelta(minutes=75)
    assert attempt_finish(NINE, None) == NINE + timedelta(minutes=UNKNOWN_MINUTES)
    attempts = [
        AttemptFact("a", "R1", "Jane", "A1", "Q", NINE, planned_minutes=60, workstation="PC-01"),
        AttemptFact("b", "R2", "Amir", "A1", "Q", NINE, planned_minutes=60, extra_time_percent=50, workstation="PC-02"),
        AttemptFact("c", "R3", "Li", "A1", "Q", NINE, planned_minutes=600, cancelled=True, workstation="PC-03"),
    ]
    made = booking_of(4, "IT Suite", NINE, "Alex", attempts)
    assert made.finish == NINE + timedelta(minutes=90)
    assert made.workstations == ("PC-01", "PC-02")
    assert [c[0] for c in made.candidates] == ["R1", "R2"]


def test_candidate_in_two_rooms_at_once_names_both_sessions() -> None:
    found = check_clashes(
        booking(None, NINE, room="Workshop", seats=("W1",), invigilator="Sam"),
        [booking(7, NINE + timedelta(minutes=30), room="IT Suite")],
        ZONE,
    )
    assert [v.rule_id for v in found] == ["CAND-11"]
    assert "this session (Workshop, Tue 1 Dec 09:00–10:00)" in found[0].message
    assert "session 7 (IT Suite, Tue 1 Dec 09:30–10:30)" in found[0].message
    assert "Name R1 (R1)" in found[0].message


def test_workstation_booked_at_nine_and_half_past() -> None:
    found = check_clashes(
        booking(None, NINE + timedelta(minutes=30), candidates=("R2",), invigilator="Sam"), [booking(3, NINE)], ZONE
    )
    assert [v.rule_id for v in found] == ["ROOM-9"]
    assert "PC-01 in IT Suite" in found[0].message and "session 3" in found[0].message


def test_same_label_in_another_room_is_another_workstation() -> None:
    assert (
        check_clashes(
            booking(None, NINE, room="Workshop", candidates=("R2",), invigilator="Sam"), [booking(3, NINE)], ZONE
        )
        == []
    )


def test_invigilator_in_two_rooms() -> None:
    found = check_clashes(
        booking(None, NINE, room="Workshop", candidates=("R2",), seats=("W1",), invigilator="alex patel"),
        [booking(3, NINE)],
        ZONE,
    )
    assert [v.rule_id for v in found] == ["INV-5"]


def test_touching_sessions_and_the_session_itself_do_not_clash() -> None:
    assert check_clashes(booking(None, NINE + timedelta(minutes=60)), [booking(3, NINE)], ZONE) == []
    assert check_clashes(booking(3, NINE + timedelta(minutes=30)), [booking(3, NINE)], ZONE) == []


def test_identical_plan_twice_is_blocked_by_all_three() -> None:
    first = booking(1, NINE)
    again = booking(None, NINE)
    assert sorted(v.rule_id for v in check_clashes(again, [first], ZONE)) == ["CAND-11", "INV-5", "ROOM-9"]


def test_check_plan_blocks_a_clash_with_a_stored_session() -> None:
    attempts = (
        AttemptFact(
            "p",
            "R1",
            "Jane",
            "A1",
            "Q",
            NINE,
            planned_minutes=60,
            workstation="PC-01",
            notice_date=NINE.date(),
            readiness_confirmed=True,
        ),
    )
    plan = PlanFact(None, NINE, "IT Suite", InvigilatorFact("Sam", "1", impartial=True, nominated=True), (), attempts)
    found = blocking(check_plan(plan, [], ZONE, others=[booking(2, NINE + timedelta(minutes=59))]))
    assert {v.rule_id for v in found} == {"CAND-11", "ROOM-9"}


minutes = st.integers(min_value=0, max_value=600)
lengths = st.integers(min_value=1, max_value=300)
people = st.sets(st.sampled_from(["R1", "R2", "R3", "R4"]), max_size=3)
places = st.sets(st.sampled_from(["PC-01", "PC-02", "PC-03"]), max_size=3)
invigilators = st.sampled_from(["Alex", "Sam", ""])


@st.composite
def bookings(draw: st.DrawFn, session_id: int | None) -> BookingFact:
    start = NINE + timedelta(minutes=draw(minutes))
    return BookingFact(
        session_id,
        draw(st.sampled_from(["IT Suite", "Workshop"])),
        start,
        start + timedelta(minutes=draw(lengths)),
        draw(invigilators),
        tuple((c, c) for c in sorted(draw(people))),
        tuple(sorted(draw(places))),
    )


@settings(max_examples=300, deadline=None)
@given(bookings(None), st.lists(st.integers(1, 50), min_size=0, max_size=4, unique=True), st.data())
def test_properties(new: BookingFact, ids: list[int], data: st.DataObject) -> None:
    others = [data.draw(bookings(i)) for i in ids]
    found = check_clashes(new, others, ZONE)
    # Order of the stored sessions never changes the answer.
    assert sorted(v.message for v in check_clashes(new, list(reversed(others)), ZONE)) == sorted(
        v.message for v in found
    )
    for other in others:
        mentioned = [v for v in found if f"session {other.session_id} (" in v.message]
        if not overlaps(new, other):
            assert mentioned == []
            continue
        shared_people = {c for c, _ in new.candidates} & {c for c, _ in other.candidates}
        shared_seats = set(new.workstations) & set(other.workstations) if new.room == other.room else set()
        same_invigilator = bool(new.invigilator) and new.invigilator == other.invigilator
        assert len([v for v in mentioned if v.rule_id == "CAND-11"]) == len(shared_people)
        assert any(v.rule_id == "ROOM-9" for v in mentioned) == bool(shared_seats)
        assert any(v.rule_id == "INV-5" for v in mentioned) == same_invigilator
    # Symmetry: what clashes one way clashes the other way.
    for other in others:
        there = check_clashes(
            BookingFact(
                99, other.room, other.start, other.finish, other.invigilator, other.candidates, other.workstations
            ),
            [BookingFact(98, new.room, new.start, new.finish, new.invigilator, new.candidates, new.workstations)],
            ZONE,
        )
        here = [v for v in found if f"session {other.session_id} (" in v.message]
        assert sorted(v.rule_id for v in there) == sorted(v.rule_id for v in here)
