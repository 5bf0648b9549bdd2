"""A coordinator's station on a seeded temporary store, for the planning and admin tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest

from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services.access import open_station
from invigilator_app.services.planning.plans import (
    PlannedCandidate,
    PlannedInvigilator,
    PlanRequest,
)
from invigilator_app.services.station import Station
from tests.helpers import PASSWORD, seeded

DAY = date(2026, 12, 1)
LAYOUT = tuple(WorkstationFact(f"PC-{i + 1:02d}", (i % 3) * 2.0, (i // 3) * 2.0) for i in range(6))
INVIGILATOR = PlannedInvigilator("Alex Patel", "IMI-PIN-7731", assessor=False, impartial=True)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    opened = open_station(seeded(tmp_path), PASSWORD)
    yield opened
    opened.close()


def seat(
    reg: str, workstation: str, assessment: str = "MOT-4-A", qualification: str = "601/8928/9", **extra: object
) -> PlannedCandidate:
    values: dict[str, object] = {"notice_date": date(2026, 11, 20), "readiness_confirmed": True}
    values.update(extra)
    return PlannedCandidate(reg, assessment, qualification, workstation, path=reg, **values)  # type: ignore[arg-type]


def request(
    *candidates: PlannedCandidate,
    day: date = DAY,
    start: time = time(9, 30),
    room: str = "IT Suite",
    layout: tuple[WorkstationFact, ...] | None = LAYOUT,
    invigilator: PlannedInvigilator = INVIGILATOR,
) -> PlanRequest:
    return PlanRequest(day, start, room, invigilator, tuple(candidates), layout)
