"""A malpractice / maladministration report to the awarding body, with every field its
policy (003) asks for, and the list of what is still missing before it is sent."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

RETAIN_YEARS = 5
"""003: records of a case are kept for at least five years."""


@dataclass(frozen=True)
class Learner:
    name: str = ""
    date_of_birth: str = ""
    registration_number: str = ""


@dataclass(frozen=True)
class MalpracticeFields:
    nature: str = ""
    dates: str = ""
    product: str = ""
    centre_name: str = ""
    centre_address: str = ""
    centre_number: str = ""
    learners: tuple[Learner, ...] = ()
    centre_staff: str = ""
    awarding_body_staff: str = ""
    initial_investigation: str = ""
    outcome: str = ""
    mitigating_circumstances: str = ""
    reporter: str = ""
    conflict_of_interest: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["learners"] = [asdict(learner) for learner in self.learners]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MalpracticeFields:
        known = {f.name for f in fields(cls)}
        values = {k: str(v) for k, v in data.items() if k in known and k != "learners"}
        learners = tuple(
            Learner(**{k: str(v) for k, v in item.items() if k in {"name", "date_of_birth", "registration_number"}})
            for item in data.get("learners", [])
            if isinstance(item, dict)
        )
        return cls(**values, learners=learners)


FIELD_LABELS: dict[str, str] = {
    "nature": "Nature of the suspected or actual malpractice / maladministration",
    "dates": "Associated dates",
    "product": "IMI product affected",
    "centre_name": "Centre name",
    "centre_address": "Centre address",
    "centre_number": "Centre number",
    "learners": "Learner(s)",
    "centre_staff": "Centre personnel involved (name, job role)",
    "awarding_body_staff": "IMI personnel involved (name, job role)",
    "initial_investigation": "Initial investigation carried out",
    "outcome": "Outcome of the initial investigation",
    "mitigating_circumstances": "Mitigating circumstances",
    "reporter": "Reported by",
    "conflict_of_interest": "Reporter's declaration of personal or conflict of interest",
}


def missing_fields(values: MalpracticeFields) -> list[str]:
    """Labels of every required field still empty (write "None" where there is nothing)."""
    missing = []
    for f in fields(values):
        if f.name == "learners":
            continue
        if not str(getattr(values, f.name)).strip():
            missing.append(FIELD_LABELS[f.name])
    if not values.learners:
        missing.append("Learner: at least one learner")
    for i, learner in enumerate(values.learners, 1):
        who = learner.name or f"learner {i}"
        if not learner.name.strip():
            missing.append(f"Learner {i}: name")
        if not learner.date_of_birth.strip():
            missing.append(f"Learner {who}: date of birth")
        if not learner.registration_number.strip():
            missing.append(f"Learner {who}: IMI learner registration number")
    return missing


@dataclass(frozen=True)
class MalpracticeEntry:
    id: int
    session_id: int
    at: str
    type_label: str
    candidates: str
    note: str


@dataclass(frozen=True)
class MalpracticeReportView:
    id: int
    status: str
    """draft or exported."""
    created_at: str
    created_by: str
    under_investigation: bool
    retain_until: str
    fields: MalpracticeFields
    entries: list[MalpracticeEntry] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return missing_fields(self.fields)
