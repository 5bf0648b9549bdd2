"""The register of attempts for an inspection pack: one CSV row per allocation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields

from invigilator_app.reports.spreadsheet import csv_text


@dataclass(frozen=True)
class RegisterRow:
    date: str
    start: str
    finish: str
    candidate_name: str
    registration_number: str
    assessment_id: str
    qualification: str
    workstation: str
    room: str
    invigilator: str
    outcome: str
    result: str
    register: str = ""
    """present, late (arrived HH:MM), absent, withdrawn, transferred to session N: why."""


REGISTER_COLUMNS = [f.name for f in fields(RegisterRow)]


def register_csv(rows: Iterable[RegisterRow]) -> str:
    return csv_text(REGISTER_COLUMNS, [astuple(row) for row in rows])
