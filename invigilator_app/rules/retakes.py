"""Retakes: CAND-7 (interval after a fail), CAND-8 (support note), CAND-9 (resit charges).

``history`` is every stored attempt of the candidates; planned attempts are laid over it
by key. "Earlier" compares start times as real instants (UTC), so clock changes in the
centre's zone never shorten or stretch an interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from invigilator_app.domain.enums import Result
from invigilator_app.domain.timezones import DEFAULT_ZONE, as_utc
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.catalogue import violation
from invigilator_app.rules.common import (
    active,
    assessment_label,
    attempt_order,
    candidate_label,
    ceil_minute,
    fmt_duration,
    fmt_when,
    merge_attempts,
    same_assessment,
)
from invigilator_app.rules.facts import AttemptFact, QualificationFact

DEFAULT_RETAKE_HOURS = 48
"""CAND-7: hours between a failed attempt and a retake unless the qualification says 2."""
FREE_RESITS = 1
"""CAND-9: resits of one assessment that IMI does not charge for."""


class AttemptGroups(dict[tuple[str, str], list[AttemptFact]]):
    """Non-cancelled attempts grouped by (candidate, assessment), each group in order.

    Built once per check, so looking up a candidate's earlier attempts costs the size of
    their group, not of the whole history.
    """

    @classmethod
    def of(cls, history: Sequence[AttemptFact] | AttemptGroups) -> AttemptGroups:
        if isinstance(history, AttemptGroups):
            return history
        groups = cls()
        for a in history:
            if not a.cancelled and a.assessment_id.strip():
                groups.setdefault((a.registration_number, a.assessment_id.strip()), []).append(a)
        for group in groups.values():
            group.sort(key=attempt_order)
        return groups


def _earlier(attempt: AttemptFact, history: Sequence[AttemptFact] | AttemptGroups) -> list[AttemptFact]:
    """Non-cancelled attempts of the same candidate at the same assessment that started
    before ``attempt``, oldest first."""
    start = as_utc(attempt.start)
    group = AttemptGroups.of(history).get((attempt.registration_number, attempt.assessment_id.strip()), [])
    return [a for a in group if same_assessment(attempt, a) and as_utc(a.start) < start]


def previous_result(attempt: AttemptFact, history: Sequence[AttemptFact] | AttemptGroups) -> AttemptFact | None:
    """The candidate's latest earlier non-cancelled attempt at the same assessment that has
    a result ("pass" or "fail"), or None. Attempts without a result are not considered."""
    results = {Result.PASS.value, Result.FAIL.value}
    decided = [a for a in _earlier(attempt, history) if a.result in results]
    return decided[-1] if decided else None


def _failed_before(attempt: AttemptFact, history: Sequence[AttemptFact] | AttemptGroups) -> AttemptFact | None:
    """The failed attempt this one is a retake of: the latest earlier decided attempt, if it
    was a fail. A pass after the fail means no retake interval or support note is needed."""
    before = previous_result(attempt, history)
    return before if before is not None and before.result == Result.FAIL.value else None


def retake_from(failed: AttemptFact) -> datetime:
    """When the CAND-7 interval starts for a failed attempt: its finish, else its actual
    start plus planned duration, else its start plus planned duration, else its actual
    start, else its (session) start; whichever is known, in that order. UTC."""
    if failed.finish is not None:
        return as_utc(failed.finish)
    base = failed.actual_start if failed.actual_start is not None else failed.start
    if failed.planned_minutes is not None:
        return as_utc(base) + timedelta(minutes=failed.planned_minutes)
    return as_utc(base)


def _required_hours(attempt: AttemptFact, failed: AttemptFact, qualifications: Mapping[str, QualificationFact]) -> int:
    for number in (attempt.qualification, failed.qualification):
        fact = qualifications.get(number)
        if fact is not None:
            return fact.retake_hours
    return DEFAULT_RETAKE_HOURS


def check_retake_interval(
    planned: Sequence[AttemptFact],
    history: Sequence[AttemptFact],
    qualifications: Mapping[str, QualificationFact],
    zone_name: str = DEFAULT_ZONE,
) -> list[Violation]:
    """CAND-7: a failed assessment may not be retaken until its qualification's retake
    interval (``retake_hours``: 48 by default, 2 for the 2-hour list) has passed, measured
    in real elapsed time from ``retake_from(failed)`` to the retake's start. Qualifications
    not in ``qualifications`` get 48 hours."""
    merged = AttemptGroups.of(merge_attempts(planned, history))
    found: list[Violation] = []
    for attempt in active(planned):
        failed = _failed_before(attempt, merged)
        if failed is None:
            continue
        hours = _required_hours(attempt, failed, qualifications)
        ended = retake_from(failed)
        earliest = ended + timedelta(hours=hours)
        start = as_utc(attempt.start)
        if start >= earliest:
            continue
        found.append(
            violation(
                "CAND-7",
                (
                    f"{candidate_label(attempt)} failed {assessment_label(attempt)} (finished"
                    f" {fmt_when(ended, zone_name)}); CAND-7 needs {hours} h before a retake, so the"
                    f" earliest retake is {fmt_when(ceil_minute(earliest), zone_name)}, not"
                    f" {fmt_when(start, zone_name)} (only {fmt_duration(start - ended)} later)"
                ),
            )
        )
    return found


def check_support_note(
    planned: Sequence[AttemptFact],
    history: Sequence[AttemptFact],
    zone_name: str = DEFAULT_ZONE,
) -> list[Violation]:
    """CAND-8: after a referral (fail) the centre shows how the candidate was supported
    before re-entry, so a retake without a non-blank support note is refused."""
    merged = AttemptGroups.of(merge_attempts(planned, history))
    found: list[Violation] = []
    for attempt in active(planned):
        failed = _failed_before(attempt, merged)
        if failed is None or attempt.support_note.strip():
            continue
        found.append(
            violation(
                "CAND-8",
                (
                    f"{candidate_label(attempt)} failed {assessment_label(attempt)} on"
                    f" {fmt_when(retake_from(failed), zone_name)}: record how they were supported"
                    f" before the retake on {fmt_when(attempt.start, zone_name)} (CAND-8)"
                ),
            )
        )
    return found


def not_sat_before(planned: AttemptFact, history: Sequence[AttemptFact] | AttemptGroups) -> list[AttemptFact]:
    """Earlier non-cancelled attempts at the same assessment that the candidate never sat
    (absent, or withdrawn before starting): shown, never counted (CAND-9)."""
    return [a for a in _earlier(planned, history) if a.sat is False]


def attempt_number(planned: AttemptFact, history: Sequence[AttemptFact] | AttemptGroups) -> int:
    """Which attempt at its assessment this is for the candidate: 1 for the first.

    Counts the candidate's attempts at the same assessment that started earlier and were
    sat (or are still to come), other than this allocation itself. Cancelled attempts and
    ones the candidate never sat (absent, withdrawn before starting) do not count.
    """
    return 1 + len([a for a in _earlier(planned, history) if a.sat is not False])


def check_resit_charge(
    planned: Sequence[AttemptFact],
    history: Sequence[AttemptFact],
    zone_name: str = DEFAULT_ZONE,
) -> list[Violation]:
    """CAND-9: the first resit of an assessment is free; the second and later (third and
    later attempts) are charged. Warns; Key Stage 4/5 qualifications follow their own
    specification, which the message points out."""
    merged = AttemptGroups.of(merge_attempts(planned, history))
    found: list[Violation] = []
    for attempt in active(planned):
        number = attempt_number(attempt, merged)
        resit = number - 1
        if resit <= FREE_RESITS:
            continue
        missed = not_sat_before(attempt, merged)
        shown = (
            (f" (not counting {len(missed)} not sat: " + ", ".join(fmt_when(a.start, zone_name) for a in missed) + ")")
            if missed
            else ""
        )
        found.append(
            violation(
                "CAND-9",
                (
                    f"{candidate_label(attempt)}: {assessment_label(attempt)} on"
                    f" {fmt_when(attempt.start, zone_name)} is attempt {number} (resit {resit}){shown},"
                    " chargeable: only the first resit is free (CAND-9; Key Stage 4/5 qualifications"
                    " follow their own specification)"
                ),
            )
        )
    return found
