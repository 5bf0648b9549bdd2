"""A plain A4 document for the station's own reports (patterns, malpractice): a running
header, "Page N of M" and the generation time in the footer."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from invigilator_app.reports._fonts import BOLD, REGULAR, register_fonts
from invigilator_app.reports._style import GRID, MUTED, NAVY, fit_text
from invigilator_app.reports.pdfa import to_pdfa

CREATOR = "Invigilation station (invigilator-app)"
MARGIN_X = 16 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 16 * mm
FRAME_W = A4[0] - 2 * MARGIN_X


PageDone = Callable[[int], None]
"""Called with each page's number as it is laid out; it may raise (``Cancelled``) to stop."""


def _canvas_class(header_left: str, header_right: str, footer: str, on_page: PageDone | None) -> type[Canvas]:
    class _Canvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR  # never a base-14 font (PDF/A)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()
            if on_page is not None:
                on_page(len(self._pages))

        def save(self) -> None:
            total = len(self._pages)
            width, height = A4
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                top = height - 11 * mm
                self.setFont(BOLD, 8.5)
                self.setFillColor(NAVY)
                self.drawRightString(width - MARGIN_X, top, header_right)
                self.drawString(MARGIN_X, top, fit_text(header_left, BOLD, 8.5, FRAME_W * 0.62))
                self.setStrokeColor(GRID)
                self.setLineWidth(0.7)
                self.line(MARGIN_X, top - 5, width - MARGIN_X, top - 5)
                bottom = MARGIN_BOTTOM - 9 * mm
                self.line(MARGIN_X, bottom + 10, width - MARGIN_X, bottom + 10)
                self.setFont(REGULAR, 7)
                self.setFillColor(MUTED)
                self.drawString(MARGIN_X, bottom, fit_text(footer, REGULAR, 7, FRAME_W * 0.75))
                self.setFont(BOLD, 8)
                self.setFillColor(NAVY)
                self.drawRightString(width - MARGIN_X, bottom, f"Page {self._pageNumber} of {total}")
                self.restoreState()
                super().showPage()
            super().save()

    return _Canvas


def build_pdf(
    story: Sequence[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    header_left: str,
    header_right: str,
    footer: str,
    part: int = 2,
    on_page: PageDone | None = None,
) -> bytes:
    """The story laid out on A4 portrait pages, fonts embedded; PDF/A-``part`` (3 when the
    caller then attaches the report's data, as the signed visit report does). ``on_page``
    hears of each page laid out (a report of thousands of pages takes a while)."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator=CREATOR,
    )
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.build(list(story), canvasmaker=_canvas_class(header_left, header_right, footer, on_page))
    finally:
        rl_config.useA85 = previous
    return to_pdfa(buffer.getvalue(), part=part, title=title, author=author, subject=subject, creator=CREATOR)
