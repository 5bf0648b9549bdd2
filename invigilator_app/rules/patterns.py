"""Patterns in past attempts that the awarding body and its inspectors look for (001, 000):
unusual times, short completion times, frequent attempts at one assessment, resits
sooner than allowed (CAND-7) and more than two assessments in a day (CAND-3).

Pure functions over attempts that took place (``AttemptFact`` with an actual start):
no database, no clock. Days and hours are the centre's (``zone_name``); intervals are
real elapsed time.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from invigilator_app.domain.patterns import Bar, Chart, PatternFinding, PatternKind, PatternSettings
from invigilator_app.domain.timezones import as_utc, local
from invigilator_app.rules.common import fmt_duration
from invigilator_app.rules.facts import AttemptFact
from invigilator_app.rules.retakes import DEFAULT_RETAKE_HOURS

Attempts = Sequence[AttemptFact]
DURATION_BUCKETS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5)
"""Upper bounds of the duration chart's bars, as shares of the assessment's median."""
FREQUENCY_BARS = 6
"""The attempts-per-candidate chart counts 1 … 5 attempts and "6 or more"."""


class Taken(list[AttemptFact]):
    """Attempts already chosen and ordered by ``taken``, with what several rules and charts
    need worked out once: a year of a busy centre is tens of thousands of attempts, and
    each rule would otherwise sort them and convert their times again."""

    def __init__(self, attempts: Attempts) -> None:
        super().__init__(attempts)
        self._durations: list[tuple[AttemptFact, timedelta]] | None = None
        self._local: dict[str, list[datetime]] = {}
        self._groups: dict[tuple[str, str], list[AttemptFact]] | None = None

    def groups(self) -> dict[tuple[str, str], list[AttemptFact]]:
        """The attempts of each (candidate, assessment), in start order."""
        if self._groups is None:
            groups: dict[tuple[str, str], list[AttemptFact]] = defaultdict(list)
            for a in self:
                groups[(a.registration_number, a.assessment_id.strip())].append(a)
            self._groups = dict(groups)
        return self._groups

    def durations(self) -> list[tuple[AttemptFact, timedelta]]:
        if self._durations is None:
            out = []
            for a in self:
                if a.finish is None or a.actual_start is None:
                    continue
                span = as_utc(a.finish) - as_utc(a.actual_start)
                if span > timedelta(0):
                    out.append((a, span))
            self._durations = out
        return self._durations

    def local_starts(self, zone_name: str) -> list[datetime]:
        """Each attempt's start in the centre's time, in the same order."""
        if zone_name not in self._local:
            self._local[zone_name] = [local(a.actual_start or a.start, zone_name) for a in self]
        return self._local[zone_name]


def taken(attempts: Attempts) -> Taken:
    """Attempts that took place: started and not cancelled, in start order."""
    if isinstance(attempts, Taken):
        return attempts
    done = [a for a in attempts if a.actual_start is not None and not a.cancelled]
    return Taken(sorted(done, key=lambda a: (as_utc(a.actual_start or a.start), a.key)))


def _finding(kind: PatternKind, a: AttemptFact, detail: str, group: Sequence[AttemptFact] = ()) -> PatternFinding:
    members = list(group) or [a]
    return PatternFinding(
        kind=kind,
        registration_number=a.registration_number,
        candidate_name=a.candidate_name,
        assessment_id=a.assessment_id,
        when=as_utc(a.actual_start or a.start),
        detail=detail,
        allocation_keys=tuple(m.key for m in members),
        session_ids=tuple(sorted({m.session_id for m in members if m.session_id is not None})),
    )


def is_unusual_time(a: AttemptFact, settings: PatternSettings, zone_name: str, start: datetime | None = None) -> str:
    """Why the attempt's start is unusual ("" when it is not). ``start``: its local start,
    when the caller has it already."""
    start = start or local(a.actual_start or a.start, zone_name)
    if settings.weekends_unusual and start.weekday() >= 5:
        return f"started on a {start:%A} at {start:%H:%M}"
    clock = start.time().replace(tzinfo=None)
    if clock < settings.day_starts:
        return f"started at {start:%H:%M}, before {settings.day_starts:%H:%M}"
    if clock > settings.day_ends:
        return f"started at {start:%H:%M}, after {settings.day_ends:%H:%M}"
    return ""


def unusual_times(attempts: Attempts, settings: PatternSettings, zone_name: str) -> list[PatternFinding]:
    found = []
    done = taken(attempts)
    for a, start in zip(done, done.local_starts(zone_name), strict=True):
        why = is_unusual_time(a, settings, zone_name, start)
        if why:
            found.append(_finding(PatternKind.UNUSUAL_TIME, a, f"{a.assessment_id} {why}"))
    return found


def durations(attempts: Attempts) -> list[tuple[AttemptFact, timedelta]]:
    """Completed attempts with how long each took (negative or zero spans are ignored)."""
    return taken(attempts).durations()


def medians(attempts: Attempts, min_sample: int) -> dict[str, timedelta]:
    """Each assessment's median completion time, where it has at least ``min_sample``."""
    spans: dict[str, list[float]] = defaultdict(list)
    for a, span in durations(attempts):
        spans[a.assessment_id].append(span.total_seconds())
    return {
        code: timedelta(seconds=statistics.median(values))
        for code, values in spans.items()
        if len(values) >= max(1, min_sample)
    }


