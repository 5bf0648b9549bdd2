"""PDF/A for every archived PDF: the signed record (PDF/A-3b: it carries its data as an
associated file), the day's records, the room layout, the patterns and malpractice reports
(PDF/A-2b). Each requirement checked with pypdf; veraPDF, when installed, validates too."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from invigilator_app.reports.record_pdf import render_day
from invigilator_app.services.admin import rooms
from invigilator_app.services.review import malpractice, patterns
from invigilator_app.services.review.records import build_record, signed_record_pdf
from invigilator_app.services.review.search import EntryFilters, search_entries
from tests.reports_helpers import overlapping_text
from tests.review_helpers import TODAY, coordinator, demo_store


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    data_dir, password = demo_store(tmp_path_factory.mktemp("pdfa"))
    station = coordinator(data_dir, password)
    try:
        entry = search_entries(station, EntryFilters(), limit=1)[0]
        report = malpractice.draft_report(station, [entry.id])
        out = tmp_path_factory.mktemp("layout") / "layout.pdf"
        rooms.export_layout_pdf(station, "IT Suite", out)
        return {
            "record": signed_record_pdf(station, 1),
            "day": render_day([build_record(station, 1), build_record(station, 2)]),
            "layout": out.read_bytes(),
            "patterns": patterns.patterns_pdf(station, date(2026, 11, 1), TODAY),
            "malpractice": malpractice.report_pdf(station, report.id, allow_missing=True),
        }
    finally:
        station.close()


KINDS = ["record", "day", "layout", "patterns", "malpractice"]


def _objects(reader: PdfReader):
    seen = set()
    stack = [reader.trailer["/Root"]]
    for page in reader.pages:
        stack.append(page)
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, list):
            stack.extend(obj)
        elif isinstance(obj, dict):
            yield obj
            stack.extend(v for k, v in obj.items() if k != "/Parent")


@pytest.mark.parametrize("kind", KINDS)
def test_pdfa_requirements(pdfs: dict[str, bytes], kind: str) -> None:
    data = pdfs[kind]
    reader = PdfReader(io.BytesIO(data))
    assert data.startswith(b"%PDF-1.7"), "one version: 1.7 in the header"
    root = reader.trailer["/Root"]
    assert "/Version" not in root, "and no other version in the catalog"
    assert reader.trailer.get("/ID") is not None
    intents = root["/OutputIntents"]
    assert len(intents) == 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"
    xmp = root["/Metadata"].get_object()
    assert "/Filter" not in xmp
    text = xmp.get_data().decode("utf-8")
    part = "3" if kind == "record" else "2"
    assert re.search(rf'pdfaid:part="{part}"', text) and 'pdfaid:conformance="B"' in text
    assert "<dc:title>" in text.replace('<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">', "<dc:title>")
    info = reader.trailer.get("/Info")
    assert info is None or not set(info.get_object()) - {"/ModDate", "/Producer"}, "XMP is the metadata"
    fonts = [o for o in _objects(reader) if o.get("/Type") == "/Font"]
    assert fonts
    for font in fonts:
        assert font.get("/Subtype") != "/Type1" or "/FontDescriptor" in font, font.get("/BaseFont")
        base = str(font.get("/BaseFont", ""))
        assert "Helvetica" not in base and "Times" not in base and "Courier" not in base, base
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{base} is not embedded"


def test_the_signature_keeps_the_record_pdfa(pdfs: dict[str, bytes]) -> None:
    data = pdfs["record"]
    assert data.count(b"%%EOF") >= 2, "the signature is an incremental update"
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    spec = root["/AF"][0].get_object()
    assert spec["/AFRelationship"] == "/Data" and "/UF" in spec and "/F" in spec
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application#2Fjson" or str(stream["/Subtype"]) == "/application/json"
    assert "/ModDate" in stream["/Params"]
    for field in root["/AcroForm"]["/Fields"]:
        widget = field.get_object()
        assert int(widget.get("/F", 0)) & 4, "annotations print (PDF/A)"


@pytest.mark.skipif(shutil.which("verapdf") is None, reason="veraPDF is not installed")
@pytest.mark.parametrize("kind", KINDS)
def test_verapdf_validates(pdfs: dict[str, bytes], kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdfs[kind])
    done = subprocess.run(
        ["verapdf", "--format", "text", str(path)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.stdout.startswith("PASS"), done.stdout + done.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_no_text_runs_into_other_text(pdfs: dict[str, bytes], kind: str) -> None:
    """Every archived PDF as a reader sees it: no table cell, header or label printed over
    its neighbour."""
    assert overlapping_text(pdfs[kind]) == []
