"""PDF/A for everything the station prints and archives (centres keep records for years).

``to_pdfa`` rewrites a reportlab PDF as PDF/A: PDF 1.7 in the header and nowhere else, an
sRGB output intent (``resources/sRGB.icc``), and XMP metadata carrying the PDF/A
identification beside the title, author, subject, creator, producer and dates. There is no
document-information dictionary, so nothing can disagree with the XMP. reportlab already
embeds every font (DejaVu, subset); the canvases start in DejaVu too, so no base-14 font is
ever referenced.

The record carries its data as an attached JSON file, which PDF/A-2 does not allow (its
attachments must themselves be PDF/A) and PDF/A-3 does (an associated file, related to the
document as /Data): the record is PDF/A-3b; the day's records, the room layout, the
patterns and malpractice reports, which attach nothing, are PDF/A-2b. The signature is
added later as an incremental update, which keeps the XMP and the version as they are
(``hold_version``).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.metadata.model import (
    NS,
    ExpandedName,
    XmpStructure,
    XmpValue,
)
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer

from invigilator_app.rules.retake_list import RESOURCES

SRGB_PATH = RESOURCES / "sRGB.icc"
SRGB_NAME = "sRGB IEC61966-2.1"
PDFAID = NS["pdfaid"]
VERSION = (1, 7)


def _identification(part: int) -> XmpStructure:
    return XmpStructure.of(
        (ExpandedName(PDFAID, "part"), XmpValue(str(part))),
        (ExpandedName(PDFAID, "conformance"), XmpValue("B")),
    )


def to_pdfa(
    pdf: bytes, *, part: int, title: str, author: str, subject: str, creator: str, created: datetime | None = None
) -> bytes:
    """The PDF rewritten as PDF/A-``part``b (2 or 3), with one consistent version (1.7)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    writer = copy_into_new_writer(reader)
    writer.output_version = VERSION
    writer.root.pop("/Version", None)
    writer.set_info(None)
    header = generic.DictionaryObject({generic.pdf_name("/N"): generic.NumberObject(3)})  # type: ignore[no-untyped-call]
    profile = generic.StreamObject(header, stream_data=SRGB_PATH.read_bytes())
    profile.compress()  # type: ignore[no-untyped-call]
    intent = generic.DictionaryObject(
        {  # type: ignore[no-untyped-call]
            generic.pdf_name("/Type"): generic.pdf_name("/OutputIntent"),
            generic.pdf_name("/S"): generic.pdf_name("/GTS_PDFA1"),
            generic.pdf_name("/OutputConditionIdentifier"): generic.pdf_string(SRGB_NAME),
            generic.pdf_name("/Info"): generic.pdf_string(SRGB_NAME),
            generic.pdf_name("/DestOutputProfile"): writer.add_object(profile),
        }
    )
    writer.root["/OutputIntents"] = generic.ArrayObject([writer.add_object(intent)])
    writer.root.pop("/Metadata", None)
    meta = writer.document_meta
    meta.title, meta.author, meta.subject, meta.creator = title, author, subject, creator
    meta.created = created or "now"
    meta.xmp_extra = [_identification(part)]
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def hold_version(writer: Any) -> None:
    """Keep an incremental update (attachment, signature) at PDF 1.7: pyHanko raises the
    catalog's version to 2.0 for an associated file and for the ISO 32002 signature
    extension, both of which PDF/A-3 allows at 1.7. One version in the file, as PDF/A asks."""
    if "/Version" in writer.root:
        del writer.root["/Version"]
        writer.update_root()
    writer.output_version = VERSION
    writer.ensure_output_version = lambda version: None