def short_completions(
    attempts: Attempts, settings: PatternSettings, typical: Mapping[str, timedelta] | None = None
) -> list[PatternFinding]:
    """``typical``: each assessment's median, when worked out over more attempts than given."""
    typical = medians(attempts, settings.min_sample) if typical is None else typical
    found = []
    for a, span in durations(attempts):
        median = typical.get(a.assessment_id)
        if median is None or median <= timedelta(0):
            continue
        share = span / median
        if share < settings.short_share:
            found.append(
                _finding(
                    PatternKind.SHORT_COMPLETION,
                    a,
                    f"{a.assessment_id} completed in {fmt_duration(span)}: {share:.0%} of its median "
                    f"{fmt_duration(median)} (threshold {settings.short_share:.0%})",
                )
            )
    return found


def _groups(attempts: Attempts) -> dict[tuple[str, str], list[AttemptFact]]:
    return taken(attempts).groups()


def frequent_finding(
    last: tuple[str, str, str, datetime],
    code: str,
    results: Sequence[str | None],
    keys: Sequence[str],
    session_ids: Sequence[int],
) -> PatternFinding:
    """The finding for one candidate's attempts at one assessment, from the latest one's
    (registration number, candidate name, assessment, start) and what is known of every
    attempt: its result, key and session, in start order."""
    text = ", ".join(r or "no result" for r in results)
    return PatternFinding(
        kind=PatternKind.FREQUENT_ATTEMPTS,
        registration_number=last[0],
        candidate_name=last[1],
        assessment_id=last[2],
        when=as_utc(last[3]),
        detail=f"{len(results)} attempts at {code} ({text})",
        allocation_keys=tuple(keys),
        session_ids=tuple(sorted(set(session_ids))),
    )


def frequent_attempts(attempts: Attempts, settings: PatternSettings) -> list[PatternFinding]:
    found = []
    for (_, code), group in _groups(attempts).items():
        if len(group) >= settings.frequent_attempts:
            last = group[-1]
            found.append(
                frequent_finding(
                    (
                        last.registration_number,
                        last.candidate_name,
                        last.assessment_id,
                        last.actual_start or last.start,
                    ),
                    code,
                    [a.result for a in group],
                    [a.key for a in group],
                    [a.session_id for a in group if a.session_id is not None],
                )
            )
    return by_time(found)


def by_time(found: list[PatternFinding]) -> list[PatternFinding]:
    """Findings of one kind in the order they are listed: by time, then registration number."""
    return sorted(found, key=lambda f: (f.when, f.registration_number))


def early_resits(attempts: Attempts, retake_hours: Mapping[str, int]) -> list[PatternFinding]:
    """A retake that started sooner after a failed attempt than its qualification allows."""
    found = []
    for (_, code), group in _groups(attempts).items():
        for failed, retake in itertools.pairwise(group):
            if failed.result != "fail":
                continue
            hours = retake_hours.get(failed.qualification, DEFAULT_RETAKE_HOURS)
            ended = as_utc(failed.finish or failed.actual_start or failed.start)
            gap = as_utc(retake.actual_start or retake.start) - ended
            if gap < timedelta(hours=hours):
                found.append(
                    _finding(
                        PatternKind.EARLY_RESIT,
                        retake,
                        f"{code} retaken {fmt_duration(gap)} after a fail; {hours} hours are required",
                        [failed, retake],
                    )
                )
    return by_time(found)


def many_in_a_day(attempts: Attempts, settings: PatternSettings, zone_name: str) -> list[PatternFinding]:
    by_day: dict[tuple[str, object], list[AttemptFact]] = defaultdict(list)
    done = taken(attempts)
    for a, start in zip(done, done.local_starts(zone_name), strict=True):
        by_day[(a.registration_number, start.date())].append(a)
    found = []
    for (_, day), group in by_day.items():
        if len(group) > settings.max_per_day:
            codes = ", ".join(a.assessment_id for a in group)
            found.append(
                _finding(
                    PatternKind.MANY_IN_A_DAY, group[-1], f"{len(group)} assessments on {day:%d %b %Y}: {codes}", group
                )
            )
    return sorted(found, key=lambda f: (f.when, f.registration_number))


