"""Page furniture: A4 landscape frame, running header per record, "Page N of M" footer."""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from invigilator_app.domain.record import InvigilationRecord
from invigilator_app.reports._fonts import BOLD, REGULAR
from invigilator_app.reports._style import GRID, MUTED, NAVY, fit_text, fmt_offset, fmt_time

PAGE = landscape(A4)
MARGIN_X = 14 * mm
MARGIN_TOP = 19 * mm
MARGIN_BOTTOM = 15 * mm
FRAME_W = PAGE[0] - 2 * MARGIN_X
FRAME_H = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM


class RecordStart(Flowable):
    """Invisible marker: the pages from here on belong to this record (for the header)."""

    def __init__(self, record: InvigilationRecord) -> None:
        super().__init__()
        self.record = record

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        pass


class NumberedCanvas(Canvas):
    """Keeps every page until save() so the footer can say "Page N of M"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR  # never a base-14 font (PDF/A)
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            text = f"Page {self._pageNumber} of {total}"
            self.setFont(BOLD, 8)
            self.setFillColor(NAVY)
            self.drawRightString(PAGE[0] - MARGIN_X, MARGIN_BOTTOM - 9 * mm, text)
            super().showPage()
        super().save()


def _decorate(canvas: Canvas, doc: RecordDocTemplate) -> None:
    record = doc.current
    if record is None:
        return
    canvas.saveState()
    top = PAGE[1] - 10 * mm
    right = PAGE[0] - MARGIN_X
    right_text = f"{record.date}  \u00b7  Session {record.session_id}"
    canvas.setFont(BOLD, 8.5)
    canvas.setFillColor(NAVY)
    canvas.drawRightString(right, top, right_text)
    room = FRAME_W - stringWidth(right_text, BOLD, 8.5) - 20
    if record.draft:  # the stamp is centred on this line: the left text ends before it
        room = min(room, (PAGE[0] - stringWidth(record.draft, BOLD, STAMP_SIZE)) / 2 - 14 - MARGIN_X)
    left_text = fit_text(
        f"{record.centre_name} ({record.centre_number})  \u00b7  {record.room}",
        BOLD,
        8.5,
        room,
    )
    canvas.drawString(MARGIN_X, top, left_text)
    canvas.setFont(REGULAR, 7)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, top - 9.5, "Invigilation record \u2014 invigilated online assessments (IMI)")
    if record.site:
        canvas.drawRightString(right, top - 9.5, f"Site: {fit_text(record.site, REGULAR, 7, FRAME_W / 2)}")
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.7)
    canvas.line(MARGIN_X, top - 13.5, right, top - 13.5)
    bottom = MARGIN_BOTTOM - 9 * mm
    canvas.line(MARGIN_X, bottom + 10, right, bottom + 10)
    generated = fmt_time(record.generated_at) if record.generated_at else "not recorded"
    offset = fmt_offset(record.generated_at)
    canvas.drawString(
        MARGIN_X,
        bottom,
        f"Generated {generated}{f' ({offset})' if offset else ''} by the invigilation station"
        f"  \u00b7  Session {record.session_id}",
    )
    if record.centre_fingerprint:
        canvas.setFont(REGULAR, 6.5)
        canvas.drawString(MARGIN_X, bottom + 13, fit_text(origin_line(record), REGULAR, 6.5, FRAME_W))
    canvas.restoreState()
    if record.draft:
        _stamp(canvas, record.draft)


DRAFT_RED = "#b3261e"
STAMP_SIZE = 9


def _stamp(canvas: Canvas, text: str) -> None:
    """A record exported before sign-off says so on every page: across the page, and in the
    header above the running title."""
    canvas.saveState()
    canvas.setFillColor(DRAFT_RED)
    canvas.setFont(BOLD, STAMP_SIZE)
    canvas.drawCentredString(PAGE[0] / 2, PAGE[1] - 10 * mm, text)
    canvas.setFillAlpha(0.13)
    canvas.translate(PAGE[0] / 2, PAGE[1] / 2)
    canvas.rotate(24)
    word = text.split(":")[0]
    size = 64.0
    while stringWidth(word, BOLD, size) > PAGE[0] * 0.85 and size > 20:
        size -= 2
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(0, -size / 3, word)
    canvas.restoreState()


def origin_line(record: InvigilationRecord) -> str:
    """Who signed, and the centre's fingerprint grouped for reading aloud (on every page)."""
    fp = "".join(ch for ch in record.centre_fingerprint.upper() if ch in "0123456789ABCDEF")
    grouped = " ".join(fp[i : i + 4] for i in range(0, len(fp), 4))
    signer = f"Signed by {record.exported_by}" if record.exported_by else "Signed"
    return f"{signer}  \u00b7  Centre certificate SHA-256: {grouped}"


class RecordDocTemplate(BaseDocTemplate):
    """One or more records; each RecordStart marker switches the running header."""

    def __init__(self, filename: Any, **kwargs: Any) -> None:
        super().__init__(
            filename,
            pagesize=PAGE,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            **kwargs,
        )
        self.current: InvigilationRecord | None = None
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_W,
            FRAME_H,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="record", frames=[frame], onPageEnd=_decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, RecordStart):
            self.current = flowable.record
