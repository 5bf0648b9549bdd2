"""Automatic seating: same-assessment candidates apart, hand choices kept, stable order."""

from __future__ import annotations

import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.rules.seating_assignment import SeatRequest, assign_seats

ROW = [WorkstationFact(f"PC-{i + 1}", i * 1.0, 0.0) for i in range(6)]


def test_two_on_the_same_assessment_are_not_seated_side_by_side() -> None:
    choices = assign_seats(ROW, [SeatRequest("a", "X"), SeatRequest("b", "X")])
    assert [c.workstation for c in choices] == ["PC-1", "PC-3"]
    assert choices[0].reason == "first on X: first free workstation in label order"
    assert (
        choices[1].reason == "first free workstation in label order not beside another candidate on X (nearest 2.0 m)"
    )


def test_when_the_room_is_too_small_the_farthest_seat_is_taken_and_said() -> None:
    choices = assign_seats(ROW[:3], [SeatRequest(k, "X") for k in "abc"])
    assert [c.workstation for c in choices] == ["PC-1", "PC-3", "PC-2"]
    assert choices[2].reason == "farthest free workstation from others on X (nearest 1.0 m: the room allows no more)"


def test_groups_interleave_so_no_two_neighbours_share_an_assessment() -> None:
    requests = [SeatRequest(f"x{i}", "X") for i in range(3)] + [SeatRequest(f"y{i}", "Y") for i in range(3)]
    seats = {c.key: c.workstation for c in assign_seats(ROW, requests)}
    by_seat = {label: key[0] for key, label in seats.items()}
    order = [by_seat[f"PC-{i + 1}"] for i in range(6)]
    assert all(a != b for a, b in itertools.pairwise(order)), order


def test_hand_choices_are_kept_and_taken_seats_avoided() -> None:
    choices = assign_seats(ROW, [SeatRequest("a", "X", "PC-2"), SeatRequest("b", "X")])
    assert next((c.workstation, c.reason) for c in choices) == ("PC-2", "kept: chosen by hand")
    assert choices[1].workstation == "PC-4"


def test_natural_label_order_breaks_ties_and_a_full_room_is_said() -> None:
    grid = [WorkstationFact(label, 0.0, 0.0) for label in ("PC-10", "PC-2")]
    choices = assign_seats(grid, [SeatRequest("a", "X"), SeatRequest("b", "Y"), SeatRequest("c", "Z")])
    assert choices[0].workstation == "PC-2"
    assert choices[2] == choices[2].__class__("c", "", "no free workstation left in the room")


@given(st.lists(st.sampled_from("ABC"), min_size=1, max_size=8), st.integers(min_value=1, max_value=9))
def test_every_seat_is_used_once_and_the_result_is_repeatable(groups: list[str], n: int) -> None:
    layout = [WorkstationFact(f"W{i}", (i % 3) * 2.0, (i // 3) * 2.0) for i in range(n)]
    requests = [SeatRequest(f"k{i}", g) for i, g in enumerate(groups)]
    first = assign_seats(layout, requests)
    assert first == assign_seats(layout, requests)
    used = [c.workstation for c in first if c.workstation]
    assert len(used) == len(set(used)) == min(n, len(groups))


def test_same_assessment_kept_apart_where_the_room_allows() -> None:
    layout = [WorkstationFact(f"W{i}", (i % 4) * 1.5, (i // 4) * 1.5) for i in range(12)]
    choices = assign_seats(
        layout, [SeatRequest(f"k{i}", "X") for i in range(4)] + [SeatRequest(f"j{i}", "Y") for i in range(4)]
    )
    where = {c.key: next(w for w in layout if w.label == c.workstation) for c in choices}
    for group in "kj":
        seats = [w for key, w in where.items() if key[0] == group]
        gaps = [math.hypot(a.x - b.x, a.y - b.y) for i, a in enumerate(seats) for b in seats[i + 1 :]]
        assert min(gaps) >= 3.0, (group, gaps)
