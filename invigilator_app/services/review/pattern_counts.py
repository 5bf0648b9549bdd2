"""The pattern report over a year or ten of attempts without a fact per attempt: one lean
read of the range's attempts (plain ids and stored times, sorted by SQLite), the charts'
counts made from it, and full ``AttemptFact``s only for the attempts some rule may find
something in. ``services.review.patterns`` then runs the rules of ``rules.patterns`` over
just those, so the findings are the rules' own; the counts are the ones the rules' charts
give over every attempt (same local hours, days, medians and shares).

Local time: attempts are counted per stored UTC hour (per minute where the zone's offset
is not whole hours), each such hour then placed in the centre's day and hour once.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.orm import Session

from invigilator_app.domain.patterns import PatternSettings
from invigilator_app.rules.facts import AttemptFact
from invigilator_app.rules.patterns import DURATION_BUCKETS, FREQUENCY_BARS, is_unusual_time

READ = """
    SELECT a.candidate_id, a.assessment_id, a.id, a.result, a.session_id, a.started_at, a.finished_at,
           (unixepoch(a.finished_at) - unixepoch(a.started_at)) * 1000000
           + CAST(substr(a.finished_at, 21, 6) AS INTEGER) - CAST(substr(a.started_at, 21, 6) AS INTEGER)
    FROM sessions s JOIN allocations a ON a.session_id = s.id
    WHERE s.start_utc >= :start AND s.start_utc < :end AND a.cancelled IS 0 AND a.started_at IS NOT NULL
    ORDER BY a.candidate_id, a.assessment_id, a.started_at, CAST(a.id AS TEXT)
"""
"""The attempts that took place in sessions starting in [start, end), each candidate's
attempts at each assessment together in the order of ``rules.patterns.taken``, with the
time each completed one took in whole microseconds (times are stored as
'YYYY-MM-DD HH:MM:SS.ffffff')."""
CANDIDATE, ASSESSMENT, ID, RESULT, SESSION, STARTED, FINISHED, SPAN_US = range(8)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off meanwhile: the report makes tens of
    thousands of small tuples, and each collection would walk every live object of the
    application again (measured: a third of the report's time on a year of attempts).
    Nothing made here forms cycles; the collector resumes as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def stored(moment: datetime) -> str:
    """An aware datetime as the store keeps it (naive UTC text)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


@dataclass
class Counts:
    attempts: int = 0
    hours: list[int] = field(default_factory=lambda: [0] * 24)
    flagged_hours: list[bool] = field(default_factory=lambda: [False] * 24)
    weekend: int = 0
    durations: list[int] = field(default_factory=lambda: [0] * (len(DURATION_BUCKETS) + 1))
    pairs: list[int] = field(default_factory=lambda: [0] * FREQUENCY_BARS)
    medians: dict[str, timedelta] = field(default_factory=dict)
    unusual: list[AttemptFact] = field(default_factory=list)
    """Attempts that may have started at an unusual time (the rule decides)."""
    short: list[AttemptFact] = field(default_factory=list)
    """Attempts completed in under the short share of their assessment's median."""
    frequent: list[tuple[str, tuple[str, str, str, datetime], list[tuple[str | None, str, int]]]] = field(
        default_factory=list
    )
    """(assessment code, the latest attempt's (registration number, name, assessment, start),
    every attempt's (result, key, session)) of each candidate's assessment taken at least
    ``frequent_attempts`` times."""
    resits: list[AttemptFact] = field(default_factory=list)
    """Attempts after a fail at the same assessment within its retake time, and the fails."""
    busy_days: list[AttemptFact] = field(default_factory=list)
    """The attempts of candidates' days with more than ``max_per_day``."""


