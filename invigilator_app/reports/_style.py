"""Styles, colours, table helpers and time formatting shared by the record sections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from invigilator_app.domain.timefmt import long_day_text, time_text, when_text
from invigilator_app.reports._fonts import BOLD, ITALIC, REGULAR

INK = colors.HexColor("#1A1A1A")
NAVY = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#5A6570")
GRID = colors.HexColor("#B4BEC8")
HEAD_FILL = colors.HexColor("#DCE4EC")
ZEBRA = colors.HexColor("#F3F5F8")
LABEL_FILL = colors.HexColor("#EEF2F6")
WARN = colors.HexColor("#8A4B00")
ALERT = colors.HexColor("#A0202A")

BODY_SIZE = 8.5
TABLE_SIZE = 7.6

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=BODY_SIZE, leading=11, textColor=INK)
SMALL = ParagraphStyle(
    "small",
    parent=BODY,
    fontSize=TABLE_SIZE,
    leading=9.4,
    alignment=TA_LEFT,
    embeddedHyphenation=1,
)
SMALL_BOLD = ParagraphStyle("small-bold", parent=SMALL, fontName=BOLD)
SMALL_MUTED = ParagraphStyle("small-muted", parent=SMALL, textColor=MUTED, fontName=ITALIC)
CELL_HEAD = ParagraphStyle("cell-head", parent=SMALL, fontName=BOLD, textColor=NAVY)
LABEL = ParagraphStyle("label", parent=BODY, fontName=BOLD, textColor=NAVY, fontSize=8, leading=10.5)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=18, leading=22, textColor=NAVY)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, textColor=MUTED, fontSize=9, leading=12)
H2 = ParagraphStyle(
    "h2",
    parent=BODY,
    fontName=BOLD,
    fontSize=11,
    leading=14,
    textColor=NAVY,
    spaceBefore=10,
    spaceAfter=4,
)


class CachedParagraph(Paragraph):
    """A paragraph that remembers its line breaks for a given width.

    Tables re-wrap every cell each time they are measured, split across pages and drawn;
    a paragraph's layout depends only on the available width, so it is worked out once.
    """

    _wrapped_for: float | None = None
    _wrapped: tuple[float, float] = (0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._wrapped_for != availWidth:
            self._wrapped = super().wrap(availWidth, availHeight)
            self._wrapped_for = availWidth
        return self._wrapped


def esc(text: object) -> str:
    """Text from the record, safe for reportlab's paragraph mark-up."""
    return escape(str(text)).replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle = SMALL) -> Paragraph:
    return CachedParagraph(esc(text), style)


def markup(text: str, style: ParagraphStyle = SMALL) -> Paragraph:
    """A paragraph from mark-up the caller has already escaped."""
    return CachedParagraph(text, style)


def blank(text: str = "\u2014") -> str:
    """An empty cell (a plain string: far cheaper to lay out than a paragraph)."""
    return text


PADDING = 3.0


def cell(text: object, width: float, bold: bool = False) -> str | Paragraph:
    """Plain text when every line fits the column (fast), a wrapping paragraph otherwise.

    Plain cells take the table's font; give bold columns a FONTNAME command.
    """
    text = str(text)
    font = BOLD if bold else REGULAR
    room = width - 2 * PADDING - 0.5
    if all(stringWidth(line, font, TABLE_SIZE) <= room for line in text.split("\n")):
        return text
    return CachedParagraph(esc(text), SMALL_BOLD if bold else SMALL)


# One reportlab table-style command: ("NAME", (col, row), (col, row), *values).
TableCommand = tuple[object, ...]


MAX_CELL_HEIGHT = 150.0
"""Points: a cell never grows taller than this (a row cannot split across pages, so one
hostile 2,000-character note or name could otherwise make the record impossible to lay out)."""
CUT_NOTE = " \u2026 [cut here: the full text is in the record's attached data]"


NAME_MAX = 80
"""Characters of a person's name shown in a table (the attached data keep it whole)."""


