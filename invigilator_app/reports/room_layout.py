"""A room's layout on one A4 landscape page: the plan to scale (the record's drawing),
the workstation list and the ROOM-1 spacing result."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from invigilator_app.domain.record import RecordWorkstation
from invigilator_app.reports._fonts import REGULAR, register_fonts
from invigilator_app.reports._style import (
    ALERT,
    BODY,
    H2,
    SUBTITLE,
    TITLE,
    esc,
    grid_table,
    yes_no,
)
from invigilator_app.reports.pdfa import to_pdfa
from invigilator_app.reports.seating import seating_drawing

CREATOR = "Invigilation station (invigilator-app)"
PAGE = landscape(A4)
MARGIN = 14 * mm


def render_room_layout(
    room: str,
    site: str,
    centre: str,
    workstations: Sequence[RecordWorkstation],
    desk: tuple[float, float] | None,
    door: tuple[float, float] | None,
    too_close: Sequence[tuple[str, str, float]],
    printed: str,
    facing: str = "",
) -> bytes:
    """The layout PDF. ``too_close`` are the ROOM-1 pairs (label, label, metres)."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Room layout \u2014 {room}",
        author=centre,
        subject=f"{room} {site}".strip(),
        creator=CREATOR,
    )
    width = PAGE[0] - 2 * MARGIN
    story: list[Flowable] = [
        Paragraph(esc(f"Room layout: {room}"), TITLE),
        Paragraph(esc(" \u00b7 ".join(p for p in (centre, site, f"printed {printed}") if p)), SUBTITLE),
        Spacer(1, 4 * mm),
        seating_drawing(workstations, [], desk, door, width=width, max_height=PAGE[1] * 0.55, facing=facing),
        Paragraph("ROOM-1 spacing", H2),
    ]
    if too_close:
        for a, b, metres in too_close:
            story.append(
                Paragraph(
                    esc(
                        f"{a} and {b} are {metres:.2f} m apart with neither a screen nor a privacy filter "
                        "(ROOM-1 needs 1.5 m, a screen or a filter)."
                    ),
                    BODY.clone("alert", textColor=ALERT),
                )
            )
    else:
        story.append(
            Paragraph("Every pair of workstations is at least 1.5 m apart or has a screen or privacy filter.", BODY)
        )
    story.append(Paragraph("Workstations", H2))
    rows: list[list[object]] = [["Label", "x (m)", "y (m)", "Screen", "Privacy filter"]]
    rows += [[w.label, f"{w.x:.2f}", f"{w.y:.2f}", yes_no(w.screen), yes_no(w.privacy_filter)] for w in workstations]
    story.append(grid_table(rows, [40 * mm, 25 * mm, 25 * mm, 25 * mm, 30 * mm]))
    doc.build(story, canvasmaker=_Canvas)
    return to_pdfa(
        buffer.getvalue(),
        part=2,
        title=f"Room layout \u2014 {room}",
        author=centre,
        subject=f"{room} {site}".strip(),
        creator=CREATOR,
    )


class _Canvas(Canvas):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR  # never a base-14 font (PDF/A)
        super().__init__(*args, **kwargs)
