"""ROOM-1: workstation spacing, screens and privacy filters.

The other room rules (ROOM-2 to ROOM-8) are checklist items and records, not checks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from invigilator_app.domain.violations import Violation
from invigilator_app.rules.catalogue import violation
from invigilator_app.rules.facts import WorkstationFact

MIN_DISTANCE_M = 1.5
_TOLERANCE_M = 1e-9
"""Floating-point slack so a layout drawn exactly 1.5 m apart is never refused."""


def natural_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key so that "PC-2" comes before "PC-10"."""
    parts = re.split(r"(\d+)", label.strip().casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p != "")


def _shielded(station: WorkstationFact) -> bool:
    return station.screen or station.privacy_filter


def _fmt_metres(distance: float, min_distance: float) -> str:
    """Two decimals, or more when two would make a refused distance look allowed."""
    shown = f"{distance:.2f}"
    if float(shown) >= min_distance and distance < min_distance:
        shown = f"{math.floor(distance * 1000) / 1000:.3f}"
    return shown


def too_close_pairs(
    workstations: Sequence[WorkstationFact], min_distance: float = MIN_DISTANCE_M
) -> list[tuple[str, str, float]]:
    """Pairs (label_a, label_b, distance in m) that ROOM-1 refuses, for drawing and messages.

    A pair is refused when the centre-to-centre distance is under ``min_distance`` and
    neither workstation has a screen or a privacy filter. Exactly ``min_distance`` is fine.
    Labels in each pair and the pairs themselves are in natural label order.
    """
    ordered = sorted(workstations, key=lambda w: (natural_key(w.label), w.label, w.x, w.y))
    pairs: list[tuple[str, str, float]] = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if _shielded(first) or _shielded(second):
                continue
            distance = math.hypot(first.x - second.x, first.y - second.y)
            if distance < min_distance - _TOLERANCE_M:
                pairs.append((first.label, second.label, distance))
    return pairs


def check_labels(workstations: Sequence[WorkstationFact]) -> list[Violation]:
    """ROOM-1 (seating plan): every workstation has a label and no label is used twice."""
    found: list[Violation] = []
    blanks = sum(1 for w in workstations if not w.label.strip())
    if blanks:
        found.append(
            violation(
                "ROOM-1",
                f"{blanks} workstation{'s have' if blanks > 1 else ' has'} no label: ROOM-1 "
                "needs every workstation labelled so the seating plan shows who sat where",
            )
        )
    counts = Counter(w.label.strip() for w in workstations if w.label.strip())
    for label in sorted((lab for lab, n in counts.items() if n > 1), key=natural_key):
        found.append(
            violation(
                "ROOM-1",
                f"{counts[label]} workstations are labelled {label}: ROOM-1 needs each "
                "workstation labelled once so the seating plan shows who sat where",
            )
        )
    return found


def check_room_layout(workstations: Sequence[WorkstationFact], min_distance: float = MIN_DISTANCE_M) -> list[Violation]:
    """ROOM-1: workstations at least ``min_distance`` m apart unless screened or filtered.

    One block per pair that is too close with neither a screen nor a privacy filter,
    plus a block for missing or duplicate labels.
    """
    found = check_labels(workstations)
    for label_a, label_b, distance in too_close_pairs(workstations, min_distance):
        found.append(
            violation(
                "ROOM-1",
                f"{label_a} and {label_b} are {_fmt_metres(distance, min_distance)} m apart "
                f"(ROOM-1 needs {min_distance:g} m, a screen or a privacy filter)",
            )
        )
    return found
