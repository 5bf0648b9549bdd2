"""Helpers for the report tests: a realistic record and PDF page rendering."""

from __future__ import annotations

import functools
import itertools
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from invigilator_app.domain.record import (
    InvigilationRecord,
    RecordCandidate,
    RecordChecklistItem,
    RecordEntry,
    RecordWorkstation,
)

PDFTOPPM = shutil.which("pdftoppm")

NAMES = [
    "Liam O'Neill",
    "Zoë Whitfield",
    "Siân Pritchard",
    "Dara Ó Briain",
    "Nguyễn Văn An",
    "Oluwaseun Adeyemi-Bankole",
    "Grace Thompson",
    "Mohammed Al-Rashid",
    "Chloé Dubois",
    "Jack Robinson",
    "Aleksandra Wiśniewska",
    "Tomás Ó Súilleabháin",
    "Priya Venkataraman",
    "Bartholomew Fitzwilliam-Montgomery",
    "Eilidh MacLeod",
    "Kwame Mensah",
    "Hannah Schröder",
    "Rhys Llewelyn",
    "Sofia Russo",
    "Callum McAllister",
    "Amélie Laurent",
    "Tariq Hussain",
    "Ffion Jones",
    "Jakub Nowak",
    "Megan O'Sullivan",
    "Daniel Okafor",
    "Zsófia Horváth",
    "Ewan Campbell",
    "Leah Goldberg",
    "Şebnem Yılmaz",  # noqa: RUF001  (a Turkish dotless i, on purpose)
    "Connor Byrne",
    "Isla Fraser",
    "Mateusz Kowalczyk",
    "Ruby Clarke",
    "Dmitri Volkov",
    "Aoife Nic Giolla",
    "Ben Carter",
    "Yasmin Haddad",
    "Owen Price",
    "Saoirse Kennedy",
]

ASSESSMENTS = [
    (
        "3.1A",
        "Light Vehicle Maintenance and Repair Principles: Electrical and Electronic Systems",
        "603/2577/5",
        "IMI Level 3 Diploma in Light Vehicle Maintenance and Repair Principles",
    ),
    (
        "MOT-2",
        "MOT Testing (Class 4 and 7): Annual Assessment 2024-25",
        "603/5432/1",
        "IMI Level 2 Award in MOT Testing (Classes 4 and 7)",
    ),
    (
        "EV-L3",
        "Electric/Hybrid Vehicle System Repair and Replacement: Working Safely with High-Voltage Systems, "
        "Isolation, Re-energisation and Post-Repair Verification",
        "603/4099/1",
        "IMI Level 3 Award in Electric/Hybrid Vehicle System Repair and Replacement",
    ),
    (
        "AC-2",
        "Refrigerant Handling (Mobile Air Conditioning)",
        "603/1788/2",
        "IMI Level 2 Award in Mobile Air Conditioning",
    ),
    (
        "2.4B",
        "Principles of Light Vehicle Chassis Units and Components",
        "603/2576/3",
        "IMI Level 2 Diploma in Light Vehicle Maintenance and Repair Principles",
    ),
]

ENTRY_TYPES = [
    ("late_arrival", "Late arrival"),
    ("explanation_requested", "Explanation or pronunciation requested"),
    ("it_issue", "IT issue"),
    ("question_issue", "Question or diagram issue"),
    ("interaction_between_candidates", "Interaction between candidates"),
    ("reader_used", "Reader used"),
    ("emergency", "Emergency"),
    ("other", "Other"),
    ("submitted_early", "Assessment submitted before completion"),
    ("suspected_malpractice", "Suspected malpractice"),
]


def _iso(base: datetime, minutes: float) -> str:
    return (base + timedelta(minutes=minutes)).isoformat()


