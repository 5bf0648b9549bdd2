"""The EQA visit report for the centre's file: the visit, the sampling plan with what was
looked at, the actions with their dates, evidence and sign-off, and the sessions of the
period."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from invigilator_app.domain.quality import VisitReport
from invigilator_app.reports._doc import FRAME_W, build_pdf
from invigilator_app.reports._fonts import register_fonts
from invigilator_app.reports._style import (
    ALERT,
    BODY,
    CELL_HEAD,
    H2,
    LABEL,
    LABEL_FILL,
    SUBTITLE,
    TITLE,
    cell,
    esc,
    grid_table,
)


def _form(rows: list[tuple[str, str]]) -> Flowable:
    label_w = 150.0
    data: list[list[object]] = [[Paragraph(esc(k), LABEL), Paragraph(esc(v or "\u2014"), BODY)] for k, v in rows]
    return grid_table(
        data,
        [label_w, FRAME_W - label_w],
        header_rows=0,
        zebra=False,
        extra=[("BACKGROUND", (0, 0), (0, -1), LABEL_FILL)],
    )


def _table(headers: list[str], rows: list[list[str]], fractions: list[float]) -> Flowable:
    widths = [FRAME_W * f for f in fractions]
    data: list[list[object]] = [[Paragraph(h, CELL_HEAD) for h in headers]]
    data += [[cell(v, w) for v, w in zip(row, widths, strict=True)] for row in rows]
    return grid_table(data, widths)


def render_visit_report(report: VisitReport) -> bytes:
    register_fonts()
    label = f"{report.centre_name} ({report.centre_number})"
    story: list[Flowable] = [
        Paragraph("EQA monitoring visit", TITLE),
        Paragraph(
            esc(
                f"Visit {report.visit_id} \u00b7 {report.eqa_name} \u00b7 {report.kind} \u00b7 "
                f"{report.planned_on} \u00b7 {report.site_type} site"
            ),
            SUBTITLE,
        ),
        Spacer(1, 6),
        _form(
            [
                ("External quality assurer", report.eqa_name),
                ("Visit", f"{report.kind}, {report.planned_on}"),
                ("Period looked at", report.period),
                ("Schedule received on", report.schedule_received_on),
                ("Sampling plan received on", report.sampling_plan_received_on),
                ("Inspector account used", report.inspector),
                ("Notes", report.notes),
            ]
        ),
        Paragraph("Sampling plan", H2),
    ]
    if report.samples:
        story.append(
            _table(
                ["Item", "Looked at", "By"],
                [[s.label, s.looked_at or "not yet", s.looked_by] for s in report.samples],
                [0.62, 0.2, 0.18],
            )
        )
    else:
        story.append(Paragraph("No sampling plan recorded.", BODY))
    story.append(Paragraph("Actions", H2))
    overdue = [a for a in report.actions if a.state == "overdue"]
    if overdue:
        story.append(
            Paragraph(
                esc(f"{len(overdue)} action(s) overdue: the awarding body may apply sanctions."),
                BODY.clone("overdue", textColor=ALERT),
            )
        )
    if report.actions:
        story.append(
            _table(
                ["No.", "Action", "Due", "State", "Evidence", "EQA sign-off"],
                [
                    [str(a.id), a.text, a.due_on, f"{a.state}: {a.when}", a.evidence, a.signed_off or "not yet"]
                    for a in report.actions
                ],
                [0.06, 0.3, 0.1, 0.17, 0.17, 0.2],
            )
        )
    else:
        story.append(Paragraph("No actions raised.", BODY))
    story.append(Paragraph("Sessions in the period", H2))
    if report.sessions:
        story.append(
            _table(
                ["Session", "Day", "Room", "State"],
                [
                    [str(s.id), s.day, s.room + (" (remotely invigilated)" if s.remote else ""), s.state]
                    for s in report.sessions
                ],
                [0.12, 0.22, 0.4, 0.26],
            )
        )
    else:
        story.append(Paragraph("No sessions in the period.", BODY))
    return build_pdf(
        story,
        title=f"EQA visit {report.visit_id}",
        author=label,
        subject="EQA monitoring visit",
        header_left=label,
        header_right=f"EQA visit {report.visit_id}",
        footer=f"Generated {report.generated_at} by {report.generated_by} on the invigilation station \u00b7 signed",
        part=3,  # signed with its data attached as an associated file, as the record is: PDF/A-3b
    )
