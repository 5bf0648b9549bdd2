"""Long and hostile text renders everywhere it is printed: the signed PDF (cut with an
ellipsis, the full text in the attached data), the day's PDF, the inspection pack, the
CSV and the GUI.

The attack: a 500-character candidate name made `session export` and the whole
`inspect export` exit 1 (a table row taller than a page)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from invigilator_app.services.access import open_station
from invigilator_app.services.review.records import verify_file
from invigilator_app.store.models import Candidate
from tests.helpers import PASSWORD, cli, plan, seeded, write_json

LONG_NAME = "Wolfeschlegelsteinhausenbergerdorff" * 14 + " <b>&amp;</b>"  # one 490-letter word and mark-up
NOTE = ('=HYPERLINK("http://x") ' + "N" * 1980)[:2000]  # the longest note `session log` accepts
REG = "R" + "9" * 39  # the longest registration number a plan accepts (40)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("long")
    data_dir = seeded(base)
    station = open_station(data_dir, PASSWORD)
    try:
        with station.write() as session:  # straight into the store, whatever the importers allow today
            jane = session.scalars(select(Candidate).where(Candidate.registration_number == "R1000001")).one()
            jane.first_name, jane.last_name = LONG_NAME[:250], LONG_NAME[250:]
            session.add(Candidate(registration_number=REG, first_name="Tess", last_name="Long-Number"))
    finally:
        station.close()
    data = plan(regs=("R1000001", REG))
    data["candidates"][0]["support_note"] = "S" * 2000
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "plan",
        write_json(base / "p.json", data),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    paper = [
        {"type": "other", "at": "2026-12-01T10:05", "registration_number": "R1000001", "note": NOTE},
        {"type": "other", "at": "2026-12-01T10:06", "registration_number": REG, "note": "X" * 2000},
    ]
    res = cli(
        "--data-dir",
        data_dir,
        "--password-stdin",
        "session",
        "log",
        "1",
        write_json(base / "l.json", paper),
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    return data_dir


def test_the_signed_record_cuts_long_text_and_attaches_it_whole(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "record.pdf"
    res = cli("--data-dir", store, "--password-stdin", "session", "export", "1", "--out", out, stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    summary = verify_file(out, data_dir=store)  # the visible facts (registration numbers included) still match the data
    assert summary.candidates == 2
    reader = PdfReader(out)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "\u2026" in text and "full text is in the record's attached data" in text
    assert REG in text.replace(" ", "")
    attached = json.loads(next(iter(reader.attachments.values()))[0])
    names = [c["name"] for c in attached["candidates"]]
    assert any(LONG_NAME[:250] in n and LONG_NAME[250:] in n for n in names), "the attachment keeps the full name"
    assert any(e["note"] == NOTE for e in attached["entries"])


def test_the_csv_holds_the_full_text_and_no_formula(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "record.csv"
    res = cli("--data-dir", store, "--password-stdin", "session", "export", "1", "--out", out, stdin=PASSWORD + "\n")
    assert res.code == 0, res.err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert any(LONG_NAME[:250] in r["candidate_name"] for r in rows)
    assert {r["registration_number"] for r in rows} == {"R1000001", REG}


def test_a_days_records_and_the_inspection_pack_are_written(store: Path, tmp_path: Path) -> None:
    res = cli(
        "--data-dir",
        store,
        "--password-stdin",
        "sessions",
        "export",
        "--date",
        "2026-12-01",
        "--out",
        tmp_path / "day.pdf",
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    res = cli(
        "--data-dir",
        store,
        "--password-stdin",
        "inspect",
        "export",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-01",
        "--out",
        tmp_path / "pack",
        stdin=PASSWORD + "\n",
    )
    assert res.code == 0, res.err
    register = (tmp_path / "pack" / "register.csv").read_text(encoding="utf-8")
    assert LONG_NAME[:250] in register


def test_the_gui_shows_long_text_cut_with_the_whole_in_the_tooltip(qtbot, store: Path) -> None:
    from PySide6.QtCore import Qt

    from invigilator_app.ui.main_window import MainWindow

    window = MainWindow(open_station(store, PASSWORD))
    qtbot.addWidget(window)
    window.show()
    window.session_view.selectRow(0)
    entries = window.panel.entries
    assert entries.rowCount() == 2
    cells = [entries.index(0, c) for c in range(entries.columnCount())]
    shown = [entries.data(i, Qt.ItemDataRole.DisplayRole) or "" for i in cells]
    tips = [entries.data(i, Qt.ItemDataRole.ToolTipRole) or "" for i in cells]
    assert max(len(s) for s in shown) <= 160 and any(s.endswith("\u2026") for s in shown)
    assert any(NOTE in t for t in tips) or any(LONG_NAME[:250] in t for t in tips)
    assert window.minimumSizeHint().width() < 1366, "the window still fits a 1366-pixel screen"