def sample_record(n_candidates: int = 30, n_entries: int = 40) -> InvigilationRecord:
    """A realistic record: accented names, very long titles, every kind of marker."""
    base = datetime.fromisoformat("2025-03-14T09:00:00+00:00")
    candidates: list[RecordCandidate] = []
    workstations: list[RecordWorkstation] = []
    cols = 6
    for i in range(n_candidates):
        name = NAMES[i % len(NAMES)] if i < len(NAMES) else f"Candidate {i + 1}"
        aid, title, qual, qual_title = ASSESSMENTS[i % len(ASSESSMENTS)]
        if i == 2:
            title = (
                "Heavy Vehicle Maintenance and Repair Principles: Diagnosis and Rectification of "
                "Complex Electrical Faults in CAN-Bus Networks (120)"
            )
        initials = "".join(part[0] for part in name.replace("-", " ").split() if part[0].isupper())[:3]
        label = f"PC{i + 1:02d}"
        row, col = divmod(i, cols)
        workstations.append(
            RecordWorkstation(
                label=label,
                x=1.0 + col * 1.6,
                y=2.0 + row * 1.8,
                screen=(col % 2 == 1),
                privacy_filter=(row % 2 == 0),
                initials=initials,
            )
        )
        absent = i == 7
        withdrawn = i == 11
        start = "" if absent else _iso(base, 32 + (i % 4))
        planned = "" if absent else _iso(base, 32 + (i % 4) + (75 if i % 9 == 4 else 60))
        finish = "" if absent or withdrawn or i == 5 else _iso(base, 80 + i)
        outcome = "absent" if absent else "withdrawn" if withdrawn else "started" if i == 5 else "finished"
        candidates.append(
            RecordCandidate(
                name=name,
                registration_number=f"IMI{240100 + i * 37:07d}",
                assessment_id=aid,
                assessment_title=title,
                qualification=qual,
                qualification_title=qual_title,
                workstation=label,
                initials=initials,
                identity_check=""
                if absent
                else f"09:{10 + i % 20:02d} photo ID ({'passport' if i % 3 else 'driving licence'}), "
                "match confirmed by A. Patel",
                logged_on_confirmed=not absent,
                start=start,
                finish=finish,
                planned_finish=planned,
                outcome=outcome,
                result="" if outcome != "finished" else ("Pass" if i % 4 else "Referral"),
                paper_issued=i % 3 == 0,
                paper_collected=i % 3 == 0 and i != 9,
                attempt_number=1 + (i % 5 == 1) + (i % 10 == 1),
                resit=i % 5 == 1,
                chargeable=i % 10 == 1,
                access_arrangements="25% extra time; supervised rest breaks"
                if i % 9 == 4
                else ("Reader (in Room 4, supervised by J. Smith)" if i == 6 else ""),
            )
        )
    entries: list[RecordEntry] = []
    for j in range(n_entries):
        type_id, label = ENTRY_TYPES[j % len(ENTRY_TYPES)]
        cand = candidates[(j * 7) % n_candidates]
        entry = RecordEntry(
            at=_iso(base, 30 + j * 2.5),
            type=type_id,
            type_label=label,
            candidates=[f"{cand.name} ({cand.registration_number})"],
            note=f"Entry {j + 1}: "
            + (
                "Candidate reported the workstation froze during question navigation; "
                "invigilator restarted the browser and the candidate resumed after four minutes. "
                "Clock paused for the affected candidate and finish time recalculated."
                if j % 4 == 2
                else "Brief note recorded by the invigilator."
            ),
            recorded_by="A. Patel",
        )
        if type_id == "question_issue":
            entry.question_number = f"Q{12 + j}"
            entry.assessment_id = cand.assessment_id
            entry.note = f"Entry {j + 1}: diagram label missing on the wiring schematic."
            entry.notify = "Awarding body (IMI)"
            entry.notified_at = _iso(base, 45 + j * 2.5)
            entry.notification_reference = f"IMI-CH-{88120 + j}"
        if type_id == "suspected_malpractice":
            entry.notify = "Centre coordinator"
            entry.notified_at = "" if j % 20 == 19 else _iso(base, 40 + j * 2.5)
        if type_id == "it_issue":
            entry.notify = "Awarding body (IMI)"
        if j % 6 == 5:
            entry.transcribed = True
        if j % 7 == 3:
            entry.late = True
            entry.late_reason = "Recorded after the fire drill; paper notes transcribed"
        if j % 8 == 6:
            entry.amendments = [
                "2025-03-14 12:05 R. Evans: corrected candidate from PC04 to PC05 (seat swap noted on paper)"
            ]
        if j % 11 == 10:
            entry.flags = ["Needs coordinator follow-up"]
        if j == 0:
            entry.candidates = [f"{c.name} ({c.registration_number})" for c in candidates[:4]]
        entries.append(entry)
    checklist = [
        RecordChecklistItem(
            "ROOM-1",
            "Workstations at least 1.5 m apart, or screens or privacy filters; the invigilator can see every candidate",
            "yes",
        ),
        RecordChecklistItem("ROOM-2", "Suitable seating, adequate light, free from noise and distraction", "yes"),
        RecordChecklistItem(
            "ROOM-3",
            "Room clear of charts, posters or anything that could help",
            "yes",
            "Wall charts covered with paper",
        ),
        RecordChecklistItem("ROOM-4", "\u201cAuto save\u201d disabled on every machine", "yes"),
        RecordChecklistItem(
            "ROOM-5",
            "No websites or programs other than the assessment pages",
            "yes",
            "MOT candidates: MOT Testing Guide allowed",
        ),
        RecordChecklistItem(
            "ROOM-6",
            "No books, papers, phones, smart watches, recording or storage devices",
            "yes",
            "Phones collected in labelled box at the door",
        ),
        RecordChecklistItem(
            "ROOM-7", "The invigilator can summon help without leaving the room", "yes", "Internal phone ext. 214"
        ),
        RecordChecklistItem(
            "ROOM-8", "Blank paper issued is collected and destroyed before the candidate leaves", "yes"
        ),
    ]
    return InvigilationRecord(
        centre_name="Northfield College of Motor Vehicle Engineering",
        centre_number="C123456",
        centre_address="Unit 4, Lakeside Business Park, Ashby Road, Loughborough LE11 3TU",
        site="Loughborough (lead site)",
        room="Room 2 (Automotive IT suite)",
        session_id=1042,
        date="2025-03-14",
        start=_iso(base, 30),
        end=_iso(base, 195),
        state="signed_off",
        invigilator_name="Anjali Patel",
        invigilator_pin="473920",
        invigilator_status="Impartial (no industry background declared); nominated by the coordinator",
        checklist=checklist,
        candidates=candidates,
        workstations=workstations,
        desk=(4.5, 0.6),
        door=(9.6, 0.0),
        entries=entries,
        acknowledged_warnings=[
            "CAND-4: no notice date recorded for Jack Robinson; acknowledged by R. Evans at 2025-03-13 16:40",
            "CAND-9: second resit for Zoë Whitfield is chargeable; acknowledged by R. Evans at 2025-03-13 16:42",
        ],
        authorisations=[],
        signed_off_by="Anjali Patel",
        signed_off_at=_iso(base, 200),
        reviewed_by="Rhiannon Evans (centre coordinator)",
        reviewed_at="2025-03-14T15:20:00+00:00",
        review_comment="Question issue reported to IMI; malpractice entry referred for investigation.",
        audit_checkpoint="audit#5812 sha256:4f1c9a0d7be2e3316a0e5c9f1b2d7a88c1e04f6a9b3d2c7e8f0a1b2c3d4e5f60",
        generated_at="2025-03-14T15:31:07+00:00",
    )


