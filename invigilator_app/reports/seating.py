"""The seating plan drawn to scale: a metre grid, workstations, desk, door and a scale bar.

Room coordinates are metres with x to the right and y away from the top wall (as on the
station's screen), so y grows down the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from invigilator_app.domain.record import RecordCandidate, RecordWorkstation
from invigilator_app.reports._fonts import BOLD, REGULAR
from invigilator_app.reports._style import GRID, INK, MUTED, NAVY, fit_text

BOX_W = 0.9
BOX_H = 0.65
DESK_W = 1.4
DESK_H = 0.7
DOOR_W = 0.9
MAX_SCALE = 70.0
"""Points per metre at most, so a small room is not blown up to fill the page."""
MIN_SCALE = 30.0
"""Points per metre at least (if the page allows), so labels stay readable."""
AXIS = 18.0
LEGEND_H = 34.0

SCREEN = colors.HexColor("#3B3B3B")
FILTER = colors.HexColor("#2D6DB5")
DESK_FILL = colors.HexColor("#FFF4D6")
DOOR_FILL = colors.HexColor("#9C6B3C")
BOX_FILL = colors.HexColor("#F7F9FC")
AA_MARK = colors.HexColor("#C4620B")
GRID_LINE = colors.HexColor("#E2E7EC")


@dataclass(frozen=True)
class _Frame:
    x0: int
    y0: int
    x1: int
    y1: int
    scale: float
    left: float
    bottom: float

    def px(self, x: float) -> float:
        return self.left + (x - self.x0) * self.scale

    def py(self, y: float) -> float:
        return self.bottom + (self.y1 - y) * self.scale


def _box_factor(workstations: Sequence[RecordWorkstation]) -> float:
    """Shrink the boxes when workstations stand closer than a box width."""
    nearest = math.inf
    for i, a in enumerate(workstations):
        for b in workstations[i + 1 :]:
            nearest = min(nearest, max(abs(a.x - b.x) / (BOX_W + 0.1), abs(a.y - b.y) / (BOX_H + 0.1)))
    if nearest is math.inf or nearest >= 1:
        return 1.0
    return max(0.35, nearest)


def _frame(
    workstations: Sequence[RecordWorkstation],
    desk: tuple[float, float] | None,
    door: tuple[float, float] | None,
    width: float,
    max_height: float,
) -> _Frame:
    xs = [0.0]
    ys = [0.0]
    for w in workstations:
        xs += [w.x - BOX_W / 2, w.x + BOX_W / 2]
        ys += [w.y - BOX_H / 2, w.y + BOX_H / 2]
    for point, (hw, hh) in ((desk, (DESK_W / 2, DESK_H / 2)), (door, (DOOR_W / 2, 0.0))):
        if point is not None:
            xs += [point[0] - hw, point[0] + hw]
            ys += [point[1] - hh, point[1] + hh]
    x0, x1 = math.floor(min(xs) - 0.3), math.ceil(max(xs) + 0.3)
    y0, y1 = math.floor(min(ys) - 0.3), math.ceil(max(ys) + 0.3)
    if min(xs) >= 0:
        x0 = max(x0, 0)
    if min(ys) >= 0:
        y0 = max(y0, 0)
    scale = min((width - AXIS - 4) / (x1 - x0), (max_height - AXIS - LEGEND_H) / (y1 - y0), MAX_SCALE)
    left = AXIS + max(0.0, (width - AXIS - 4 - (x1 - x0) * scale) / 2)
    return _Frame(x0, y0, x1, y1, scale, left, LEGEND_H)


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    font: str = REGULAR,
    anchor: str = "middle",
    color: colors.Color = INK,
) -> String:
    return String(x, y, text, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor)


def _grid(f: _Frame) -> Group:
    g = Group()
    step = 1 if f.scale >= 22 else 2
    for x in range(f.x0, f.x1 + 1):
        g.add(Line(f.px(x), f.py(f.y0), f.px(x), f.py(f.y1), strokeColor=GRID_LINE, strokeWidth=0.5))
        if (x - f.x0) % step == 0:
            g.add(_text(f.px(x), f.py(f.y0) + 4, f"{x}", 6.5, color=MUTED))
    for y in range(f.y0, f.y1 + 1):
        g.add(Line(f.px(f.x0), f.py(y), f.px(f.x1), f.py(y), strokeColor=GRID_LINE, strokeWidth=0.5))
        if (y - f.y0) % step == 0:
            g.add(_text(f.px(f.x0) - 4, f.py(y) - 2.2, f"{y}", 6.5, anchor="end", color=MUTED))
    g.add(_text(f.px(f.x0) - 4, f.py(f.y0) + 4, "m", 6.5, anchor="end", color=MUTED))
    g.add(
        Rect(
            f.px(f.x0),
            f.py(f.y1),
            (f.x1 - f.x0) * f.scale,
            (f.y1 - f.y0) * f.scale,
            fillColor=None,
            strokeColor=GRID,
            strokeWidth=0.8,
        )
    )
    return g


def _workstation(f: _Frame, w: RecordWorkstation, initials: str, arrangements: bool, factor: float) -> Group:
    g = Group()
    bw, bh = BOX_W * factor * f.scale, BOX_H * factor * f.scale
    left, bottom = f.px(w.x) - bw / 2, f.py(w.y) - bh / 2
    g.add(Rect(left, bottom, bw, bh, fillColor=BOX_FILL, strokeColor=NAVY, strokeWidth=0.8))
    if w.privacy_filter:
        g.add(Rect(left + 1.2, bottom + bh - 3.4, bw - 2.4, 2.4, fillColor=FILTER, strokeColor=None))
    if w.screen:
        for edge in (left - 1.6, left + bw + 1.6):
            g.add(Line(edge, bottom - 2, edge, bottom + bh + 2, strokeColor=SCREEN, strokeWidth=2.2))
    size = max(5.0, min(8.0, bh * 0.3))
    g.add(
        _text(left + bw / 2, bottom + bh / 2 + 0.6, fit_text(w.label, BOLD, size, bw - 3), size, font=BOLD, color=NAVY)
    )
    label = (initials or "\u2013") + (" *" if arrangements else "")
    g.add(
        _text(
            left + bw / 2,
            bottom + bh / 2 - size - 0.4,
            fit_text(label, REGULAR, size, bw - 3),
            size,
            color=AA_MARK if arrangements else INK,
        )
    )
    return g


def _fixtures(f: _Frame, desk: tuple[float, float] | None, door: tuple[float, float] | None) -> Group:
    g = Group()
    if desk is not None:
        dw, dh = DESK_W * f.scale, DESK_H * f.scale
        left, bottom = f.px(desk[0]) - dw / 2, f.py(desk[1]) - dh / 2
        g.add(Rect(left, bottom, dw, dh, fillColor=DESK_FILL, strokeColor=INK, strokeWidth=0.8))
        size = max(5.0, min(7.5, dh * 0.28))
        g.add(_text(left + dw / 2, bottom + dh / 2 + 0.5, fit_text("Invigilator", BOLD, size, dw - 3), size, font=BOLD))
        g.add(_text(left + dw / 2, bottom + dh / 2 - size - 0.3, fit_text("desk", REGULAR, size, dw - 3), size))
    if door is not None:
        dw = DOOR_W * f.scale
        cx, cy = f.px(door[0]), f.py(door[1])
        g.add(Rect(cx - dw / 2, cy - 2.5, dw, 5, fillColor=DOOR_FILL, strokeColor=None))
        label_y = cy - 11 if door[1] <= (f.y0 + f.y1) / 2 else cy + 6
        g.add(_text(cx, label_y, "Door", 7, font=BOLD, color=DOOR_FILL))
    return g


FACING = ("north", "east", "south", "west")
"""The way candidates face: north is the top of the plan (y = 0 side), east its right."""
_FRONT = {
    "north": "\u25b2 Front: candidates face this way",
    "south": "Front: candidates face this way \u25bc",
    "east": "Front \u25b6",
    "west": "\u25c0 Front",
}


def _front(f: _Frame, facing: str) -> Group:
    g = Group()
    text = _FRONT.get(facing)
    if text is None:
        return g
    top, bottom = f.py(f.y0), f.py(f.y1)
    left, right = f.px(f.x0), f.px(f.x1)
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    if facing == "north":
        g.add(_text(middle_x, top - 9, text, 7, font=BOLD, color=NAVY))
    elif facing == "south":
        g.add(_text(middle_x, bottom + 3, text, 7, font=BOLD, color=NAVY))
    elif facing == "east":
        g.add(_text(right - 3, middle_y, text, 7, font=BOLD, color=NAVY, anchor="end"))
    else:
        g.add(_text(left + 3, middle_y, text, 7, font=BOLD, color=NAVY, anchor="start"))
    return g


def _scale_bar(f: _Frame, y: float) -> tuple[Group, float]:
    g = Group()
    metres = 1 if f.scale >= 50 else 2 if f.scale >= 20 else 5
    seg = f.scale * metres / 2
    x = 0.0
    for i in range(2):
        g.add(
            Rect(x + i * seg, y, seg, 3.5, fillColor=INK if i == 0 else colors.white, strokeColor=INK, strokeWidth=0.6)
        )
    for i, value in enumerate((0, metres / 2, metres)):
        text = f"{value:g}" + (" m" if i == 2 else "")
        g.add(_text(x + i * seg, y + 6, text, 6.5))
    ratio = 2834.6 / f.scale  # 1 m on paper is 2834.6 pt
    g.add(_text(x + 2 * seg + 14, y, f"1:{ratio:,.0f} at 100% on A4", 6.5, anchor="start", color=MUTED))
    return g, x + 2 * seg + 14 + stringWidth(f"1:{ratio:,.0f} at 100% on A4", REGULAR, 6.5) + 18


def _legend(start: float, y: float) -> tuple[Group, float]:
    g = Group()
    x = start
    items = [
        ("box", "Workstation: label, candidate initials"),
        ("screen", "Screen between candidates"),
        ("filter", "Privacy filter"),
        ("aa", "* access arrangements"),
    ]
    for kind, text in items:
        if kind == "box":
            g.add(Rect(x, y - 1, 14, 9, fillColor=BOX_FILL, strokeColor=NAVY, strokeWidth=0.8))
        elif kind == "screen":
            g.add(Rect(x + 3, y - 1, 8, 9, fillColor=BOX_FILL, strokeColor=NAVY, strokeWidth=0.6))
            for edge in (x + 1, x + 13):
                g.add(Line(edge, y - 2, edge, y + 9, strokeColor=SCREEN, strokeWidth=2.2))
        elif kind == "filter":
            g.add(Rect(x, y - 1, 14, 9, fillColor=BOX_FILL, strokeColor=NAVY, strokeWidth=0.8))
            g.add(Rect(x + 1.2, y + 4.8, 11.6, 2.4, fillColor=FILTER, strokeColor=None))
        if kind == "aa":
            g.add(_text(x, y + 1, text, 6.5, anchor="start", color=AA_MARK))
            x += stringWidth(text, REGULAR, 6.5) + 16
        else:
            g.add(_text(x + 18, y + 1, text, 6.5, anchor="start"))
            x += 18 + stringWidth(text, REGULAR, 6.5) + 16
    return g, x - 16


def seating_drawing(
    workstations: Sequence[RecordWorkstation],
    candidates: Sequence[RecordCandidate],
    desk: tuple[float, float] | None,
    door: tuple[float, float] | None,
    width: float,
    max_height: float,
    facing: str = "",
) -> Drawing:
    """The plan as a Drawing no wider than `width` and no taller than `max_height`, with
    the door and the front (the way candidates face: ``FACING``) when known."""
    f = _frame(workstations, desk, door, width, max_height)
    by_station = {c.workstation: c for c in candidates}
    plan_h = (f.y1 - f.y0) * f.scale
    drawing = Drawing(width, LEGEND_H + plan_h + AXIS - 4)
    drawing.add(_grid(f))
    drawing.add(_fixtures(f, desk, door))
    drawing.add(_front(f, facing))
    factor = _box_factor(workstations)
    for w in workstations:
        candidate = by_station.get(w.label)
        initials = w.initials or (candidate.initials if candidate else "")
        arrangements = bool(candidate and candidate.access_arrangements)
        drawing.add(_workstation(f, w, initials, arrangements, factor))
    bar, after = _scale_bar(f, 10)
    legend, end = _legend(after, 10)
    footer = Group(bar, legend)
    footer.translate(max(0.0, (width - end) / 2), 0)
    drawing.add(footer)
    return drawing


class SeatingPlan(Flowable):
    """The plan, as large as the space left on the page allows (down to MIN_SCALE);
    if even that does not fit, it asks for a whole page."""

    def __init__(
        self,
        workstations: Sequence[RecordWorkstation],
        candidates: Sequence[RecordCandidate],
        desk: tuple[float, float] | None,
        door: tuple[float, float] | None,
        width: float,
        page_height: float,
        facing: str = "",
    ) -> None:
        super().__init__()
        self._args = (workstations, candidates, desk, door)
        self._facing = facing
        self._page_height = page_height
        full = _frame(workstations, desk, door, width, page_height)
        scale = min(full.scale, MIN_SCALE)
        self.min_height = LEGEND_H + (full.y1 - full.y0) * scale + AXIS - 4
        self._drawing: Drawing | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        height = availHeight if availHeight >= self.min_height else self._page_height
        self._drawing = seating_drawing(
            *self._args, width=availWidth, max_height=min(height, self._page_height), facing=self._facing
        )
        return self._drawing.width, self._drawing.height

    def draw(self) -> None:
        if self._drawing is not None:
            self._drawing.drawOn(self.canv, 0, 0)
