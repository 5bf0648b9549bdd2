"""The parts of the record after the candidates: seating plan, log, warnings, sign-off."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from invigilator_app.domain.record import InvigilationRecord, RecordEntry
from invigilator_app.reports._fonts import BOLD
from invigilator_app.reports._page import FRAME_H, FRAME_W
from invigilator_app.reports._sections import DASH, heading, section
from invigilator_app.reports._style import (
    ALERT,
    BODY,
    CELL_HEAD,
    LABEL,
    LABEL_FILL,
    MUTED,
    SMALL,
    SMALL_BOLD,
    WARN,
    blank,
    cell,
    esc,
    fmt_time,
    grid_table,
    markup,
    para,
    parse_time,
    shorten_person,
)
from invigilator_app.reports.seating import SeatingPlan

ALERT_HEX = "#" + ALERT.hexval()[2:]
WARN_HEX = "#" + WARN.hexval()[2:]


def seating(record: InvigilationRecord) -> list[Flowable]:
    title = "Seating plan (to scale, metres)"
    if not record.workstations:
        return [*section(title), para("No seating plan was recorded.", BODY)]
    plan = SeatingPlan(
        record.workstations,
        record.candidates,
        record.desk,
        record.door,
        width=FRAME_W,
        page_height=FRAME_H - 40,
        facing=record.facing,
    )
    return [*section(title, space=plan.min_height + 40), plan]


def _sort_key(entry: RecordEntry) -> tuple[int, float, str]:
    """Time order; an unparsable time sorts after the rest, by its text."""
    moment = parse_time(entry.at)
    if moment is None:
        return (1, 0.0, entry.at)
    return (0, moment.timestamp(), "")


def _question(entry: RecordEntry, width: float) -> object:
    parts = []
    if entry.question_number:
        parts.append(f"Question {entry.question_number}")
    if entry.assessment_id:
        parts.append(f"Assessment {entry.assessment_id}")
    return cell("\n".join(parts), width) if parts else blank("")


def _notification(entry: RecordEntry, day: str) -> object:
    if not entry.notify:
        return blank("")
    parts = [f"Notify: <b>{esc(entry.notify)}</b>"]
    if entry.notified_at:
        parts.append(f"Notified {esc(fmt_time(entry.notified_at, day))}")
    else:
        parts.append(f"<font color='{ALERT_HEX}'><b>Not yet notified</b></font>")
    if entry.notification_reference:
        parts.append(f"Ref. {esc(entry.notification_reference)}")
    return markup("<br/>".join(parts))


def _markers(entry: RecordEntry) -> object:
    parts = []
    if entry.transcribed:
        typed = f" (typed in by {esc(entry.typed_by)})" if entry.typed_by else ""
        parts.append(f"Transcribed from paper{typed}")
    if entry.late:
        reason = f": {esc(entry.late_reason)}" if entry.late_reason else ""
        parts.append(f"<b>Late entry</b>{reason}")
    if entry.amendments:
        parts.append(f"Amended ({len(entry.amendments)})")
    for flag in entry.flags:
        parts.append(f"<font color='{WARN_HEX}'>\u2691 {esc(flag)}</font>")
    return markup("<br/>".join(parts)) if parts else blank("")


def _note(entry: RecordEntry) -> object:
    text = esc(entry.note) if entry.note else f"<i>{DASH}</i>"
    for amendment in entry.amendments:
        text += f"<br/><font color='{WARN_HEX}'><i>Amendment: {esc(amendment)}</i></font>"
    return markup(text)


LOG_COLUMNS: list[tuple[str, float]] = [
    ("Time", 34),
    ("Type", 82),
    ("Candidates", 124),
    ("Note", 0),
    ("Question", 60),
    ("Recorded by", 58),
    ("Notification", 102),
    ("Markers", 96),
]


def log(record: InvigilationRecord) -> list[Flowable]:
    fixed = sum(w for _, w in LOG_COLUMNS)
    w = [width or FRAME_W - fixed for _, width in LOG_COLUMNS]
    rows: list[list[object]] = [[para(h, CELL_HEAD) for h, _ in LOG_COLUMNS]]
    day = record.date
    for entry in sorted(record.entries, key=_sort_key):
        rows.append(
            [
                cell(fmt_time(entry.at, day), w[0], bold=True),
                cell(entry.type_label or entry.type, w[1], bold=True),
                cell("\n".join(shorten_person(c) for c in entry.candidates), w[2]) if entry.candidates else blank(),
                _note(entry),
                _question(entry, w[4]),
                cell(entry.recorded_by, w[5]) if entry.recorded_by else blank(),
                _notification(entry, day),
                _markers(entry),
            ]
        )
    flow: list[Flowable] = section(f"Log of the session ({len(record.entries)} entries, in time order)")
    if len(rows) == 1:
        flow.append(para("Nothing was logged during this session.", BODY))
        return flow
    flow.append(grid_table(rows, w, extra=[("FONTNAME", (0, 1), (1, -1), BOLD)]))
    return flow


def _bullets(items: list[str], empty: str) -> list[Flowable]:
    if not items:
        return [para(empty, ParagraphStyle("none", parent=BODY, textColor=MUTED))]
    return [Paragraph(esc(item), BODY, bulletText="\u2022") for item in items]


def warnings(record: InvigilationRecord) -> list[Flowable]:
    return [
        KeepTogether([heading("Acknowledged warnings"), *_bullets(record.acknowledged_warnings, "None.")]),
        KeepTogether([heading("Authorisations"), *_bullets(record.authorisations, "None.")]),
    ]


def _sign_block(
    title: str, name: str, at: str, day: str, comment: str | None, typed_by: str = ""
) -> list[list[object]]:
    line = "_" * 34
    rows: list[list[object]] = [[para(title, CELL_HEAD), ""]]
    if name:
        rows.append([para("Name", LABEL), para(name, SMALL_BOLD)])
        rows.append([para("Date and time", LABEL), para(fmt_time(at, "") if at else DASH)])
        if typed_by:
            rows.append([para("Given", LABEL), para(f"on the paper log, with the declaration; typed in by {typed_by}")])
    else:
        rows.append([para("Name", LABEL), para(f"{line}  (not yet)")])
        rows.append([para("Signature", LABEL), para(line)])
        rows.append([para("Date and time", LABEL), para(line)])
    if comment is not None:
        rows.append([para("Comment", LABEL), para(comment) if comment else blank()])
    return rows


def sign_off(record: InvigilationRecord) -> list[Flowable]:
    half = FRAME_W / 2 - 6
    left = _sign_block(
        "Signed off by the invigilator",
        record.signed_off_by,
        record.signed_off_at,
        record.date,
        None,
        record.sign_off_typed_by,
    )
    right = _sign_block(
        "Reviewed by the centre coordinator", record.reviewed_by, record.reviewed_at, record.date, record.review_comment
    )
    tables = []
    for rows in (left, right):
        extra = [("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 1), (0, -1), LABEL_FILL)]
        tables.append(grid_table(rows, [88, half - 88], zebra=False, extra=extra))
    pair = Table(
        [[tables[0], "", tables[1]]],
        colWidths=[half, 12, half],
        hAlign="LEFT",
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    checkpoint = record.audit_checkpoint
    integrity = [
        heading("Audit checkpoint and integrity"),
        markup(
            f"Audit checkpoint: <b>{esc(checkpoint)}</b>" if checkpoint else "Audit checkpoint: <i>none recorded</i>",
            BODY,
        ),
        Spacer(1, 3),
        Paragraph(
            "The station signs this PDF and attaches the record's data (invigilation-record.json). "
            "Any change after signing is detected by <b>invigilator-app verify</b> on this file.",
            ParagraphStyle("integrity", parent=SMALL, textColor=MUTED),
        ),
    ]
    return [KeepTogether([heading("Sign-off and review"), pair]), KeepTogether(integrity)]
