"""The malpractice / maladministration report (003) as a PDF form: every field the
awarding body asks for, the log entries it was drafted from, and what is still missing."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from invigilator_app.domain.malpractice import FIELD_LABELS, MalpracticeReportView
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

NOT_GIVEN = "NOT GIVEN"


def _value(text: str) -> Paragraph:
    if text.strip():
        return Paragraph(esc(text), BODY)
    return Paragraph(f'<font color="{ALERT.hexval().replace("0x", "#")}"><b>{NOT_GIVEN}</b></font>', BODY)


def _form(rows: list[tuple[str, str]]) -> Flowable:
    label_w = 150.0
    data: list[list[object]] = [[Paragraph(esc(label), LABEL), _value(value)] for label, value in rows]
    return grid_table(
        data,
        [label_w, FRAME_W - label_w],
        header_rows=0,
        zebra=False,
        extra=[("BACKGROUND", (0, 0), (0, -1), LABEL_FILL)],
    )


def render_malpractice(report: MalpracticeReportView, centre_label: str, generated_at: str) -> bytes:
    register_fonts()  # before any paragraph: reportlab resolves the fonts when one is made
    f = report.fields
    story: list[Flowable] = [
        Paragraph("Malpractice / maladministration report", TITLE),
        Paragraph(
            esc(
                f"To IMI Quality and Compliance \u00b7 report {report.id} \u00b7 drafted {report.created_at} by "
                f"{report.created_by} \u00b7 {'under investigation' if report.under_investigation else 'closed'}"
                f" \u00b7 records kept until at least {report.retain_until}"
            ),
            SUBTITLE,
        ),
        Spacer(1, 6),
    ]
    missing = report.missing
    if missing:
        story.append(
            Paragraph(
                esc(f"Still missing ({len(missing)}): " + "; ".join(missing) + "."),
                BODY.clone("missing", textColor=ALERT),
            )
        )
    story.append(Paragraph("The case", H2))
    story.append(_form([(FIELD_LABELS[k], getattr(f, k)) for k in ("nature", "dates", "product")]))
    story.append(Paragraph("The centre", H2))
    story.append(_form([(FIELD_LABELS[k], getattr(f, k)) for k in ("centre_name", "centre_address", "centre_number")]))
    story.append(Paragraph("Learner(s)", H2))
    if f.learners:
        widths = [FRAME_W * 0.45, FRAME_W * 0.25, FRAME_W * 0.30]
        rows: list[list[object]] = [
            [Paragraph(h, CELL_HEAD) for h in ("Name", "Date of birth", "IMI registration number")]
        ]
        rows += [
            [cell(x.name or NOT_GIVEN, widths[0]), x.date_of_birth or NOT_GIVEN, x.registration_number or NOT_GIVEN]
            for x in f.learners
        ]
        story.append(grid_table(rows, widths))
    else:
        story.append(_value(""))
    story.append(Paragraph("People involved", H2))
    story.append(_form([(FIELD_LABELS[k], getattr(f, k)) for k in ("centre_staff", "awarding_body_staff")]))
    story.append(Paragraph("Initial investigation", H2))
    story.append(
        _form(
            [(FIELD_LABELS[k], getattr(f, k)) for k in ("initial_investigation", "outcome", "mitigating_circumstances")]
        )
    )
    story.append(Paragraph("Reporter", H2))
    story.append(_form([(FIELD_LABELS[k], getattr(f, k)) for k in ("reporter", "conflict_of_interest")]))
    if report.entries:
        story.append(Paragraph("Log entries this report was drafted from", H2))
        widths = [40.0, 48.0, 92.0, 110.0, FRAME_W - 290.0]
        rows = [[Paragraph(h, CELL_HEAD) for h in ("Entry", "Session", "When", "What", "Candidates and note")]]
        for e in report.entries:
            rows.append(
                [
                    str(e.id),
                    str(e.session_id),
                    e.at,
                    cell(e.type_label, widths[3]),
                    cell(f"{e.candidates}\n{e.note}".strip(), widths[4]),
                ]
            )
        story.append(grid_table(rows, widths))
    return build_pdf(
        story,
        title=f"Malpractice report {report.id}",
        author=centre_label,
        subject="Malpractice / maladministration",
        header_left=centre_label,
        header_right=f"Malpractice report {report.id}",
        footer=f"Generated {generated_at} by the invigilation station \u00b7 confidential",
    )