def render_pages_png(pdf_bytes: bytes, out_dir: Path, dpi: int = 80, prefix: str = "page") -> list[Path]:
    """Render every page with pdftoppm; returns the PNG paths in page order."""
    if PDFTOPPM is None:
        raise RuntimeError("pdftoppm is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{prefix}.pdf"
    pdf_path.write_bytes(pdf_bytes)
    subprocess.run(
        [PDFTOPPM, "-png", "-r", str(dpi), str(pdf_path), str(out_dir / prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf_path.unlink()
    pages = sorted(out_dir.glob(f"{prefix}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return pages


def pdf_pages_text(pdf_bytes: bytes) -> list[str]:
    """The text of every page, as pypdf extracts it."""
    import io

    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf_bytes)).pages]


def squash(text: str) -> str:
    """Text without any whitespace, so a fact wrapped over two lines still matches."""
    return "".join(text.split())


def overlapping_text(pdf_bytes: bytes) -> list[str]:
    """Each place where a piece of text runs into the next one on its line (a table cell
    too narrow for its text, say), as "page N: 'this' runs into 'that'". Text positions as
    pypdf reads them; widths measured with the report's own fonts."""
    import io

    from pypdf import PdfReader
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from invigilator_app.reports._fonts import BOLD, ITALIC, REGULAR, register_fonts

    register_fonts()
    found: list[str] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf_bytes)).pages, start=1):
        lines: dict[float, list[tuple[float, float, str, float]]] = {}
        page.extract_text(visitor_text=functools.partial(_text_run, lines, stringWidth, (REGULAR, BOLD, ITALIC)))
        for runs in lines.values():
            for (_, end, text, _), (start, _, after, _) in itertools.pairwise(sorted(runs)):
                if end > start + 0.5:
                    found.append(f"page {number}: {text!r} runs into {after!r}")
    return found


def _text_run(
    lines: dict[float, list[tuple[float, float, str, float]]],
    width: Any,
    fonts: tuple[str, str, str],
    text: str,
    cm: list[float],
    tm: list[float],
    font: Any,
    size: float,
) -> None:
    """One piece of text pypdf read, kept by its line as (start, end, text, where pypdf
    said it starts)."""
    text = text.rstrip("\n")
    if not text.strip() or font is None or cm[1] or cm[2] or tm[1] or tm[2]:
        return  # nothing to see, or turned (a stamp across the page is meant to cross text)
    regular, bold, italic = fonts
    base = str(font.get("/BaseFont", ""))
    name = bold if "Bold" in base else italic if "Oblique" in base else regular
    x = said = cm[4] + tm[4] * cm[0]
    line = lines.setdefault(round(cm[5] + tm[5] * cm[3], 1), [])
    if line and abs(line[-1][3] - said) < 0.01:  # a change of font within a line: pypdf gives
        x = line[-1][1]  # the line's start again, and the text goes on where it was
    line.append((x, x + width(text, name, size * tm[0] * cm[0]), text, said))
