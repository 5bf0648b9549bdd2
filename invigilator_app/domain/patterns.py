"""Patterns the awarding body and its inspectors look for (001, 000), as plain data.

The findings and charts are computed by ``rules.patterns`` from attempt facts; the GUI
draws the charts and lists the findings, ``reports.patterns_pdf`` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum


class PatternKind(StrEnum):
    UNUSUAL_TIME = "unusual_time"
    SHORT_COMPLETION = "short_completion"
    FREQUENT_ATTEMPTS = "frequent_attempts"
    EARLY_RESIT = "early_resit"
    MANY_IN_A_DAY = "many_in_a_day"

    @property
    def label(self) -> str:
        return PATTERN_LABELS[self]


PATTERN_LABELS: dict[PatternKind, str] = {
    PatternKind.UNUSUAL_TIME: "Assessment at an unusual time",
    PatternKind.SHORT_COMPLETION: "Short completion time",
    PatternKind.FREQUENT_ATTEMPTS: "Frequent attempts at the same assessment",
    PatternKind.EARLY_RESIT: "Resit sooner than allowed (CAND-7)",
    PatternKind.MANY_IN_A_DAY: "More than two assessments in a day (CAND-3)",
}


@dataclass(frozen=True)
class PatternSettings:
    """The thresholds; the coordinator may change them (kept in the store)."""

    day_starts: time = time(8, 0)
    """Starts before this (centre time) are unusual."""
    day_ends: time = time(18, 0)
    """Starts after this (centre time) are unusual."""
    weekends_unusual: bool = True
    short_share: float = 0.25
    """A completion below this share of the assessment's median duration is short."""
    min_sample: int = 3
    """Finished attempts an assessment needs before its median means anything."""
    frequent_attempts: int = 3
    """This many attempts by one candidate at one assessment is frequent."""
    max_per_day: int = 2
    """CAND-3: more than this many assessments for one candidate in one day."""

    def problems(self) -> list[str]:
        found = []
        if not self.day_starts < self.day_ends:
            found.append("the working day must start before it ends")
        if not 0 < self.short_share < 1:
            found.append("the short-completion share must be between 0 and 100 %")
        if self.min_sample < 1:
            found.append("the median needs at least one finished attempt")
        if self.frequent_attempts < 2:
            found.append("frequent attempts must be at least 2")
        if self.max_per_day < 1:
            found.append("the daily limit must be at least 1")
        return found


@dataclass(frozen=True)
class PatternFinding:
    kind: PatternKind
    registration_number: str
    candidate_name: str
    assessment_id: str
    when: datetime
    """Aware UTC: the (last) attempt the finding is about."""
    detail: str
    allocation_keys: tuple[str, ...] = ()
    session_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    flagged: bool = False
    """The bar counts attempts the finding lists would show (drawn hatched and darker)."""


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    x_label: str
    y_label: str
    bars: tuple[Bar, ...]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)


@dataclass(frozen=True)
class PatternReport:
    centre_name: str
    centre_number: str
    from_day: str
    to_day: str
    generated_at: str
    zone: str
    settings: PatternSettings
    attempts: int
    findings: tuple[PatternFinding, ...] = ()
    charts: tuple[Chart, ...] = ()

    def of_kind(self, kind: PatternKind) -> list[PatternFinding]:
        return [f for f in self.findings if f.kind is kind]