def shorten(text: str, limit: int = NAME_MAX) -> str:
    """The text, cut with an ellipsis after ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def shorten_person(text: str) -> str:
    """ "Name (registration number)" with the name shortened and the number kept whole."""
    name, sep, rest = text.rpartition(" (")
    return f"{shorten(name)}{sep}{rest}" if sep and rest.endswith(")") else shorten(text)


def _plain(flowable: Paragraph) -> str:
    return flowable.getPlainText() if hasattr(flowable, "getPlainText") else str(flowable)


def capped(value: object, width: float, max_height: float = MAX_CELL_HEIGHT) -> object:
    """A table cell no taller than ``max_height`` once wrapped in ``width``: long text is cut
    with an ellipsis and a note (the signed record attaches every field in full)."""
    if not isinstance(value, Paragraph):
        if not isinstance(value, str) or len(value) < 200:
            return value
        value = CachedParagraph(esc(value), SMALL)
    inner = max(width - 2 * PADDING, 10.0)
    if value.wrap(inner, 1e6)[1] <= max_height:
        return value
    text, style = _plain(value), value.style
    low, high = 0, len(text)
    while low < high:  # the longest start of the text that fits with the note
        mid = (low + high + 1) // 2
        if CachedParagraph(esc(text[:mid].rstrip() + CUT_NOTE), style).wrap(inner, 1e6)[1] <= max_height:
            low = mid
        else:
            high = mid - 1
    return CachedParagraph(esc(text[:low].rstrip() + CUT_NOTE), style)


def grid_table(
    rows: list[list[object]],
    widths: list[float],
    *,
    header_rows: int = 1,
    zebra: bool = True,
    extra: Sequence[TableCommand] = (),
    zebra_start: int = 0,
) -> Table:
    """A bordered table with a shaded, repeating header row and alternating shading; no
    cell taller than ``MAX_CELL_HEIGHT``."""
    return _grid([_capped_row(row, widths) for row in rows], widths, header_rows, zebra, extra, zebra_start)


def _capped_row(row: list[object], widths: list[float]) -> list[object]:
    return [capped(v, widths[i]) if i < len(widths) else v for i, v in enumerate(row)]


def _grid(
    rows: list[list[object]],
    widths: list[float],
    header_rows: int,
    zebra: bool,
    extra: Sequence[TableCommand],
    zebra_start: int,
) -> Table:
    """``grid_table`` of rows already capped."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    commands: list[TableCommand] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.7, MUTED),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), REGULAR, TABLE_SIZE, SMALL.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, MUTED),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ]
    if zebra:
        shades = [colors.white, ZEBRA] if zebra_start % 2 == 0 else [ZEBRA, colors.white]
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), shades))
    table.setStyle(TableStyle([*commands, *extra]))
    return table


ROW_WINDOW = 64
"""Rows of a long table laid out at a time: more than an A4 page holds (52 of the smallest
rows), so each page is cut from one window; a window that fits a page is doubled."""


def long_grid_table(
    rows: list[list[object]],
    widths: list[float],
    *,
    header_rows: int = 1,
    extra: Sequence[TableCommand] = (),
    window: int = ROW_WINDOW,
) -> Flowable:
    """``grid_table`` for a table of any length (a pattern report over years has tens of
    thousands of rows). A reportlab table split at a page end is made again from every row
    after the cut, so laying out N rows costs N² / rows-per-page; here each page is cut
    from a window of the next ``window`` rows, so the cost is linear. The pages look the
    same: the header repeats on each, the shading alternates across page ends. ``extra``
    commands must address whole columns (rows 0, ``header_rows`` and -1 only)."""
    rows = [_capped_row(row, widths) for row in rows]
    if len(rows) - header_rows <= window:
        return _grid(rows, widths, header_rows, True, extra, 0)
    return _RowWindows(rows[:header_rows], rows[header_rows:], widths, extra, window, 0)


class _RowWindows(Flowable):
    """The rows still to be laid out; split at each page end into the page's table and the
    rows after it. Never drawn itself: it always claims more height than is left, so the
    frame splits it, and its last window is a plain table."""

    def __init__(
        self,
        header: list[list[object]],
        body: list[list[object]],
        widths: list[float],
        extra: Sequence[TableCommand],
        window: int,
        zebra_start: int,
    ) -> None:
        super().__init__()
        self.header, self.body, self.widths, self.extra = header, body, widths, extra
        self.window, self.zebra_start = window, zebra_start
        self.hAlign = "LEFT"

    def _table(self, body: list[list[object]], zebra_start: int) -> Table:
        return _grid([*self.header, *body], self.widths, len(self.header), True, self.extra, zebra_start)

    def _rest(self, used: int) -> Flowable:
        body, start = self.body[used:], (self.zebra_start + used) % 2
        if len(body) <= self.window:
            return self._table(body, start)
        return _RowWindows(self.header, body, self.widths, self.extra, self.window, start)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return sum(self.widths), available_height + 1

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        while True:
            table = self._table(self.body[: self.window], self.zebra_start)
            parts = table.split(available_width, available_height)
            if not parts:
                return []  # not even one row fits here: the frame moves on to the next page
            if parts[0] is not table:
                break
            if self.window >= len(self.body):
                return [table]  # every row left fits here
            self.window *= 2  # the whole window fits: the page is cut from a bigger one
        used = parts[0]._nrows - len(self.header)
        return [parts[0], self._rest(used)]


def parse_time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def fmt_time(value: str, on_day: str = "") -> str:
    """ "09:32" on the session day, "Thu 13 Mar 2025 16:40" on another day, the raw text if unparsable."""
    moment = parse_time(value)
    if moment is None:
        return value
    if on_day and moment.date().isoformat() == on_day:
        return time_text(moment)
    return when_text(moment)


def fmt_long_date(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{long_day_text(day)} ({value})"


def fmt_offset(value: str) -> str:
    moment = parse_time(value)
    if moment is None or moment.utcoffset() is None:
        return ""
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis where it would be wider than ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text + "\u2026"