class _Clock:
    """The centre's local day and hour of stored UTC times, worked out once per UTC hour
    (or minute, for a zone with an offset that is not whole hours)."""

    def __init__(self, zone_name: str, start: datetime, end: datetime) -> None:
        self.zone = ZoneInfo(zone_name)
        whole_hours = all(
            self._offset(start + timedelta(days=d)) % timedelta(hours=1) == timedelta(0)
            for d in range(-2, (end - start).days + 3)
        )
        self.width = 13 if whole_hours else 16  # 'YYYY-MM-DD HH' or 'YYYY-MM-DD HH:MM'
        self.span = timedelta(hours=1) if whole_hours else timedelta(minutes=1)
        self._local: dict[str, datetime] = {}

    def _offset(self, moment: datetime) -> timedelta:
        return moment.astimezone(self.zone).utcoffset() or timedelta(0)

    def key(self, value: str) -> str:
        return value[: self.width]

    def local(self, key: str) -> datetime:
        """The local start of the UTC hour (minute) ``key``."""
        found = self._local.get(key)
        if found is None:
            moment = datetime.fromisoformat(key + (":00" if self.width == 13 else "")).replace(tzinfo=UTC)
            found = self._local[key] = moment.astimezone(self.zone)
        return found

    def surely_usual(self, key: str, settings: PatternSettings) -> bool:
        """Whether no start within ``key`` can be unusual: a weekday (or weekends are not
        unusual), wholly within the day's hours."""
        first = self.local(key)
        if settings.weekends_unusual and first.weekday() >= 5:
            return False
        last = first + self.span  # every start in the key is before this
        return (
            first.time().replace(tzinfo=None) >= settings.day_starts
            and last.date() == first.date()
            and last.time().replace(tzinfo=None) <= settings.day_ends
        )


def count_patterns(
    session: Session,
    start: datetime,
    end: datetime,
    zone_name: str,
    settings: PatternSettings,
    stop: Callable[[], None] = lambda: None,
) -> Counts:
    """``stop`` is called between the steps (it raises to stop: ten years of a busy centre
    take seconds, and a window locking waits for the count)."""
    conn = session.connection()
    result = conn.exec_driver_sql(READ, {"start": stored(start), "end": stored(end)})
    try:  # the driver's own rows (plain tuples): tens of thousands, read once
        rows: Any = result.cursor.fetchall()
    finally:
        result.close()
    stop()
    codes: dict[int, tuple[str, str, int]] = {
        i: (code, number, hours)
        for i, code, number, hours in conn.execute(
            text(
                "SELECT x.id, x.code, q.number, q.retake_hours FROM assessments x "
                "JOIN qualifications q ON q.id = x.qualification_id"
            )
        )
    }
    out = Counts(attempts=len(rows))
    clock = _Clock(zone_name, start, end)
    wanted: set[int] = set()  # rows (by position) that become facts

    # Hours: per stored hour, then placed in local time; only the starts in an hour that is
    # not surely usual are looked at one by one.
    unsure: list[int] = []
    width = clock.width
    per_key = Counter(r[STARTED][:width] for r in rows)
    for key, n in per_key.items():
        local = clock.local(key)
        out.hours[local.hour] += n
        if settings.weekends_unusual and local.weekday() >= 5:
            out.weekend += n
    odd_keys = {key for key in per_key if not clock.surely_usual(key, settings)}
    if odd_keys:
        unsure = [i for i, r in enumerate(rows) if r[STARTED][:width] in odd_keys]
        wanted.update(unsure)

    stop()

    # Completion times: each assessment's median, the chart's shares and the short ones.
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r[SPAN_US] is not None and r[SPAN_US] > 0:
            spans[r[ASSESSMENT]].append((r[SPAN_US], i))
    by_code: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for assessment, found in spans.items():
        by_code[codes[assessment][0]] += found
    short: list[int] = []
    for code, found in by_code.items():
        if len(found) < max(1, settings.min_sample):
            continue
        found.sort()
        median = timedelta(seconds=statistics.median(span / 1_000_000 for span, _ in found))
        out.medians[code] = median
        if median <= timedelta(0):
            continue
        median_us = median // timedelta(microseconds=1)  # span / median, as timedelta / timedelta
        # The spans are sorted, so each bar (and the short ones) is a slice of them.
        below = [_first(found, median_us, top) for top in DURATION_BUCKETS]
        for index, (low, high) in enumerate(itertools.pairwise([0, *below, len(found)])):
            out.durations[index] += high - low
        short += [i for _, i in found[: _first(found, median_us, settings.short_share)]]
    wanted.update(short)

    stop()

    # Each candidate's attempts at each assessment: together and in order in ``rows``, so
    # each pair's attempts are the next ``n`` rows.
    frequent: list[tuple[str, range]] = []
    offset = 0
    for (_, assessment), n in Counter(map(itemgetter(CANDIDATE, ASSESSMENT), rows)).items():
        out.pairs[min(n, FREQUENCY_BARS) - 1] += 1
        if n >= settings.frequent_attempts:
            frequent.append((codes[assessment][0].strip(), range(offset, offset + n)))
        offset += n
    resits: list[int] = []
    for failed in [i for i, r in enumerate(rows) if r[RESULT] == "fail"]:
        retake = failed + 1
        if retake == len(rows) or rows[retake][:2] != rows[failed][:2]:
            continue  # the pair's last attempt
        ended = rows[failed][FINISHED] or rows[failed][STARTED]
        gap = datetime.fromisoformat(rows[retake][STARTED]) - datetime.fromisoformat(ended)
        if gap < timedelta(hours=codes[rows[failed][ASSESSMENT]][2]):  # retake_hours is never NULL
            resits += [failed, retake]
    wanted.update(resits)

    stop()

    # Candidates' local days with more attempts than allowed (CAND-3).
    local_day = {key: clock.local(key).date() for key in per_key}
    per_day = Counter((r[CANDIDATE], local_day[r[STARTED][:width]]) for r in rows)
    busy_days = {day for day, n in per_day.items() if n > settings.max_per_day}
    busy = (
        [i for i, r in enumerate(rows) if (r[CANDIDATE], local_day[r[STARTED][:width]]) in busy_days]
        if busy_days
        else []
    )
    wanted.update(busy)

    stop()
    lasts = [group[-1] for _, group in frequent]
    names = _names(conn, {rows[i][CANDIDATE] for i in itertools.chain(wanted, lasts)})
    facts = {i: _fact(rows[i], names, codes) for i in wanted}
    out.unusual = [facts[i] for i in unsure]
    for fact in out.unusual:
        moment = fact.actual_start or fact.start
        local = clock.local(clock.key(stored(moment)))
        if not (settings.weekends_unusual and local.weekday() >= 5) and is_unusual_time(fact, settings, zone_name):
            out.flagged_hours[moment.astimezone(clock.zone).hour] = True
    out.short = [facts[i] for i in short]
    out.resits = [facts[i] for i in resits]
    out.busy_days = [facts[i] for i in busy]
    for code, group in frequent:
        last = rows[group[-1]]
        registration, name = names[last[CANDIDATE]]
        out.frequent.append(
            (
                code,
                (registration, name, codes[last[ASSESSMENT]][0], parse(last[STARTED])),
                [(rows[i][RESULT], str(rows[i][ID]), rows[i][SESSION]) for i in group],
            )
        )
    return out