def find_patterns(
    attempts: Attempts, settings: PatternSettings, zone_name: str, retake_hours: Mapping[str, int]
) -> list[PatternFinding]:
    """Every finding, by kind then time."""
    attempts = taken(attempts)
    return [
        *unusual_times(attempts, settings, zone_name),
        *short_completions(attempts, settings),
        *frequent_attempts(attempts, settings),
        *early_resits(attempts, retake_hours),
        *many_in_a_day(attempts, settings, zone_name),
    ]


# --------------------------------------------------------------------------- charts


def hour_chart(attempts: Attempts, settings: PatternSettings, zone_name: str) -> Chart:
    counts = [0] * 24
    flagged = [False] * 24
    weekend = 0
    done = taken(attempts)
    for a, start in zip(done, done.local_starts(zone_name), strict=True):
        counts[start.hour] += 1
        if settings.weekends_unusual and start.weekday() >= 5:
            weekend += 1
        elif is_unusual_time(a, settings, zone_name, start):
            flagged[start.hour] = True
    return hour_chart_of(counts, flagged, weekend, settings)


def hour_chart_of(counts: Sequence[int], flagged: Sequence[bool], weekend: int, settings: PatternSettings) -> Chart:
    """The chart from its counts: attempts per local hour, the hours with an unusual
    weekday start, and the attempts at weekends."""
    note = f"Starts before {settings.day_starts:%H:%M} or after {settings.day_ends:%H:%M} are flagged" + (
        f"; {weekend} attempt(s) at weekends" if settings.weekends_unusual else ""
    )
    return Chart(
        "hours",
        "Attempts by hour of day",
        "hour started (centre time)",
        "attempts",
        tuple(Bar(f"{h:02d}", counts[h], flagged[h]) for h in range(24)),
        note,
    )


def duration_chart(attempts: Attempts, settings: PatternSettings) -> Chart:
    typical = medians(attempts, settings.min_sample)
    counts = [0] * (len(DURATION_BUCKETS) + 1)
    for a, span in durations(attempts):
        median = typical.get(a.assessment_id)
        if not median:
            continue
        counts[duration_bucket(span / median)] += 1
    return duration_chart_of(counts, settings)


def duration_bucket(share: float) -> int:
    """The duration chart's bar for a completion time, as a share of its assessment's median."""
    return next((i for i, top in enumerate(DURATION_BUCKETS) if share < top), len(DURATION_BUCKETS))


def duration_chart_of(counts: Sequence[int], settings: PatternSettings) -> Chart:
    """The chart from its counts, one per bar of ``DURATION_BUCKETS`` and one above."""
    labels = [f"<{DURATION_BUCKETS[0]:.0%}"]
    for low, top in itertools.pairwise(DURATION_BUCKETS):
        labels.append(f"{low * 100:.0f}–{top:.0%}")
    labels.append(f"≥{DURATION_BUCKETS[-1]:.0%}")
    bars = tuple(
        Bar(label, counts[i], (DURATION_BUCKETS[i] if i < len(DURATION_BUCKETS) else 99) <= settings.short_share + 1e-9)
        for i, label in enumerate(labels)
    )
    return Chart(
        "durations",
        "Completion times",
        "share of the assessment's median time",
        "attempts",
        bars,
        f"Below {settings.short_share:.0%} of the median is flagged; assessments with fewer than "
        f"{settings.min_sample} completions are left out",
    )


def attempts_chart(attempts: Attempts, settings: PatternSettings) -> Chart:
    counts = [0] * FREQUENCY_BARS
    for group in _groups(attempts).values():
        counts[min(len(group), FREQUENCY_BARS) - 1] += 1
    return attempts_chart_of(counts, settings)


def attempts_chart_of(counts: Sequence[int], settings: PatternSettings) -> Chart:
    """The chart from its counts: candidate-assessment pairs with 1 … 5 and 6 or more attempts."""
    bars = tuple(
        Bar(
            str(n + 1) if n + 1 < FREQUENCY_BARS else f"{FREQUENCY_BARS}+",
            counts[n],
            n + 1 >= settings.frequent_attempts,
        )
        for n in range(FREQUENCY_BARS)
    )
    return Chart(
        "attempts",
        "Attempts per candidate at the same assessment",
        "attempts",
        "candidate–assessment pairs",
        bars,
        f"{settings.frequent_attempts} or more attempts are flagged",
    )


def charts(attempts: Attempts, settings: PatternSettings, zone_name: str) -> list[Chart]:
    attempts = taken(attempts)
    return [
        hour_chart(attempts, settings, zone_name),
        duration_chart(attempts, settings),
        attempts_chart(attempts, settings),
    ]
