"""The pattern report as a PDF: the thresholds, a chart for each pattern where a picture
is quicker than a list, and every finding to follow up."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from invigilator_app.domain.patterns import Chart, PatternKind, PatternReport
from invigilator_app.domain.timezones import local
from invigilator_app.reports._doc import FRAME_W, PageDone, build_pdf
from invigilator_app.reports._fonts import BOLD, REGULAR, register_fonts
from invigilator_app.reports._style import (
    ALERT,
    BODY,
    CELL_HEAD,
    H2,
    MUTED,
    NAVY,
    SMALL_MUTED,
    SUBTITLE,
    TITLE,
    cell,
    esc,
    long_grid_table,
    para,
)

BAR = colors.HexColor("#7C93AD")
FLAGGED = colors.HexColor("#A0202A")


def chart_drawing(chart: Chart, width: float = FRAME_W, height: float = 135) -> Drawing:
    """A bar chart; flagged bars are dark red and their labels carry a "*"."""
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 36, 34
    bars.width, bars.height = width - 50, height - 52
    bars.data = [[b.value for b in chart.bars] or [0]]
    bars.categoryAxis.categoryNames = [b.label + ("*" if b.flagged else "") for b in chart.bars] or [""]
    bars.categoryAxis.labels.fontName = REGULAR
    bars.categoryAxis.labels.fontSize = 6.5 if len(chart.bars) > 12 else 7.5
    bars.categoryAxis.labels.dy = -3
    bars.valueAxis.labels.fontName = REGULAR
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    top = max([b.value for b in chart.bars] or [0])
    bars.valueAxis.valueMax = max(top, 1) * 1.12
    bars.valueAxis.valueStep = max(1, round(max(top, 1) / 5))
    bars.valueAxis.strokeColor = MUTED
    bars.categoryAxis.strokeColor = MUTED
    bars.bars.strokeColor = None
    bars.bars[0].fillColor = BAR
    for i, bar in enumerate(chart.bars):
        if bar.flagged:
            bars.bars[(0, i)].fillColor = FLAGGED
    bars.barLabelFormat = lambda value: f"{value:.0f}" if value else ""
    bars.barLabels.fontName = REGULAR
    bars.barLabels.fontSize = 6.5
    bars.barLabels.nudge = 6
    drawing.add(bars)
    drawing.add(
        String(
            bars.x + bars.width / 2,
            6,
            chart.x_label,
            fontName=REGULAR,
            fontSize=7.5,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    drawing.add(String(0, height - 10, f"{chart.title} ({chart.y_label})", fontName=BOLD, fontSize=9, fillColor=NAVY))
    return drawing


def _settings(report: PatternReport) -> Paragraph:
    s = report.settings
    text = (
        f"Unusual times: before {s.day_starts:%H:%M} or after {s.day_ends:%H:%M}"
        f"{', and weekends' if s.weekends_unusual else ''} (centre time, {report.zone}). "
        f"Short completion: below {s.short_share:.0%} of the assessment's median "
        f"(assessments with at least {s.min_sample} completions). "
        f"Frequent attempts: {s.frequent_attempts} or more at one assessment. "
        f"More than {s.max_per_day} assessments for one candidate in a day (CAND-3). "
        "Resits sooner than the qualification's retake interval after a fail (CAND-7)."
    )
    return Paragraph(esc(text), BODY)


def _findings(report: PatternReport, kind: PatternKind) -> list[Flowable]:
    found = report.of_kind(kind)
    story: list[Flowable] = [Paragraph(esc(f"{kind.label}: {len(found)}"), H2)]
    if not found:
        story.append(Paragraph("None found in this period.", SMALL_MUTED))
        return story
    widths = [96.0, 112.0, 56.0, 62.0, FRAME_W - 326.0]  # "Wed 28 Jan 2026 14:30" fits the first
    rows: list[list[object]] = [[para(h, CELL_HEAD) for h in ("When", "Candidate", "Reg. no.", "Session(s)", "Detail")]]
    for f in found:
        when = local(f.when, report.zone)
        rows.append(
            [
                cell(f"{when:%a %d %b %Y %H:%M}", widths[0]),
                cell(f.candidate_name, widths[1]),
                f.registration_number,
                cell(", ".join(str(s) for s in f.session_ids), widths[3]),
                cell(f.detail, widths[4]),
            ]
        )
    story.append(long_grid_table(rows, widths))
    return story


def render_patterns(report: PatternReport, on_page: PageDone | None = None) -> bytes:
    register_fonts()  # before any paragraph: reportlab resolves the fonts when one is made
    story: list[Flowable] = [
        Paragraph("Patterns in online assessments", TITLE),
        Paragraph(
            esc(
                f"{report.centre_name} ({report.centre_number}) \u00b7 {report.from_day} to {report.to_day} "
                f"\u00b7 {report.attempts} attempt(s) taken"
            ),
            SUBTITLE,
        ),
        Spacer(1, 6),
        _settings(report),
        Spacer(1, 4),
    ]
    total = len(report.findings)
    summary = ", ".join(f"{k.label.split(' (')[0].lower()}: {len(report.of_kind(k))}" for k in PatternKind)
    style = BODY if not total else BODY.clone("alert", textColor=ALERT)
    story.append(Paragraph(esc(f"{total} finding(s) to look into \u2014 {summary}."), style))
    for chart in report.charts:
        story.append(
            KeepTogether(
                [
                    Spacer(1, 8),
                    chart_drawing(chart),
                    Paragraph(esc(chart.note + ". Bars marked * (dark red) are flagged."), SMALL_MUTED),
                ]
            )
        )
    for kind in PatternKind:
        story += _findings(report, kind)
    return build_pdf(
        story,
        title=f"Pattern report {report.from_day} to {report.to_day}",
        author=f"{report.centre_name} ({report.centre_number})",
        subject="Patterns in online assessments",
        header_left=f"{report.centre_name} ({report.centre_number})",
        header_right=f"Patterns \u00b7 {report.from_day} to {report.to_day}",
        footer=f"Generated {report.generated_at} by the invigilation station",
        on_page=on_page,
    )
