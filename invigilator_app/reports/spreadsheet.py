"""Every CSV the station writes, one way: UTF-8 with a byte-order mark (so Excel on Windows
reads "Siân" as Siân), CRLF line ends, one snake_case header row, yes/no for flags, and
cells that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return)
prefixed with '."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"


def cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The table as CSV text (no byte-order mark): header, then one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()


def csv_bytes(text: str) -> bytes:
    """CSV text as the bytes written to a file: UTF-8 with a byte-order mark."""
    return (BOM + text.removeprefix(BOM)).encode("utf-8")
