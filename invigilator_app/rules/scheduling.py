"""Candidate and scheduling rules: CAND-1 to CAND-6 (CAND-7 to CAND-9 are in ``retakes``).

``planned`` is what is being saved (new or changed allocations); ``existing`` is every
stored allocation of the same candidates. An existing attempt with the same key as a
planned one is the same allocation, so only the planned version counts. Calendar days are
days in the centre's zone (``zone_name``), never UTC days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from invigilator_app.domain.timezones import DEFAULT_ZONE, local_day
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.catalogue import violation
from invigilator_app.rules.common import (
    active,
    assessment_label,
    attempt_at,
    candidate_label,
    fmt_day,
    fmt_when,
    merge_attempts,
)
from invigilator_app.rules.facts import AttemptFact
from invigilator_app.rules.retakes import (  # re-exported: part of this module's interface
    attempt_number,
    check_resit_charge,
    check_retake_interval,
    check_support_note,
    previous_result,
    retake_from,
)

__all__ = [
    "DAILY_LIMIT",
    "SPREAD_MAX_IN_WINDOW",
    "SPREAD_WINDOW_DAYS",
    "attempt_number",
    "check_assessment_named",
    "check_daily_limit",
    "check_notice",
    "check_readiness",
    "check_resit_charge",
    "check_retake_interval",
    "check_spread",
    "check_start",
    "check_support_note",
    "previous_result",
    "retake_from",
]

DAILY_LIMIT = 2
"""CAND-3: online assessments one candidate may take on one calendar day."""
SPREAD_WINDOW_DAYS = 7
SPREAD_MAX_IN_WINDOW = 3
"""CAND-6 heuristic: more than 3 assessments within 7 consecutive days is end loading."""


def check_start(identity_checked: bool, logged_on_confirmed: bool, candidate: str) -> list[Violation]:
    """CAND-1: a candidate is started only after an identity check and confirmation that the
    right candidate is logged on at the allocated PC. ``candidate`` is the label to show,
    e.g. "Jane Smith (R1234567) at PC-03"."""
    missing = []
    if not identity_checked:
        missing.append("their identity has not been checked")
    if not logged_on_confirmed:
        missing.append("nobody has confirmed they are logged on at the allocated PC")
    if not missing:
        return []
    return [violation("CAND-1", f"{candidate} cannot start: {' and '.join(missing)} (CAND-1)")]


def check_assessment_named(planned: Sequence[AttemptFact], zone_name: str = DEFAULT_ZONE) -> list[Violation]:
    """CAND-2: every allocation names exactly one assessment (never "whatever is not
    completed"), so a non-cancelled allocation with a blank assessment id is refused."""
    return [
        violation(
            "CAND-2",
            f"{candidate_label(a)} has no assessment named for"
            f" {attempt_at(a, zone_name, with_day=True)}"
            " (CAND-2: tell each candidate exactly which assessment to take)",
        )
        for a in active(planned)
        if not a.assessment_id.strip()
    ]


def _by_candidate_day(attempts: Sequence[AttemptFact], zone_name: str) -> dict[tuple[str, date], list[AttemptFact]]:
    groups: dict[tuple[str, date], list[AttemptFact]] = defaultdict(list)
    for attempt in active(attempts):
        groups[(attempt.registration_number, local_day(attempt.start, zone_name))].append(attempt)
    return groups


def _label_for(attempts: Sequence[AttemptFact], preferred: Sequence[AttemptFact]) -> str:
    """The candidate's label, taken from a planned attempt when there is one."""
    return candidate_label((list(preferred) or list(attempts))[0])


def check_daily_limit(
    planned: Sequence[AttemptFact],
    existing: Sequence[AttemptFact],
    zone_name: str = DEFAULT_ZONE,
) -> list[Violation]:
    """CAND-3: no more than two online assessments per candidate in one calendar day.

    Counts every non-cancelled attempt of the candidate on the same day in the centre's
    zone, across all sessions, rooms and stations, planned and existing. Only days that a
    non-cancelled planned attempt falls on are reported: one block per candidate and day.
    """
    planned_keys = {a.key for a in planned}
    found: list[Violation] = []
    groups = _by_candidate_day(merge_attempts(planned, existing), zone_name)
    for (_, day), attempts in sorted(groups.items()):
        new = [a for a in attempts if a.key in planned_keys]
        if len(attempts) <= DAILY_LIMIT or not new:
            continue
        before = [a for a in attempts if a.key not in planned_keys]
        who = _label_for(attempts, new)
        limit = f"CAND-3 allows no more than {DAILY_LIMIT} a day, across all sessions and rooms"
        if before:
            found.append(
                violation(
                    "CAND-3",
                    (
                        f"{who} already has {len(before)} online assessment{'s' if len(before) > 1 else ''}"
                        f" on {fmt_day(day)}: {', '.join(attempt_at(a, zone_name) for a in before)};"
                        f" adding {', '.join(attempt_at(a, zone_name) for a in new)} makes"
                        f" {len(attempts)} ({limit})"
                    ),
                )
            )
        else:
            found.append(
                violation(
                    "CAND-3",
                    (
                        f"{who} would have {len(attempts)} online assessments on {fmt_day(day)}:"
                        f" {', '.join(attempt_at(a, zone_name) for a in attempts)} ({limit})"
                    ),
                )
            )
    return found


def check_notice(planned: Sequence[AttemptFact], zone_name: str = DEFAULT_ZONE) -> list[Violation]:
    """CAND-4: candidates get prior notice of the date and time. Warns when no notice date
    is recorded, or when the recorded notice date is the assessment day or after it."""
    found: list[Violation] = []
    for a in active(planned):
        when = attempt_at(a, zone_name, with_day=True)
        if a.notice_date is None:
            found.append(
                violation(
                    "CAND-4",
                    (
                        f"No notice date recorded for {candidate_label(a)} for {when}"
                        " (CAND-4: candidates must be told the date and time in advance)"
                    ),
                )
            )
        elif a.notice_date > local_day(a.start, zone_name):
            found.append(
                violation(
                    "CAND-4",
                    (
                        f"{candidate_label(a)} was given notice on {fmt_day(a.notice_date)}, after {when}"
                        " (CAND-4: candidates must be told the date and time in advance)"
                    ),
                )
            )
        elif a.notice_date == local_day(a.start, zone_name):
            found.append(
                violation(
                    "CAND-4",
                    (
                        f"{candidate_label(a)} was given notice on the day itself for {when}"
                        " (CAND-4: candidates must be told the date and time in advance)"
                    ),
                )
            )
    return found


def check_readiness(planned: Sequence[AttemptFact], zone_name: str = DEFAULT_ZONE) -> list[Violation]:
    """CAND-5: candidates are not entered before the learning for the unit is complete.
    Warns unless readiness is confirmed (True)."""
    return [
        violation(
            "CAND-5",
            (
                f"Readiness not confirmed for {candidate_label(a)} for"
                f" {attempt_at(a, zone_name, with_day=True)}"
                " (CAND-5: enter candidates only when the learning for the unit is complete)"
            ),
        )
        for a in active(planned)
        if a.readiness_confirmed is not True
    ]


def _busiest_window(
    attempts: Sequence[AttemptFact], planned_keys: set[str], zone_name: str, window_days: int
) -> list[AttemptFact]:
    """The largest run of attempts within ``window_days`` consecutive days that includes a
    planned attempt (earliest such run on a tie)."""
    best: list[AttemptFact] = []
    all_days = [local_day(a.start, zone_name) for a in attempts]
    planned_days = {d for a, d in zip(attempts, all_days, strict=True) if a.key in planned_keys}
    reach = timedelta(days=window_days - 1)
    # Every member of a run that includes a planned attempt lies within the window of that
    # attempt's day, so nothing further away can change the answer.
    near = [(a, d) for a, d in zip(attempts, all_days, strict=True) if any(abs(d - p) <= reach for p in planned_days)]
    attempts = [a for a, _ in near]
    days = [d for _, d in near]
    for first_day in days:
        last_day = first_day + timedelta(days=window_days - 1)
        run = [a for a, d in zip(attempts, days, strict=True) if first_day <= d <= last_day]
        if len(run) > len(best) and any(a.key in planned_keys for a in run):
            best = run
    return best


def check_spread(
    planned: Sequence[AttemptFact],
    existing: Sequence[AttemptFact],
    zone_name: str = DEFAULT_ZONE,
    *,
    window_days: int = SPREAD_WINDOW_DAYS,
    max_in_window: int = SPREAD_MAX_IN_WINDOW,
) -> list[Violation]:
    """CAND-6: assessments are spread through the programme, not crammed at its end.

    Heuristic: warns when a candidate has more than ``max_in_window`` (default 3, i.e. 4 or
    more) non-cancelled assessments within any ``window_days`` (default 7) consecutive days
    in the centre's zone, and the run includes a planned attempt. One warning per candidate,
    for the busiest run.
    """
    planned_keys = {a.key for a in planned}
    by_candidate: dict[str, list[AttemptFact]] = defaultdict(list)
    for attempt in active(merge_attempts(planned, existing)):
        by_candidate[attempt.registration_number].append(attempt)
    found: list[Violation] = []
    for registration in sorted(by_candidate):
        attempts = by_candidate[registration]
        run = _busiest_window(attempts, planned_keys, zone_name, window_days)
        if len(run) <= max_in_window:
            continue
        who = _label_for(run, [a for a in run if a.key in planned_keys])
        first, last = local_day(run[0].start, zone_name), local_day(run[-1].start, zone_name)
        listed = ", ".join(f"{assessment_label(a)} on {fmt_when(a.start, zone_name)}" for a in run)
        found.append(
            violation(
                "CAND-6",
                (
                    f"{who} has {len(run)} online assessments within {window_days} days"
                    f" ({fmt_day(first)} to {fmt_day(last)}): {listed}"
                    " (CAND-6: spread assessments through the programme, not crammed together)"
                ),
            )
        )
    return found
