"""Apprenticeship Standards (INV-3), as data: the shipped list of ST reference numbers
(``resources/apprenticeship_standards.csv``: ``reference,title,level``) and the rule that
any qualification numbered ``ST`` + four digits is linked to a Standard, listed or not.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from invigilator_app.rules.retake_list import RESOURCES

SHIPPED_PATH = RESOURCES / "apprenticeship_standards.csv"
HEADER = ("reference", "title", "level")
_REFERENCE = re.compile(r"\s*ST\d{4}(?!\d)", re.IGNORECASE)


class StandardsListError(ValueError):
    """A standards list file that cannot be read as the expected CSV."""


def is_standard(number: str) -> bool:
    """True for an Apprenticeship Standard's reference: ``ST0033``, ``st0034 v1.2``,
    ``ST0033/AP03`` (a reference followed by a version or assessment plan)."""
    return _REFERENCE.match(number) is not None


def load_standards(path: Path | None = None) -> dict[str, str]:
    """Reference -> title for every Standard on the list (the shipped one by default)."""
    source = path or SHIPPED_PATH
    found: dict[str, str] = {}
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(cell.strip() for cell in next(reader, []))
        if header[: len(HEADER)] != HEADER:
            raise StandardsListError(f"{source}: the first line must be {','.join(HEADER)}")
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row] + ["", ""]
            if not is_standard(cells[0]):
                raise StandardsListError(f"{source}, line {reader.line_num}: {cells[0]!r} is not an ST reference")
            found[cells[0].upper()] = cells[1]
    return found
