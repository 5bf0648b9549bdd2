"""Every check for a planned session, in one deterministic list (``check_plan``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from invigilator_app.domain.enums import Severity
from invigilator_app.domain.timezones import DEFAULT_ZONE, as_utc
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.catalogue import rule_order
from invigilator_app.rules.clashes import check_clashes, plan_booking
from invigilator_app.rules.facts import AttemptFact, BookingFact, PlanFact
from invigilator_app.rules.invigilator import check_invigilator
from invigilator_app.rules.retakes import (
    check_resit_charge,
    check_retake_interval,
    check_support_note,
)
from invigilator_app.rules.room import check_room_layout
from invigilator_app.rules.scheduling import (
    SPREAD_WINDOW_DAYS,
    check_assessment_named,
    check_daily_limit,
    check_notice,
    check_readiness,
    check_spread,
)

SEVERITY_ORDER: dict[Severity, int] = {Severity.BLOCK: 0, Severity.AUTHORISE: 1, Severity.WARN: 2}


def violation_order(item: Violation) -> tuple[int, int, str, str, str]:
    """Blocks, then authorisations, then warnings; then SPEC rule order; then message."""
    return (SEVERITY_ORDER.get(item.severity, 3), rule_order(item.rule_id), item.rule_id, item.message, item.source)


def sort_violations(violations: Iterable[Violation]) -> list[Violation]:
    """Violations without duplicates, in ``violation_order``."""
    return sorted(set(violations), key=violation_order)


def check_plan(
    plan: PlanFact,
    history: Sequence[AttemptFact],
    zone_name: str = DEFAULT_ZONE,
    now: datetime | None = None,
    others: Sequence[BookingFact] = (),
) -> list[Violation]:
    """Every rule check for a planned (new or changed) session.

    ``history`` is every stored attempt of the plan's candidates, across sessions; the
    plan's attempts replace history entries with the same key (that is how moving,
    changing or cancelling an allocation is checked). Attempt keys in ``plan.attempts``
    must be unique. ``now`` is accepted for callers that have it; no rule depends on the
    clock today, so the result is the same whatever it is. ``others`` are the stored
    sessions near the plan's time (CAND-11, ROOM-9, INV-5). The result is sorted and does
    not depend on the order of ``plan.attempts``, ``history`` or ``others``.
    """
    del now  # no rule reads the clock; kept so the signature is stable
    planned = plan.attempts
    candidates = {a.registration_number for a in planned}
    existing = [a for a in history if a.registration_number in candidates]
    # Each rule needs only part of a long history: the day rules (CAND-3, CAND-6) look at
    # attempts within a week of a planned one, the retake rules (CAND-7/8/9) at earlier
    # attempts of the same assessment. Narrowing first keeps a room-sized plan fast on
    # years of history; the result is the same.
    starts = sorted({as_utc(a.start) for a in planned})
    reach = timedelta(days=SPREAD_WINDOW_DAYS + 1)
    near = [a for a in existing if _within(as_utc(a.start), starts, reach)]
    pairs = {(a.registration_number, a.assessment_id.strip()) for a in planned}
    same = [a for a in existing if (a.registration_number, a.assessment_id.strip()) in pairs]
    found: list[Violation] = [
        *check_room_layout(plan.workstations),
        *check_invigilator(plan.invigilator, planned, plan.qualifications),
        *check_assessment_named(planned, zone_name),
        *check_daily_limit(planned, near, zone_name),
        *check_notice(planned, zone_name),
        *check_readiness(planned, zone_name),
        *check_spread(planned, near, zone_name),
        *check_retake_interval(planned, same, plan.qualifications, zone_name),
        *check_support_note(planned, same, zone_name),
        *check_resit_charge(planned, same, zone_name),
        *check_clashes(plan_booking(plan), others, zone_name),
    ]
    return sort_violations(found)


def _within(moment: datetime, starts: Sequence[datetime], reach: timedelta) -> bool:
    return any(abs(moment - start) <= reach for start in starts)


def blocking(violations: Iterable[Violation]) -> list[Violation]:
    """The blocks (severity block) among ``violations``, in order."""
    return [v for v in violations if v.severity is Severity.BLOCK]


def needs_authorisation(violations: Iterable[Violation]) -> list[Violation]:
    """The violations refused until the coordinator records an authorisation (INV-2)."""
    return [v for v in violations if v.severity is Severity.AUTHORISE]


def warnings(violations: Iterable[Violation]) -> list[Violation]:
    """The warnings (allowed once acknowledged) among ``violations``, in order."""
    return [v for v in violations if v.severity is Severity.WARN]
