"""The parts of a remotely invigilated session's record: the statement at the top, and
the table of candidates' locations in place of the seating plan."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from invigilator_app.domain.record import InvigilationRecord
from invigilator_app.reports._page import FRAME_W
from invigilator_app.reports._sections import DASH, section
from invigilator_app.reports._style import BODY, CELL_HEAD, NAVY, cell, esc, grid_table

REMOTE_TEXT = "Remotely invigilated"


def statement(record: InvigilationRecord) -> list[Flowable]:
    style = BODY.clone("remote", textColor=NAVY, fontSize=10, leading=13)
    return [
        Spacer(1, 6),
        Paragraph(
            f"<b>{REMOTE_TEXT}</b>: each candidate sat the assessment at their own location, watched on "
            f"camera by the invigilator from {esc(record.room)}. The remote checklist (REMOTE-1 \u2026) "
            "replaces the room checklist; identity was checked to camera.",
            style,
        ),
        Spacer(1, 4),
    ]


def locations(record: InvigilationRecord) -> list[Flowable]:
    widths = [24.0, FRAME_W * 0.3, FRAME_W * 0.16, 0.0, FRAME_W * 0.24]
    widths[3] = FRAME_W - sum(widths)
    rows: list[list[object]] = [
        [Paragraph(h, CELL_HEAD) for h in ("No.", "Candidate", "Reg. no.", "Location", "Identity check (to camera)")]
    ]
    for i, c in enumerate(record.candidates, start=1):
        rows.append(
            [
                str(i),
                cell(c.name, widths[1]),
                c.registration_number,
                cell(c.workstation or DASH, widths[3]),
                cell(c.identity_check or "not checked", widths[4]),
            ]
        )
    return [*section(f"Candidates' locations ({REMOTE_TEXT.lower()})"), grid_table(rows, widths)]
