"""Regenerate docs/example-record.pdf (signed) and its page images from the test record.

Run from the project root:  .venv/bin/python tests/make_example_record.py
Needs pdftoppm (poppler-utils) for the PNGs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from reports_helpers import render_pages_png, sample_record  # noqa: E402

from invigilator_app.reports.record_pdf import render_record  # noqa: E402
from invigilator_app.reports.signing import sign_record_pdf  # noqa: E402
from invigilator_app.reports.verify import verify_record_pdf  # noqa: E402
from invigilator_app.security.station import new_station_identity  # noqa: E402


def main() -> None:
    docs = ROOT / "docs"
    record = sample_record(n_candidates=30, n_entries=40)
    station = new_station_identity("Room 2 PC", record.centre_number)
    started = time.perf_counter()
    pdf = render_record(record)
    signed = sign_record_pdf(pdf, record, station.key_pem, station.cert_pem, record.invigilator_name)
    elapsed = time.perf_counter() - started
    (docs / "example-record.pdf").write_bytes(signed)
    summary = verify_record_pdf(signed, pinned_cert_pem=station.cert_pem)
    for old in docs.glob("example-record-page-*.png"):
        old.unlink()
    pages = render_pages_png(signed, docs, dpi=70, prefix="example-record-page")
    # pdftoppm pads page numbers (page-01); keep plain numbers (page-1) for stable links.
    for page in pages:
        number = int(page.stem.rsplit("-", 1)[1])
        page.rename(docs / f"example-record-page-{number}.png")
    print(f"{len(pages)} pages, rendered and signed in {elapsed:.2f} s; verified: {summary}")


if __name__ == "__main__":
    main()
