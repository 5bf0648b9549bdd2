"""Exports of the record: signed PDF (verified), CSV for a spreadsheet, a day's records in one PDF."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pypdf import PdfReader

from tests.helpers import PASSWORD, cli, plan, plan_session, seeded


def _store_with_two_sessions(tmp_path: Path) -> tuple[Path, list[str]]:
    data_dir = seeded(tmp_path)
    ids = []
    for name, start, room in (("a", "09:00", "IT Suite"), ("b", "13:00", "Room 2")):
        ids.append(str(plan_session(data_dir, plan(start=start, room=room), tmp_path / f"{name}.json")))
    return data_dir, ids


def test_record_exports_as_signed_pdf_and_as_csv(tmp_path: Path) -> None:
    data_dir, ids = _store_with_two_sessions(tmp_path)
    pdf, table = tmp_path / "record.pdf", tmp_path / "record.csv"
    for out in (pdf, table):
        res = cli(
            "--data-dir", data_dir, "--password-stdin", "session", "export", ids[0], "--out", out, stdin=PASSWORD + "\n"
        )
        assert res.code == 0, res.err
    unproven = cli("--data-dir", tmp_path / "elsewhere", "verify", pdf)
    assert unproven.code == 4 and "signed and unaltered, but the origin is not proven" in unproven.err
    assert "--trust centre.pem" in unproven.err and "--centre FINGERPRINT" in unproven.err
    verified = cli("--data-dir", data_dir, "verify", pdf)  # the centre of the store beside it
    assert verified.code == 0, verified.err
    assert "Candidates: 2" in verified.out
    assert f"trusted: the store in {data_dir}" in verified.out
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    assert [r["registration_number"] for r in rows] == ["R1000001", "R1000002"]


def test_a_days_records_in_one_pdf(tmp_path: Path) -> None:
    data_dir, _ids = _store_with_two_sessions(tmp_path)
    out = tmp_path / "day.pdf"
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "sessions",
        "export",
        "--date",
        "2026-12-01",
        "--out",
        out,
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "IT Suite" in text and "Room 2" in text
    assert res.err.count("\r") == 0, "no progress line when stderr is not a terminal"
    empty = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "sessions",
        "export",
        "--date",
        "2026-12-25",
        "--out",
        tmp_path / "none.pdf",
        stdin=PASSWORD + "\n",
    )
    assert empty.code == 2 and "no sessions" in empty.err
    assert not (tmp_path / "none.pdf").exists()
