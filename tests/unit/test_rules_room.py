"""ROOM-1: spacing, screens, privacy filters and labels."""

from __future__ import annotations

import pytest

from invigilator_app.domain.enums import Severity
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.rules.room import check_room_layout, natural_key, too_close_pairs


def ws(label: str, x: float, y: float = 0.0, *, screen: bool = False, filt: bool = False) -> WorkstationFact:
    return WorkstationFact(label, x, y, screen=screen, privacy_filter=filt)


@pytest.mark.parametrize(
    ("second", "blocked"),
    [
        (ws("PC-02", 1.49), True),
        (ws("PC-02", 1.5), False),
        (ws("PC-02", 1.51), False),
        (ws("PC-02", 0.9, 1.2), False),  # exactly 1.5 m on a diagonal
        (ws("PC-02", 0.3), True),
        (ws("PC-02", 0.3, screen=True), False),
        (ws("PC-02", 0.3, filt=True), False),
    ],
)
def test_distance_screens_and_filters(second: WorkstationFact, blocked: bool) -> None:
    found = check_room_layout([ws("PC-01", 0.0), second])
    assert bool(found) is blocked
    assert all(v.rule_id == "ROOM-1" and v.severity is Severity.BLOCK for v in found)


def test_one_shielded_workstation_is_enough() -> None:
    assert check_room_layout([ws("A", 0, screen=True), ws("B", 0.5)]) == []
    assert check_room_layout([ws("A", 0), ws("B", 0.5, filt=True)]) == []


def test_message_names_both_and_the_distance() -> None:
    [v] = check_room_layout([ws("PC-04", 1.2), ws("PC-03", 0.0)])
    assert v.message == "PC-03 and PC-04 are 1.20 m apart (ROOM-1 needs 1.5 m, a screen or a privacy filter)"
    assert "001" in v.source


def test_just_under_never_shows_as_the_limit() -> None:
    [v] = check_room_layout([ws("A", 0.0), ws("B", 1.4999)])
    assert "1.499 m apart" in v.message


def test_one_violation_per_pair_in_label_order() -> None:
    stations = [ws("PC-10", 1.0), ws("PC-2", 0.0), ws("PC-3", 0.5), ws("PC-20", 9.0)]
    pairs = too_close_pairs(stations)
    assert [(a, b) for a, b, _ in pairs] == [("PC-2", "PC-3"), ("PC-2", "PC-10"), ("PC-3", "PC-10")]
    assert pairs[0][2] == pytest.approx(0.5)
    assert len(check_room_layout(stations)) == 3


def test_custom_minimum() -> None:
    assert too_close_pairs([ws("A", 0), ws("B", 1.8)], min_distance=2.0) != []


def test_duplicate_and_blank_labels_block() -> None:
    found = check_room_layout([ws("PC-01", 0), ws("PC-01", 5), ws(" ", 10)])
    messages = " / ".join(v.message for v in found)
    assert "2 workstations are labelled PC-01" in messages
    assert "1 workstation has no label" in messages
    assert all(v.blocks for v in found)


def test_empty_room_is_fine() -> None:
    assert check_room_layout([]) == []
    assert natural_key("PC-2") < natural_key("pc-10")
