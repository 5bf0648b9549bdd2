"""Benchmark: a 40-candidate, 60-entry invigilation record rendered and signed, against a
bare reportlab document with the same two tables (no header, seating plan or signature)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.platypus import SimpleDocTemplate, Table  # noqa: E402

from invigilator_app.reports.record_pdf import render_record  # noqa: E402
from invigilator_app.reports.signing import sign_record_pdf  # noqa: E402
from invigilator_app.security.station import new_station_identity  # noqa: E402
from tests.reports_helpers import sample_record  # noqa: E402


def bare_document(record: Any) -> bytes:
    out = io.BytesIO()
    candidates = [["Name", "Reg", "Assessment", "Workstation", "Start", "Finish", "Outcome"]] + [
        [c.name, c.registration_number, c.assessment_id, c.workstation, c.start, c.finish, c.outcome]
        for c in record.candidates
    ]
    entries = [["Time", "Type", "Note"]] + [[e.at, e.type_label, e.note[:80]] for e in record.entries]
    SimpleDocTemplate(out, pagesize=landscape(A4)).build(
        [Table(candidates, repeatRows=1), Table(entries, repeatRows=1)]
    )
    return out.getvalue()


def prepare() -> tuple[Any, Any]:
    record = sample_record(40, 60)
    identity = new_station_identity("Bench Centre", "IMI 00000")
    return record, identity


def signed_record(record: Any, identity: Any) -> bytes:
    return sign_record_pdf(render_record(record), record, identity.key_pem, identity.cert_pem, "Bench")
