"""Regenerate docs/example-record.pdf (signed, PDF/A-3b) and its page images from a
realistic session: planned, run on paper, transcribed with `session log`, signed off on
the paper log and by the coordinator's review, exported with `session export`.

Run from the project root:  .venv/bin/python tests/make_example_record.py
Needs pdftoppm (poppler-utils) for the PNGs. Works in a temporary store; the OS credential
store is never touched.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from invigilator_app.services.access import open_station  # noqa: E402
from invigilator_app.services.review.queue import sign_off_review  # noqa: E402
from tests.helpers import PASSWORD, cli, init_store  # noqa: E402
from tests.reports_helpers import render_pages_png  # noqa: E402

CANDIDATES = """registration_number,first_name,last_name,date_of_birth
IMI40213-0001,Jane,Smith,2001-04-03
IMI40213-0002,Tomasz,Nowak,1999-07-21
IMI40213-0003,Siân,O'Neill,1999-12-31
IMI40213-0004,Zoë,Nguyễn,2002-02-14
IMI40213-0005,Kwame,Mensah,2000-09-09
IMI40213-0006,Aleksandra,Kowalczyk,2003-05-30
"""
REGS = [f"IMI40213-000{i}" for i in range(1, 7)]


def _run(data_dir: Path, *args: object) -> str:
    res = cli("--data-dir", data_dir, "--password-stdin", *args, stdin=PASSWORD + "\n")
    if res.code != 0:
        raise SystemExit(f"{args}: exit {res.code}: {res.err}")
    return res.out


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def main() -> None:
    docs = ROOT / "docs"
    day = date.today() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    d = day.isoformat() + "T"
    with tempfile.TemporaryDirectory(prefix="example-record-") as tmp:
        work = Path(tmp)
        data_dir = work / "store"
        init_store(data_dir)
        (work / "candidates.csv").write_text(CANDIDATES, encoding="utf-8")
        _run(data_dir, "candidates", "import", work / "candidates.csv")
        layout = [
            {
                "label": f"PC-{i + 1:02d}",
                "x": (i % 3) * 1.8,
                "y": (i // 3) * 2.0,
                "screen": i % 3 == 1,
                "privacy_filter": False,
            }
            for i in range(6)
        ]
        assessments = [
            ("EV1-ONL-01", "603/1465/5", "Electric/hybrid vehicle awareness", 45),
            ("MOT-4-ONL-02", "601/8928/9", "MOT testing classes 4 and 7", 60),
        ]
        plan = {
            "date": day.isoformat(),
            "start": "09:30",
            "room": "IT Suite",
            "site": "Main site",
            "workstations": layout,
            "desk": {"x": 1.8, "y": -1.5},
            "door": {"x": 4.6, "y": 4.5},
            "facing": "north",
            "invigilator": {"name": "Alex Patel", "imi_pin": "IMI-INV-70231", "assessor": False, "impartial": True},
            "candidates": [
                {
                    "registration_number": reg,
                    "assessment_id": assessments[i % 2][0],
                    "qualification": assessments[i % 2][1],
                    "assessment_title": assessments[i % 2][2],
                    "planned_minutes": assessments[i % 2][3],
                    "workstation": f"PC-{i + 1:02d}",
                    "notice_date": (day - timedelta(days=14)).isoformat(),
                    "readiness_confirmed": True,
                }
                for i, reg in enumerate(REGS)
            ],
        }
        plan["candidates"][2]["access_arrangements"] = {
            "extra_time_percent": 25,
            "rest_breaks": True,
            "reader": "Mrs J Hill",
        }
        session_id = _run(data_dir, "session", "plan", _write(work / "plan.json", plan)).strip()
        ids = ["driving licence", "passport", "college ID card", "passport", "driving licence", "college ID card"]
        paper: list[dict[str, object]] = [
            {
                "type": "checklist",
                "at": d + "09:05",
                "answers": {
                    "ROOM-1": "yes",
                    "ROOM-2": "yes",
                    "ROOM-3": {"answer": "no", "note": "Wiring diagram poster by the door covered at 09:05"},
                    "ROOM-4": "yes",
                    "ROOM-5": "yes",
                    "ROOM-6": "yes",
                    "ROOM-7": "yes",
                    "ROOM-8": "yes",
                },
            },
        ]
        for i, reg in enumerate(REGS[:5]):
            paper += [
                {"type": "identity_check", "at": d + f"09:{15 + i:02d}", "registration_number": reg, "note": ids[i]},
                {"type": "logged_on", "at": d + f"09:{22 + i:02d}", "registration_number": reg},
            ]
        paper += [
            {"type": "start", "at": d + "09:32", "registration_numbers": REGS[:5]},
            {
                "type": "late_arrival",
                "at": d + "09:44",
                "registration_number": REGS[5],
                "note": "Bus delayed; arrived 14 minutes late",
            },
            {"type": "identity_check", "at": d + "09:45", "registration_number": REGS[5], "note": ids[5]},
            {"type": "logged_on", "at": d + "09:47", "registration_number": REGS[5]},
            {"type": "start", "at": d + "09:48", "registration_number": REGS[5]},
            {
                "type": "explanation_requested",
                "at": d + "09:58",
                "registration_number": REGS[2],
                "note": "Asked what 'ancillary' means; told the invigilator cannot explain terms",
            },
            {
                "type": "fire_alarm",
                "at": d + "10:05",
                "registration_numbers": REGS,
                "note": "Fire alarm; room evacuated to the car park, candidates supervised throughout",
            },
            {"type": "pause", "at": d + "10:05", "reason": "fire alarm: room evacuated"},
            {"type": "resume", "at": d + "10:21", "reason": "all clear from the fire marshal"},
            {
                "type": "question_issue",
                "at": d + "10:30",
                "registration_number": REGS[1],
                "question_number": "14",
                "assessment_id": "MOT-4-ONL-02",
                "note": "Diagram labels overlap; label C cannot be read",
            },
            {
                "type": "interaction_between_candidates",
                "at": d + "10:34",
                "registration_numbers": REGS[3:5],
                "note": "Whispering between PC-04 and PC-05; separated and warned",
                "recorded_by": "Sam Coordinator",
            },
            {"type": "finish", "at": d + "10:31", "registration_number": REGS[0]},
            {"type": "finish", "at": d + "10:29", "registration_number": REGS[2]},
            {"type": "finish", "at": d + "10:32", "registration_number": REGS[4]},
            {"type": "finish", "at": d + "10:46", "registration_numbers": [REGS[1], REGS[3]]},
            {"type": "finish", "at": d + "11:02", "registration_number": REGS[5]},
        ]
        for i, reg in enumerate(REGS):
            paper.append(
                {
                    "type": "result",
                    "at": d + "11:05",
                    "registration_number": reg,
                    "result": "fail" if i == 3 else "pass",
                }
            )
        paper.append({"type": "sign_off", "at": d + "11:10", "declaration": True})
        _run(data_dir, "session", "log", session_id, _write(work / "paper-log.json", paper))
        station = open_station(data_dir, PASSWORD)
        try:
            sign_off_review(
                station,
                int(session_id),
                "Checked against the paper log; the question issue goes to IMI through the Centres Hub.",
            )
        finally:
            station.close()
        out = docs / "example-record.pdf"
        _run(data_dir, "session", "export", session_id, "--out", out)
        print(_run(data_dir, "verify", out))
    for old in docs.glob("example-record-page-*.png"):
        old.unlink()
    pages = render_pages_png(out.read_bytes(), docs, dpi=70, prefix="example-record-page")
    # pdftoppm pads page numbers (page-01); keep plain numbers (page-1) for stable links.
    for page in pages:
        number = int(page.stem.rsplit("-", 1)[1])
        page.rename(docs / f"example-record-page-{number}.png")
    print(f"{len(pages)} pages")


if __name__ == "__main__":
    main()
