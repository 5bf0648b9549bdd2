"""The invigilation record as a PDF (one session, or all of a day's sessions) and as CSV."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab import rl_config
from reportlab.platypus import Flowable, PageBreak

from invigilator_app.domain.record import InvigilationRecord
from invigilator_app.reports import _log, _remote, _sections, spreadsheet
from invigilator_app.reports._fonts import register_fonts
from invigilator_app.reports._page import NumberedCanvas, RecordDocTemplate, RecordStart
from invigilator_app.reports.pdfa import to_pdfa

CREATOR = "Invigilation station (invigilator-app)"


def _story(record: InvigilationRecord) -> list[Flowable]:
    story: list[Flowable] = [RecordStart(record)]
    story += _sections.summary(record)
    if record.remote:
        story += _remote.statement(record)
    story += _sections.invigilator(record)
    story += _sections.checklist(record)
    story += _sections.candidates(record)
    story += _remote.locations(record) if record.remote else _log.seating(record)
    story += _log.log(record)
    story += _log.warnings(record)
    story += _log.sign_off(record)
    return story


def _build(records: Sequence[InvigilationRecord], title: str, author: str, subject: str, part: int) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = RecordDocTemplate(buffer, title=title, author=author, subject=subject, creator=CREATOR)
    story: list[Flowable] = []
    for i, record in enumerate(records):
        if i:
            story.append(PageBreak())
        story += _story(record)
    previous = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85 text
    try:
        doc.build(story, canvasmaker=NumberedCanvas)
    finally:
        rl_config.useA85 = previous
    return to_pdfa(buffer.getvalue(), part=part, title=title, author=author, subject=subject, creator=CREATOR)


def render_record(record: InvigilationRecord) -> bytes:
    """The record of one session as an A4 PDF (fonts embedded), not yet signed."""
    return _build(
        [record],
        title=f"Invigilation record \u2014 session {record.session_id}, {record.date}",
        author=f"{record.centre_name} ({record.centre_number})",
        subject=f"{record.room}, {record.date}",
        part=3,  # the signed record carries its data as an associated file: PDF/A-3b
    )


def render_day(records: Sequence[InvigilationRecord]) -> bytes:
    """All of a day's records in one PDF, each starting on a new page."""
    if not records:
        raise ValueError("no records to render")
    first = records[0]
    dates = sorted({r.date for r in records})
    return _build(
        records,
        title=f"Invigilation records \u2014 {', '.join(dates)}",
        author=f"{first.centre_name} ({first.centre_number})",
        subject=f"{len(records)} session(s)",
        part=2,
    )


CSV_COLUMNS = [
    "centre_number",
    "centre_name",
    "site",
    "room",
    "session_id",
    "date",
    "invigilator_name",
    "invigilator_pin",
    "candidate_name",
    "registration_number",
    "assessment_id",
    "assessment_title",
    "qualification",
    "qualification_title",
    "workstation",
    "identity_check",
    "logged_on_confirmed",
    "start",
    "planned_finish",
    "finish",
    "outcome",
    "result",
    "paper_issued",
    "paper_collected",
    "attempt_number",
    "resit",
    "chargeable",
    "access_arrangements",
    "register",
]


def _csv_value(value: object) -> str:
    return spreadsheet.cell(value)


def record_csv(record: InvigilationRecord) -> str:
    """One row per candidate with a header row, for a spreadsheet."""
    rows = []
    session = {
        "centre_number": record.centre_number,
        "centre_name": record.centre_name,
        "site": record.site,
        "room": record.room,
        "session_id": record.session_id,
        "date": record.date,
        "invigilator_name": record.invigilator_name,
        "invigilator_pin": record.invigilator_pin,
    }
    for c in record.candidates:
        row = dict(session)
        row.update(
            {
                "candidate_name": c.name,
                "registration_number": c.registration_number,
                "assessment_id": c.assessment_id,
                "assessment_title": c.assessment_title,
                "qualification": c.qualification,
                "qualification_title": c.qualification_title,
                "workstation": c.workstation,
                "identity_check": c.identity_check,
                "logged_on_confirmed": c.logged_on_confirmed,
                "start": c.start,
                "planned_finish": c.planned_finish,
                "finish": c.finish,
                "outcome": c.outcome,
                "result": c.result,
                "paper_issued": c.paper_issued,
                "paper_collected": c.paper_collected,
                "attempt_number": c.attempt_number,
                "resit": c.resit,
                "chargeable": c.chargeable,
                "access_arrangements": c.access_arrangements,
                "register": c.register,
            }
        )
        rows.append([row[k] for k in CSV_COLUMNS])
    return spreadsheet.csv_text(CSV_COLUMNS, rows)
