"""The visit report's data: plain values, rendered by ``reports.visit_pdf`` and attached to
the signed PDF as JSON (as the invigilation record is)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class VisitReportAction:
    id: int
    text: str
    due_on: str
    state: str
    when: str
    evidence: str
    signed_off: str


@dataclass(frozen=True)
class VisitReportSample:
    label: str
    looked_at: str
    looked_by: str


@dataclass(frozen=True)
class VisitReportSession:
    id: int
    day: str
    room: str
    state: str
    remote: bool


@dataclass(frozen=True)
class VisitReport:
    centre_name: str
    centre_number: str
    site_type: str
    visit_id: int
    eqa_name: str
    kind: str
    planned_on: str
    period: str
    schedule_received_on: str
    sampling_plan_received_on: str
    inspector: str
    notes: str
    generated_at: str
    generated_by: str
    samples: list[VisitReportSample] = field(default_factory=list)
    actions: list[VisitReportAction] = field(default_factory=list)
    sessions: list[VisitReportSession] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
