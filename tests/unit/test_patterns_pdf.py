"""The pattern report PDF (reports/patterns_pdf.py) and the long tables it lays out."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports_helpers import NAMES, overlapping_text, pdf_pages_text, squash

from invigilator_app.domain.patterns import PatternFinding, PatternKind, PatternReport, PatternSettings
from invigilator_app.reports._doc import FRAME_W, build_pdf
from invigilator_app.reports._style import ROW_WINDOW, cell, grid_table, long_grid_table
from invigilator_app.reports.patterns_pdf import render_patterns

START = datetime(2026, 1, 14, 9, 3, tzinfo=UTC)


def report(findings: int) -> PatternReport:
    kinds = list(PatternKind)
    return PatternReport(
        centre_name="Northgate College of Automotive Skills",
        centre_number="40213",
        from_day="2025-11-26",
        to_day="2026-11-26",
        generated_at="Thu 26 Nov 2026 11:17",
        zone="Europe/London",
        settings=PatternSettings(),
        attempts=findings * 7,
        findings=tuple(
            PatternFinding(
                kind=kinds[i % len(kinds)],
                registration_number=f"R{i:07d}",
                candidate_name=NAMES[i % len(NAMES)],
                assessment_id="BQ08-01",
                when=START + timedelta(hours=5 * i),
                detail=f"finding number {i}: 3 attempts at BQ08-01 (pass, fail, pass)",
                session_ids=(35171 + i, 35491 + i),
            )
            for i in range(findings)
        ),
    )


@pytest.fixture(scope="module")
def long_report() -> PatternReport:
    return report(4 * ROW_WINDOW + 37)  # several windows of rows in one kind


@pytest.fixture(scope="module")
def long_pdf(long_report: PatternReport) -> bytes:
    return render_patterns(long_report)


def test_every_finding_is_listed_once_in_time_order(long_report: PatternReport, long_pdf: bytes) -> None:
    text = squash("\n".join(pdf_pages_text(long_pdf)))
    for kind in PatternKind:
        places = [
            text.index(squash(f"finding number {int(f.registration_number[1:])}:")) for f in long_report.of_kind(kind)
        ]
        assert places == sorted(places), kind
    for i in range(len(long_report.findings)):
        assert text.count(squash(f"finding number {i}:")) == 1


def test_the_findings_header_repeats_on_every_page_of_findings(long_pdf: bytes) -> None:
    pages = pdf_pages_text(long_pdf)
    with_findings = [p for p in pages if "finding number" in p]
    assert len(with_findings) > 10
    assert all("Reg. no." in p and "Session(s)" in p for p in with_findings)


def test_no_text_runs_into_the_next_column(long_pdf: bytes) -> None:
    """The first column holds a whole date and time ("Wed 14 Jan 2026 09:03")."""
    assert overlapping_text(long_pdf) == []


@pytest.mark.parametrize("window", [ROW_WINDOW, 7])
def test_a_long_table_gives_the_pages_a_plain_table_gives(window: int) -> None:
    """Laid out a window of rows at a time (linear in the rows), the pages are the same;
    a window smaller than a page is made bigger, never a header row in mid-page."""
    widths = [60.0, 120.0, FRAME_W - 180.0]
    rows: list[list[object]] = [["Row", "Name", "Detail"]]
    rows += [
        [str(i), cell(NAMES[i % len(NAMES)], widths[1]), cell(f"detail {i} " * (1 + i % 9), widths[2])]
        for i in range(3 * ROW_WINDOW + 11)
    ]

    def pages(table: object) -> list[str]:
        pdf = build_pdf([table], title="t", author="a", subject="s", header_left="l", header_right="r", footer="f")
        return pdf_pages_text(pdf)

    windowed = long_grid_table(rows, widths, window=window)
    assert not isinstance(windowed, type(grid_table(rows[:2], widths)))  # the long path is taken
    assert pages(windowed) == pages(grid_table(rows, widths))
