"""The invigilation record PDF and CSV (reports/record_pdf.py)."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports_helpers import (
    PDFTOPPM,
    overlapping_text,
    pdf_pages_text,
    render_pages_png,
    sample_record,
    squash,
)

from invigilator_app.domain.record import InvigilationRecord
from invigilator_app.reports.record_pdf import (
    CSV_COLUMNS,
    record_csv,
    render_day,
    render_record,
)

ACCENTED = ["O'Neill", "Zoë", "Siân", "Ó Briain", "Nguyễn"]


@pytest.fixture(scope="module")
def record() -> InvigilationRecord:
    return sample_record(n_candidates=30, n_entries=40)


@pytest.fixture(scope="module")
def pdf(record: InvigilationRecord) -> bytes:
    return render_record(record)


@pytest.fixture(scope="module")
def pages(pdf: bytes) -> list[str]:
    return pdf_pages_text(pdf)


@pytest.fixture(scope="module")
def text(pages: list[str]) -> str:
    return squash("\n".join(pages))


def has(text: str, fact: str) -> bool:
    return squash(fact) in text


def test_is_a4_landscape_with_several_numbered_pages(pdf: bytes, pages: list[str]) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)
    total = len(pages)
    for number, page_text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page_text


def test_header_on_every_page(record: InvigilationRecord, pages: list[str]) -> None:
    for page_text in pages:
        flat = squash(page_text)
        assert squash(record.centre_number) in flat
        assert squash(record.room) in flat
        assert record.date in flat
        assert f"Session{record.session_id}" in flat
        assert "Generated" in page_text


def test_fonts_are_embedded_truetype(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    embedded = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    embedded.add(str(font["/BaseFont"]))
    assert any("DejaVuSans" in name for name in embedded)
    assert any("DejaVuSans-Bold" in name for name in embedded)
    assert b"/FontFile2" in pdf


def test_session_facts(record: InvigilationRecord, text: str) -> None:
    assert has(text, "Invigilation record")
    for fact in (
        record.centre_name,
        record.centre_number,
        record.centre_address,
        record.site,
        record.room,
        record.date,
        "Friday 14 March 2025",
        "09:30",
        "12:15",
        "Signed off",
        record.zone,
        record.invigilator_name,
        record.invigilator_pin,
        record.invigilator_status,
        "INV-1",
        "INV-2",
        "INV-3",
    ):
        assert has(text, fact), fact


def test_every_candidate_with_every_field(record: InvigilationRecord, text: str) -> None:
    for c in record.candidates:
        for fact in (
            c.name,
            c.registration_number,
            c.assessment_id,
            c.assessment_title,
            c.qualification,
            c.qualification_title,
            c.workstation,
            c.identity_check,
            c.access_arrangements,
            c.result,
            f"Attempt {c.attempt_number}",
        ):
            assert has(text, fact), (c.name, fact)
    assert has(text, "Chargeable") and has(text, "Resit") and has(text, "NOT collected")
    assert has(text, "Absent") and has(text, "Withdrawn") and has(text, "No identity check recorded")
    assert has(text, "Planned 10:47")  # 25% extra time applied to the planned finish


@pytest.mark.parametrize("name", ACCENTED)
def test_accented_names_render(text: str, name: str) -> None:
    assert squash(name) in text


def test_checklist(record: InvigilationRecord, text: str) -> None:
    for item in record.checklist:
        assert has(text, item.rule_id) and has(text, item.text)
        if item.note:
            assert has(text, item.note)


def test_log_entries_with_markers(record: InvigilationRecord, text: str) -> None:
    for entry in record.entries:
        assert has(text, entry.note), entry.note
        assert has(text, entry.type_label)
        for candidate in entry.candidates:
            assert has(text, candidate)
        for amendment in entry.amendments:
            assert has(text, amendment)
        if entry.question_number:
            assert has(text, f"Question {entry.question_number}")
            assert has(text, f"Assessment {entry.assessment_id}")
        if entry.notification_reference:
            assert has(text, entry.notification_reference)
    for marker in (
        "Transcribed from paper",
        "Late entry",
        "Amended (1)",
        "Needs coordinator follow-up",
        "Not yet notified",
        "Notify: Awarding body (IMI)",
        "A. Patel",
        "Recorded after the fire drill",
    ):
        assert has(text, marker), marker


def test_log_is_in_time_order(record: InvigilationRecord, pages: list[str]) -> None:
    shuffled = sample_record(n_candidates=4, n_entries=12)
    shuffled.entries.reverse()
    flat = squash("\n".join(pdf_pages_text(render_record(shuffled))))
    positions = [flat.index(squash(f"Entry {n}:")) for n in range(1, 13)]
    assert positions == sorted(positions)


def test_seating_plan_warnings_sign_off_and_checkpoint(record: InvigilationRecord, text: str) -> None:
    for fact in (
        "Seating plan",
        "Invigilator",
        "Door",
        "Privacy filter",
        "Screen between candidates",
        "PC01",
        "PC30",
        "Acknowledged warnings",
        *record.acknowledged_warnings,
        "Authorisations",
        "Sign-off and review",
        record.signed_off_by,
        record.reviewed_by,
        record.review_comment,
        "14 Mar 2025 12:20",
        "14 Mar 2025 15:20",
        record.audit_checkpoint,
    ):
        assert has(text, fact), fact


def test_unsigned_record_leaves_lines_to_sign() -> None:
    record = sample_record(n_candidates=3, n_entries=2)
    record.signed_off_by = record.signed_off_at = ""
    record.reviewed_by = record.reviewed_at = record.review_comment = ""
    record.audit_checkpoint = ""
    record.state = "closed"
    flat = squash("\n".join(pdf_pages_text(render_record(record))))
    assert "(notyet)" in flat and "Signature" in flat and "____" in flat
    assert "Closed(awaitingsign-off)" in flat


def test_empty_record_renders() -> None:
    record = sample_record(n_candidates=1, n_entries=0)
    record.candidates = []
    record.workstations = []
    record.checklist = []
    record.desk = record.door = None
    flat = squash("\n".join(pdf_pages_text(render_record(record))))
    assert "Nocandidateswereallocated" in flat
    assert "Noseatingplanwasrecorded" in flat
    assert "Nothingwasloggedduringthissession" in flat


def test_long_text_wraps_inside_the_page(record: InvigilationRecord, pdf: bytes, text: str) -> None:
    long_titles = [c.assessment_title for c in record.candidates if len(c.assessment_title) >= 120]
    assert long_titles
    for title in long_titles:
        assert has(text, title)
    reader = PdfReader(io.BytesIO(pdf))
    starts: list[float] = []

    def visit(chunk: str, cm: list[float], tm: list[float], *_: object) -> None:
        if chunk.strip():
            starts.append(cm[4] + tm[4] * cm[0])

    for page in reader.pages:
        width = float(page.mediabox.width)
        starts.clear()
        page.extract_text(visitor_text=visit)
        assert starts and max(starts) < width - 30


def test_render_day_starts_each_record_on_a_new_page() -> None:
    first = sample_record(n_candidates=3, n_entries=3)
    second = sample_record(n_candidates=2, n_entries=2)
    second.session_id = 1043
    second.room = "Room 5 (workshop office)"
    pages = pdf_pages_text(render_day([first, second]))
    second_start = next(i for i, page in enumerate(pages) if "Session 1043" in page)
    assert second_start > 0
    assert all("Session 1042" in p for p in pages[:second_start])
    assert all("Session 1043" in p and "Room 5" in p for p in pages[second_start:])
    # the second record's title block opens its first page
    assert squash(pages[second_start]).find("Invigilationrecord") < squash(pages[second_start]).find(
        "Centre" + squash(second.centre_name)
    )
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    with pytest.raises(ValueError, match="no records"):
        render_day([])


def test_csv_one_row_per_candidate(record: InvigilationRecord) -> None:
    rows = list(csv.reader(io.StringIO(record_csv(record))))
    assert rows[0] == CSV_COLUMNS
    assert len(rows) == len(record.candidates) + 1
    by_reg = {row[CSV_COLUMNS.index("registration_number")]: row for row in rows[1:]}
    for c in record.candidates:
        row = by_reg[c.registration_number]
        assert row[CSV_COLUMNS.index("candidate_name")] == c.name
        assert row[CSV_COLUMNS.index("assessment_title")] == c.assessment_title
        assert row[CSV_COLUMNS.index("resit")] in {"yes", "no"}
        assert row[CSV_COLUMNS.index("invigilator_pin")] == record.invigilator_pin


def test_csv_neutralises_spreadsheet_formulas() -> None:
    record = sample_record(n_candidates=1, n_entries=0)
    record.candidates[0].name = '=HYPERLINK("http://x")'
    rows = list(csv.reader(io.StringIO(record_csv(record))))
    assert rows[1][CSV_COLUMNS.index("candidate_name")].startswith("'=")


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pages_render_as_images(pdf: bytes, tmp_path: Path) -> None:
    images = render_pages_png(pdf, tmp_path, dpi=40)
    assert len(images) == len(PdfReader(io.BytesIO(pdf)).pages)
    assert all(image.stat().st_size > 1000 for image in images)
    assert re.fullmatch(r"page-0*1\.png", images[0].name)


@pytest.mark.parametrize("draft", ["", "DRAFT \u2014 not signed off: the session is running"])
def test_no_text_runs_into_other_text(draft: str) -> None:
    """The header's centre and room, the draft stamp centred on the same line, and every
    table cell stay apart, with a long centre name and room."""
    record = sample_record(n_candidates=12, n_entries=12)
    record.centre_name = "Northgate College of Automotive Skills and Motorsport Engineering"
    record.room = "IT Suite 2 (first floor, east wing)"
    record.draft = draft
    assert overlapping_text(render_record(record)) == []
