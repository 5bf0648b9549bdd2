"""A record exported before sign-off says "DRAFT — not signed off" on every page and in its
attached data; `verify` reports the state; the signed-off record carries no stamp."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from invigilator_app.services.access import open_station
from invigilator_app.services.review.queue import sign_off_review
from tests.cli.test_cli_transcription import PAPER, log, run, store, template  # noqa: F401 - fixtures
from tests.helpers import PASSWORD


def _export(store: Path, out: Path) -> None:  # noqa: F811
    res = run(store, "session", "export", "1", "--out", out)
    assert res.code == 0, res.err


def _attached(path: Path) -> dict:
    files = PdfReader(path).attachments
    return json.loads(files[next(iter(files))][0])


def test_draft_until_signed_off(store: Path, tmp_path: Path) -> None:  # noqa: F811
    planned = tmp_path / "planned.pdf"
    _export(store, planned)
    pages = PdfReader(planned).pages
    assert len(pages) >= 2
    assert all("DRAFT — not signed off" in (p.extract_text() or "") for p in pages)
    assert _attached(planned)["draft"] == "DRAFT — not signed off: the session is planned"
    res = run(store, "verify", planned)
    assert res.code == 0 and "State: DRAFT — not signed off: the session is planned" in res.out
    assert log(store, tmp_path, PAPER).code == 0
    closed = tmp_path / "closed.pdf"
    _export(store, closed)
    assert "awaiting the coordinator's review" in run(store, "verify", closed).out
    station = open_station(store, PASSWORD)
    try:
        sign_off_review(station, 1, "Checked against the paper log")
    finally:
        station.close()
    final = tmp_path / "final.pdf"
    _export(store, final)
    assert not any("DRAFT" in (p.extract_text() or "") for p in PdfReader(final).pages)
    assert _attached(final)["draft"] == ""
    assert "State: signed off (final record)" in run(store, "verify", final).out
