"""The register of attempts for an inspection pack: one CSV row per allocation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields


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


REGISTER_COLUMNS = [f.name for f in fields(RegisterRow)]


def _safe(value: object) -> str:
    text = str(value)
    # A cell starting with =, +, - or @ would be run as a formula by a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def register_csv(rows: Iterable[RegisterRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REGISTER_COLUMNS)
    for row in rows:
        writer.writerow([_safe(v) for v in astuple(row)])
    return out.getvalue()
