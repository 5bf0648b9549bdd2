"""The parts of the record before the log: summary, invigilator, room checklist, candidates."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from invigilator_app.domain.record import InvigilationRecord, RecordCandidate
from invigilator_app.reports._fonts import BOLD
from invigilator_app.reports._page import FRAME_W
from invigilator_app.reports._style import (
    ALERT,
    BODY,
    CELL_HEAD,
    H2,
    LABEL,
    LABEL_FILL,
    SMALL,
    SMALL_BOLD,
    SUBTITLE,
    TITLE,
    TableCommand,
    blank,
    cell,
    esc,
    fmt_long_date,
    fmt_offset,
    fmt_time,
    grid_table,
    markup,
    para,
    shorten,
)

STATE_LABELS = {
    "planned": "Planned",
    "running": "Running",
    "closed": "Closed (awaiting sign-off)",
    "signed_off": "Signed off",
}

DASH = "\u2014"
VALUE = ParagraphStyle("value", parent=BODY, fontSize=8.5, leading=10.5)


def heading(text: str) -> Paragraph:
    return Paragraph(esc(text), H2)


def section(text: str, space: float = 120) -> list[Flowable]:
    """A section heading that starts a new page unless `space` points are left below it."""
    return [CondPageBreak(space), heading(text)]


def _facts_table(rows: list[tuple[str, object, str, object]]) -> Table:
    """Label/value pairs in two columns of a bordered form."""
    label_w, value_w = 92.0, FRAME_W / 2 - 92.0
    data = []
    extra: list[TableCommand] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL)]
    for i, (l1, v1, l2, v2) in enumerate(rows):
        cells: list[object] = [para(l1, LABEL), v1 if isinstance(v1, Flowable) else para(v1 or DASH, VALUE)]
        if l2:
            cells += [para(l2, LABEL), v2 if isinstance(v2, Flowable) else para(v2 or DASH, VALUE)]
            extra.append(("BACKGROUND", (2, i), (2, i), LABEL_FILL))
        else:
            cells += ["", ""]
            extra.append(("SPAN", (1, i), (3, i)))
        data.append(cells)
    return grid_table(data, [label_w, value_w, label_w, value_w], header_rows=0, zebra=False, extra=extra)


def summary(record: InvigilationRecord) -> list[Flowable]:
    day = record.date
    times = f"{fmt_time(record.start, day) or DASH} \u2013 {fmt_time(record.end, day) or DASH}"
    offset = fmt_offset(record.start)
    zone = f"{record.zone}{f', {offset}' if offset else ''}"
    state = STATE_LABELS.get(record.state, record.state.replace("_", " ").capitalize())
    facts = _facts_table(
        [
            ("Centre", record.centre_name, "Centre number", record.centre_number),
            ("Address", record.centre_address, "Site", record.site or "not recorded"),
            ("Room", record.room, "Session", f"{record.session_id}  \u00b7  {state}"),
            ("Date", fmt_long_date(day), "Start \u2013 end", f"{times}  ({zone})"),
        ]
    )
    return [
        Paragraph("Invigilation record", TITLE),
        Paragraph(
            "Record of invigilated online assessments, for the awarding body (IMI Centres Hub) "
            "and for external quality assurance visits. All times are the centre's local time.",
            SUBTITLE,
        ),
        Spacer(1, 6),
        facts,
    ]


def invigilator(record: InvigilationRecord) -> list[Flowable]:
    facts = _facts_table(
        [
            ("Invigilator", record.invigilator_name, "IMI PIN", record.invigilator_pin),
            ("Status", record.invigilator_status, "", ""),
        ]
    )
    note = Paragraph(
        "INV-1: candidates were logged on only by this approved invigilator with their own PIN; the "
        "password is never asked for, stored or shown. INV-2 / INV-3: the status shows whether the "
        "invigilator is impartial or an assessor authorised by the coordinator.",
        ParagraphStyle("note", parent=SMALL, textColor=SUBTITLE.textColor),
    )
    return [KeepTogether([heading("Invigilator (INV-1, INV-2, INV-3)"), facts, Spacer(1, 3), note])]


def checklist(record: InvigilationRecord) -> list[Flowable]:
    head = [para(h, CELL_HEAD) for h in ("Rule", "Checked before the session started", "Answer", "Note")]
    rows: list[list[object]] = [head]
    alerts = []
    for i, item in enumerate(record.checklist, start=1):
        answer = item.answer.strip()
        ok = answer.lower() in {"yes", "y", "true", "done", "n/a", "not applicable"}
        rows.append(
            [
                para(item.rule_id, SMALL_BOLD),
                para(item.text),
                para(answer.capitalize() if answer else "\u2014", SMALL_BOLD),
                para(item.note) if item.note else blank(""),
            ]
        )
        if not ok:
            alerts.append(("TEXTCOLOR", (2, i), (2, i), ALERT))
    flow: list[Flowable] = section(
        "Remote checklist (REMOTE-1 to REMOTE-6, and ROOM-2, 4, 5 at each location)"
        if record.remote
        else "Room checklist (ROOM-1 to ROOM-8)"
    )
    if len(rows) == 1:
        flow.append(para("No room checklist was recorded.", BODY))
        return flow
    flow.append(grid_table(rows, [54, 380, 60, FRAME_W - 494], extra=alerts))
    return flow


def _times(c: RecordCandidate, day: str) -> str:
    return "\n".join(
        f"{label} {fmt_time(value, day) if value else DASH}"
        for label, value in (("Start", c.start), ("Planned", c.planned_finish), ("Finish", c.finish))
    )


def _flags(c: RecordCandidate) -> str:
    parts = [f"Attempt {c.attempt_number}", "Resit" if c.resit else "Not a resit"]
    if c.chargeable:
        parts.append("Chargeable")
    return "\n".join(parts)


def _paper(c: RecordCandidate) -> str:
    if not c.paper_issued and not c.paper_collected:
        return "Not issued"
    issued = "Issued" if c.paper_issued else "Not issued"
    collected = "collected" if c.paper_collected else "NOT collected"
    return f"{issued},\n{collected}"


def _identity(c: RecordCandidate) -> str:
    check = esc(c.identity_check) if c.identity_check else "<i>No identity check recorded</i>"
    logon = "\u2713 log-on at allocated PC" if c.logged_on_confirmed else "Log-on not confirmed"
    return f"{check}<br/><font color='#5A6570'>{logon}</font>"


CANDIDATE_COLUMNS: list[tuple[str, float]] = [
    ("#", 18),
    ("Candidate<br/>Registration no.", 92),
    ("Assessment", 140),
    ("Qualifi\u00adcation", 62),
    ("Work\u00adstation", 38),
    ("Identity check (CAND-1)", 118),
    ("Times", 64),
    ("Outcome,<br/>result", 50),
    ("Paper<br/>(ROOM-8)", 60),
    ("Attempt<br/>(CAND-9)", 51),
]


def _outcome(c: RecordCandidate) -> str:
    outcome = c.outcome.replace("_", " ").capitalize() if c.outcome else DASH
    lines = [outcome]
    if c.register and c.register not in ("present", c.outcome, "not yet marked"):
        lines.append(c.register[0].upper() + c.register[1:])
    if c.result:
        lines.append(c.result)
    return "\n".join(lines)


def candidates(record: InvigilationRecord) -> list[Flowable]:
    columns = [*CANDIDATE_COLUMNS, ("Access arrangements", FRAME_W - sum(w for _, w in CANDIDATE_COLUMNS))]
    rows: list[list[object]] = [
        [markup("Loca\u00adtion" if record.remote and h.startswith("Work") else h, CELL_HEAD) for h, _ in columns]
    ]
    w = [width for _, width in columns]
    day = record.date
    for i, c in enumerate(record.candidates, start=1):
        rows.append(
            [
                cell(i, w[0]),
                markup(f"<b>{esc(shorten(c.name))}</b><br/>{esc(c.registration_number)}"),
                markup(f"<b>{esc(c.assessment_id)}</b> {esc(c.assessment_title)}"),
                cell(c.qualification, w[3], bold=True),
                cell(c.workstation, w[4]),
                markup(_identity(c)),
                cell(_times(c, day), w[6]),
                cell(_outcome(c), w[7]),
                cell(_paper(c), w[8]),
                cell(_flags(c), w[9]),
                cell(c.access_arrangements, w[10]) if c.access_arrangements else blank(),
            ]
        )
    flow: list[Flowable] = section(f"Candidates ({len(record.candidates)})")
    if len(rows) == 1:
        flow.append(para("No candidates were allocated to this session.", BODY))
        return flow
    flow.append(grid_table(rows, w, extra=[("FONTNAME", (3, 1), (3, -1), BOLD)]))
    flow += _qualifications(record)
    return flow


def _qualifications(record: InvigilationRecord) -> list[Flowable]:
    """Each qualification's title once, under the candidate table."""
    titles: dict[str, str] = {}
    for c in record.candidates:
        titles.setdefault(c.qualification, c.qualification_title)
    rows: list[list[object]] = [[para("Qualification", CELL_HEAD), para("Title", CELL_HEAD)]]
    rows += [[cell(number, 90, bold=True), para(title)] for number, title in sorted(titles.items())]
    table = grid_table(rows, [90, FRAME_W - 90], extra=[("FONTNAME", (0, 1), (0, -1), BOLD)])
    return [Spacer(1, 6), KeepTogether([para("Qualifications in this session", SMALL_BOLD), Spacer(1, 2), table])]
