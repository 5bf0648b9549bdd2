"""Automatic seating: candidates on the same assessment kept apart where the room allows.

A pure function with a stable, explainable order:

1. Candidates already seated keep their workstation.
2. The others are seated one at a time, largest assessment group first (ties: assessment
   id, then the order given), so the groups that are hardest to spread choose first.
3. Each takes the first free workstation in natural label order (PC-2 before PC-10) that
   is not beside a candidate on the same assessment: at least twice the room's spacing
   (its two closest workstations) away, so a diagonal neighbour counts as beside. Where
   no such workstation is left, the one farthest from them is taken.

Every choice carries a reason in words, shown to the coordinator.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.rules.room import natural_key


@dataclass(frozen=True)
class SeatRequest:
    key: str
    """Who is being seated (the registration number, in the planner)."""
    assessment_id: str
    workstation: str = ""
    """The workstation already chosen by hand, kept as it is; empty to be assigned."""


@dataclass(frozen=True)
class SeatChoice:
    key: str
    workstation: str
    """Empty when no workstation was left."""
    reason: str


def _distance(a: WorkstationFact, b: WorkstationFact) -> float:
    return math.hypot(a.x - b.x, a.y - b.y)


def _metres(value: float) -> str:
    return f"{value:.1f} m"


def room_pitch(workstations: Sequence[WorkstationFact]) -> float:
    """The distance between the two closest workstations (the room's spacing)."""
    return min(
        (d for i, a in enumerate(workstations) for b in workstations[i + 1 :] if (d := _distance(a, b)) > 0),
        default=math.inf,
    )


def assign_seats(workstations: Sequence[WorkstationFact], requests: Sequence[SeatRequest]) -> list[SeatChoice]:
    """One choice per request, in the order of ``requests`` (see the module docstring)."""
    by_label = {w.label: w for w in workstations}
    ordered_ws = sorted(workstations, key=lambda w: (natural_key(w.label), w.label))
    apart = 2 * room_pitch(workstations)
    taken: dict[str, SeatRequest] = {}
    choices: dict[int, SeatChoice] = {}
    for i, r in enumerate(requests):
        if r.workstation and r.workstation in by_label and r.workstation not in taken:
            taken[r.workstation] = r
            choices[i] = SeatChoice(r.key, r.workstation, "kept: chosen by hand")
    sizes = Counter(r.assessment_id for r in requests)
    waiting = sorted(
        (i for i in range(len(requests)) if i not in choices),
        key=lambda i: (-sizes[requests[i].assessment_id], requests[i].assessment_id, i),
    )
    for i in waiting:
        r = requests[i]
        free = [w for w in ordered_ws if w.label not in taken]
        if not free:
            choices[i] = SeatChoice(r.key, "", "no free workstation left in the room")
            continue
        same = [by_label[label] for label, other in taken.items() if other.assessment_id == r.assessment_id]

        def nearest(w: WorkstationFact, same: list[WorkstationFact] = same) -> float:
            return min((_distance(w, o) for o in same), default=math.inf)

        # max() keeps the first of equals, so ties go to natural label order.
        best = max(free, key=lambda w: min(nearest(w), apart))
        gap = nearest(best)
        if not same:
            reason = f"first on {r.assessment_id}: first free workstation in label order"
        elif gap >= apart:
            reason = (
                f"first free workstation in label order not beside another candidate on "
                f"{r.assessment_id} (nearest {_metres(gap)})"
            )
        else:
            reason = (
                f"farthest free workstation from others on {r.assessment_id} "
                f"(nearest {_metres(gap)}: the room allows no more)"
            )
        taken[best.label] = r
        choices[i] = SeatChoice(r.key, best.label, reason)
    return [choices[i] for i in range(len(requests))]
