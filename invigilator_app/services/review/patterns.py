"""Patterns in past attempts for a date range (001, 000): read the attempts, run the pure
checks in ``rules.patterns``, and export the report as a PDF. Thresholds are kept in the
store (``store_meta`` key ``pattern_settings``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import asdict, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, Cancelled
from invigilator_app.domain.patterns import PatternReport, PatternSettings
from invigilator_app.domain.timefmt import when_text
from invigilator_app.domain.timezones import to_utc
from invigilator_app.reports.patterns_pdf import render_patterns
from invigilator_app.rules import patterns as rules
from invigilator_app.rules.facts import AttemptFact
from invigilator_app.services.files import write_atomically
from invigilator_app.services.review import pattern_counts
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, Assessment, Candidate, Centre, Meta, Qualification, Room
from invigilator_app.store.models import Session as SessionRow

SETTINGS_KEY = "pattern_settings"
READERS = (Role.COORDINATOR, Role.INSPECTOR)


def check_range(from_day: date, to_day: date) -> None:
    if from_day > to_day:
        raise BadInput(f"The range starts ({from_day.isoformat()}) after it ends ({to_day.isoformat()}).")


def day_bounds(station: Station, from_day: date, to_day: date) -> tuple[datetime, datetime]:
    """[start of from_day, start of the day after to_day) in UTC, centre days."""
    return to_utc(from_day, time(0, 0), station.zone), to_utc(to_day + timedelta(days=1), time(0, 0), station.zone)


def _load_settings(session: Session) -> PatternSettings:
    row = session.get(Meta, SETTINGS_KEY)
    if row is None:
        return PatternSettings()
    try:
        data = json.loads(row.value)
        data["day_starts"] = time.fromisoformat(data["day_starts"])
        data["day_ends"] = time.fromisoformat(data["day_ends"])
        return replace(PatternSettings(), **data)
    except (ValueError, KeyError, TypeError):
        return PatternSettings()


def pattern_settings(station: Station) -> PatternSettings:
    with station.read() as session:
        return _load_settings(session)


def set_pattern_settings(station: Station, settings: PatternSettings) -> PatternSettings:
    """Change the thresholds (coordinator only); every problem is named."""
    station.require(Role.COORDINATOR, action="change the pattern thresholds")
    problems = settings.problems()
    if problems:
        raise BadInput("Pattern thresholds not saved: " + "; ".join(problems) + ".")
    data = asdict(settings)
    data["day_starts"] = settings.day_starts.isoformat(timespec="minutes")
    data["day_ends"] = settings.day_ends.isoformat(timespec="minutes")
    with station.write() as session:
        row = session.get(Meta, SETTINGS_KEY)
        if row is None:
            session.add(Meta(key=SETTINGS_KEY, value=json.dumps(data, sort_keys=True)))
        else:
            row.value = json.dumps(data, sort_keys=True)
    return settings


def read_attempts(
    session: Session, start: datetime, end: datetime, ids: Collection[int] | None = None
) -> list[AttemptFact]:
    """Attempts that took place in sessions starting in [start, end) (only those of ``ids``
    when given): plain columns, one query."""
    query = (
        select(
            Allocation.id,
            Candidate.registration_number,
            Candidate.first_name,
            Candidate.last_name,
            Assessment.code,
            Qualification.number,
            Allocation.started_at,
            Allocation.planned_start_utc,
            Room.name,
            Allocation.session_id,
            Allocation.finished_at,
            Assessment.planned_minutes,
            Allocation.result,
        )
        .join(SessionRow, SessionRow.id == Allocation.session_id)
        .join(Candidate, Candidate.id == Allocation.candidate_id)
        .join(Assessment, Assessment.id == Allocation.assessment_id)
        .join(Qualification, Qualification.id == Assessment.qualification_id)
        .join(Room, Room.id == SessionRow.room_id)
        .where(
            SessionRow.start_utc >= start,
            SessionRow.start_utc < end,
            Allocation.cancelled.is_(False),
            Allocation.started_at.is_not(None),
        )
    )
    if ids is not None:
        if not ids:
            return []
        chosen = func.json_each(json.dumps(sorted(ids))).table_valued("value")
        query = query.where(Allocation.id.in_(select(chosen.c.value)))
    return [
        AttemptFact(
            key=str(r[0]),
            registration_number=r[1],
            candidate_name=f"{r[2]} {r[3]}".strip(),
            assessment_id=r[4],
            qualification=r[5],
            start=r[6] or r[7],
            room=r[8],
            session_id=r[9],
            finish=r[10],
            actual_start=r[6],
            planned_minutes=r[11],
            result=r[12],
        )
        for r in session.execute(query)
    ]


def pattern_report(
    station: Station,
    from_day: date,
    to_day: date,
    settings: PatternSettings | None = None,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> PatternReport:
    """Every finding and chart for sessions starting on from_day … to_day (centre days).

    The charts are counted from one lean read of the range's attempts, and only the
    attempts a rule may find something in become facts (``pattern_counts``); the rules of
    ``rules.patterns`` then decide over just those. ``cancelled`` is asked between the
    steps (ten years of a busy centre take seconds) and stops with ``Cancelled``."""
    station.require(*READERS, action="look at patterns")
    check_range(from_day, to_day)
    with pattern_counts.collector_paused():
        return _report(station, from_day, to_day, settings, cancelled or _never)


def _never() -> bool:
    return False


def _stop_if(cancelled: Callable[[], bool], message: str = "Stopped; no pattern report was made.") -> None:
    if cancelled():
        raise Cancelled(message)


def _report(
    station: Station,
    from_day: date,
    to_day: date,
    settings: PatternSettings | None,
    cancelled: Callable[[], bool],
) -> PatternReport:
    start, end = day_bounds(station, from_day, to_day)
    zone = station.zone
    with station.read() as session:
        chosen = settings or _load_settings(session)
        counts = pattern_counts.count_patterns(session, start, end, zone, chosen, lambda: _stop_if(cancelled))
        retake_hours = dict(session.execute(select(Qualification.number, Qualification.retake_hours)).all())
        centre = session.scalars(select(Centre)).one()
        name, number = centre.name, centre.number
    _stop_if(cancelled)
    frequent = rules.by_time(
        [
            rules.frequent_finding(
                last, code, [r for r, _, _ in members], [k for _, k, _ in members], [s for _, _, s in members]
            )
            for code, last, members in counts.frequent
        ]
    )
    findings = [
        *rules.unusual_times(counts.unusual, chosen, zone),
        *rules.short_completions(counts.short, chosen, counts.medians),
        *frequent,
        *rules.early_resits(counts.resits, retake_hours),
        *rules.many_in_a_day(counts.busy_days, chosen, zone),
    ]
    return PatternReport(
        centre_name=name,
        centre_number=number,
        from_day=from_day.isoformat(),
        to_day=to_day.isoformat(),
        generated_at=when_text(station.now(), zone),
        zone=zone,
        settings=chosen,
        attempts=counts.attempts,
        findings=tuple(findings),
        charts=(
            rules.hour_chart_of(counts.hours, counts.flagged_hours, counts.weekend, chosen),
            rules.duration_chart_of(counts.durations, chosen),
            rules.attempts_chart_of(counts.pairs, chosen),
        ),
    )


Progress = Callable[[int, int, str], None]
EXPORT_CANCELLED = "Export cancelled; nothing was written."


def patterns_pdf(
    station: Station,
    from_day: date,
    to_day: date,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The report as a PDF. ``progress(done, 0, what)`` hears of the counting and of each
    page laid out (the total is not known until the end); ``cancelled`` is asked between
    the steps and after each page, and stops with ``Cancelled``."""
    stop = cancelled or _never
    tell = progress or _ignore
    tell(0, 0, "counting the attempts")
    try:
        report = pattern_report(station, from_day, to_day, cancelled=stop)
    except Cancelled:
        raise Cancelled(EXPORT_CANCELLED) from None

    def page_done(number: int) -> None:
        _stop_if(stop, EXPORT_CANCELLED)
        tell(number, 0, f"page {number} laid out")

    return render_patterns(report, on_page=page_done)


def _ignore(_done: int, _total: int, _what: str) -> None:
    return None


def export_patterns(
    station: Station,
    from_day: date,
    to_day: date,
    out: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """The report saved as a PDF at ``out`` (written whole or not at all)."""
    data = patterns_pdf(station, from_day, to_day, progress=progress, cancelled=cancelled)
    _stop_if(cancelled or _never, EXPORT_CANCELLED)
    write_atomically(out, data)
    return out
