"""DejaVu Sans registered with reportlab as embedded TrueType (covers Zoë, Siân, Nguyễn)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

import invigilator_app

FONT_DIR = Path(invigilator_app.__file__).resolve().parent.parent / "resources" / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"


@cache
def register_fonts() -> None:
    """Register the fonts once per process; reportlab subsets and embeds them."""
    for name, file in (
        (REGULAR, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (ITALIC, "DejaVuSans-Oblique.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
    _no_base14_defaults()


def _no_base14_defaults() -> None:
    """reportlab falls back to Helvetica (a base-14 font, never embedded) for table cells,
    drawings and a new canvas; PDF/A needs every font embedded, so DejaVu is the default."""
    from reportlab import rl_config
    from reportlab.graphics import shapes
    from reportlab.platypus import tables

    rl_config.canvas_basefontname = REGULAR
    tables.CellStyle.fontname = REGULAR
    shapes.STATE_DEFAULTS["fontName"] = REGULAR
