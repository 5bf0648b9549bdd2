"""`inspect export`: the inspection pack for a date range, written whole or not at all."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from invigilator_app.services.demo import DEMO_PASSWORD
from invigilator_app.services.review.inspection import PackCancelled, export_inspection_pack
from invigilator_app.services.review.records import verify_file
from tests.helpers import cli
from tests.review_helpers import INSPECTOR, INSPECTOR_PASSWORD, coordinator, demo_store


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return demo_store(tmp_path)[0]


def _export(data_dir: Path, *args: str | Path) -> object:
    return cli(
        "--data-dir",
        data_dir,
        "--user",
        INSPECTOR,
        "--password-stdin",
        "inspect",
        "export",
        *args,
        stdin=INSPECTOR_PASSWORD + "\n",
    )


def test_an_inspector_exports_every_record_the_register_patterns_and_a_checkpoint(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    res = _export(store, "--from", "2026-11-01", "--to", "2026-11-30", "--out", out)
    assert res.code == 0, res.err
    assert res.out == "" and "\r" not in res.err, "quiet when stderr is not a terminal"
    names = sorted(p.name for p in out.iterdir())
    assert set(names) - {"checkpoint-signer.pem"} == {
        "MANIFEST.sha256",
        "MANIFEST.sha256.sig",
        "README.txt",
        "centre.pem",
        "checkpoint.txt",
        "patterns.pdf",
        "record-1-2026-11-16.pdf",
        "record-2-2026-11-23.pdf",
        "record-3-2026-11-23.pdf",
        "register.csv",
        "signer-public-key.pem",
        "signer.pem",
    }
    summary = verify_file(out / "record-1-2026-11-16.pdf", data_dir=store)
    assert summary.session_id == 1 and summary.candidates == 12
    raw = (out / "register.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdate,start,") and b"\r\n" in raw, "UTF-8 with BOM, CRLF (Excel)"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == [
        "date",
        "start",
        "finish",
        "candidate_name",
        "registration_number",
        "assessment_id",
        "qualification",
        "workstation",
        "room",
        "invigilator",
        "outcome",
        "result",
        "register",
    ]
    assert len(rows) == 12 + 12 + 10
    first = rows[0]
    assert (first["date"], first["start"], first["finish"], first["room"], first["invigilator"]) == (
        "2026-11-16",
        "13:32",
        "14:08",
        "IT Suite",
        "Alex Patel",
    )
    assert {r["outcome"] for r in rows} >= {"finished", "expected"} and {r["result"] for r in rows} >= {"pass", "fail"}
    checkpoint = (out / "checkpoint.txt").read_text(encoding="utf-8")
    assert "The chain as read for this pack:" in checkpoint and INSPECTOR in checkpoint
    assert (out / "patterns.pdf").read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pack")], "no temporary folder left"


def test_a_bad_range_or_a_folder_in_use_is_bad_input(store: Path, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    for args, message in (
        (("--from", "2026-11-30", "--to", "2026-11-01", "--out", tmp_path / "a"), "after it ends"),
        (("--from", "30/11/2026", "--to", "2026-11-01", "--out", tmp_path / "a"), "YYYY-MM-DD"),
        (("--from", "2026-11-01", "--to", "2026-11-30", "--out", busy), "not empty"),
        (("--from", "2026-11-01", "--to", "2026-11-30", "--out", tmp_path / "no" / "such"), "does not exist"),
    ):
        res = _export(store, *args)
        assert res.code == 2 and message in res.err, (args, res.err)
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _export(store, "--from", "2026-11-20", "--to", "2026-11-30", "--out", empty).code == 0
    assert len([p for p in empty.iterdir() if p.suffix in (".pdf", ".csv", ".txt") and p.name != "README.txt"]) == 5


def test_cancelling_leaves_nothing_half_written(store: Path, tmp_path: Path) -> None:
    station = coordinator(store, DEMO_PASSWORD)
    seen: list[tuple[int, int, str]] = []
    try:
        with pytest.raises(PackCancelled):
            export_inspection_pack(
                station,
                date(2026, 11, 1),
                date(2026, 11, 30),
                tmp_path / "pack",
                progress=lambda d, t, w: seen.append((d, t, w)),
                cancelled=lambda: len(seen) >= 2,
            )
    finally:
        station.close()
    assert seen[0] == (0, 6, "record-1-2026-11-16.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_the_checkpoint_is_signed_and_verifies_against_the_store(store: Path, tmp_path: Path) -> None:
    from invigilator_app.services.review import queue as review
    from invigilator_app.services.trust.checkpoints import read_checkpoint_file
    from invigilator_app.services.trust.integrity import verify_store
    from tests.review_helpers import close

    station = coordinator(store, DEMO_PASSWORD)
    try:
        close(station, 1)
        review.sign_off_review(station, 1)
    finally:
        station.close()
    assert _export(store, "--from", "2026-11-01", "--to", "2026-11-30", "--out", tmp_path / "pack").code == 0
    signed = read_checkpoint_file(tmp_path / "pack" / "checkpoint.txt")
    assert signed.reason == "signed_off", "the sign-off signed one"
    station = coordinator(store, DEMO_PASSWORD)
    try:
        assert verify_store(station, tmp_path / "pack" / "checkpoint.txt").startswith("OK")
        pack = export_inspection_pack(station, date(2026, 11, 1), date(2026, 11, 30), tmp_path / "mine")
    finally:
        station.close()
    assert read_checkpoint_file(pack.out_dir / "checkpoint.txt").reason == "export", "a coordinator signs a fresh one"