def _first(found: list[tuple[int, int]], median_us: int, share: float) -> int:
    """How many of the sorted spans are under ``share`` of the median (as the rules compare)."""
    return bisect.bisect_left(found, True, key=lambda s: s[0] / median_us >= share)


def _names(conn: Any, people: set[int]) -> dict[int, tuple[str, str]]:
    """Each candidate's registration number and name."""
    return {
        pid: (number, f"{first} {last}".strip())
        for pid, number, first, last in conn.execute(
            text(
                "SELECT id, registration_number, first_name, last_name FROM candidates "
                "WHERE id IN (SELECT value FROM json_each(:ids))"
            ),
            {"ids": json.dumps(sorted(people))},
        )
    }


def _fact(row: Any, names: dict[int, tuple[str, str]], codes: dict[int, tuple[str, str, int]]) -> AttemptFact:
    started = parse(row[STARTED])
    code, number, _ = codes[row[ASSESSMENT]]
    registration, name = names[row[CANDIDATE]]
    return AttemptFact(
        key=str(row[ID]),
        registration_number=registration,
        candidate_name=name,
        assessment_id=code,
        qualification=number,
        start=started,
        session_id=row[SESSION],
        finish=parse(row[FINISHED]) if row[FINISHED] is not None else None,
        actual_start=started,
        result=row[RESULT],
    )
