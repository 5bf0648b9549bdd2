"""Invigilator rules: INV-2 (assessors), INV-3 (impartiality), INV-4 (nomination).

INV-1 (log-on with the invigilator's own PIN; password never stored) is a record, not a
check: the record shows the invigilator's name and PIN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from invigilator_app.domain.enums import Severity
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.catalogue import violation
from invigilator_app.rules.common import active, join_names
from invigilator_app.rules.facts import AttemptFact, InvigilatorFact, QualificationFact


def invigilator_label(invigilator: InvigilatorFact) -> str:
    """ "Bob Jones (PIN 12345)", or "The invigilator" when nobody is named."""
    name = invigilator.name.strip() or "The invigilator"
    pin = invigilator.imi_pin.strip()
    return f"{name} (PIN {pin})" if pin else name


def check_assessor(invigilator: InvigilatorFact) -> list[Violation]:
    """INV-2: an assessor may invigilate only in exceptional circumstances authorised by the
    centre coordinator; without a recorded authorisation this needs authorising."""
    if not invigilator.assessor or invigilator.assessor_authorisation.strip():
        return []
    return [
        violation(
            "INV-2",
            (
                f"{invigilator_label(invigilator)} is an assessor: INV-2 lets an assessor invigilate"
                " only in exceptional circumstances, so the centre coordinator must record an"
                " authorisation with a reason"
            ),
        )
    ]


def apprenticeship_qualifications(
    attempts: Sequence[AttemptFact], qualifications: Mapping[str, QualificationFact]
) -> list[str]:
    """Qualification numbers of non-cancelled attempts linked to an Apprenticeship Standard."""
    numbers = {
        a.qualification
        for a in active(attempts)
        if (fact := qualifications.get(a.qualification)) is not None and fact.apprenticeship_standard
    }
    return sorted(numbers)


def check_impartial(
    invigilator: InvigilatorFact,
    attempts: Sequence[AttemptFact],
    qualifications: Mapping[str, QualificationFact],
) -> list[Violation]:
    """INV-3: assessments linked to Apprenticeship Standards are invigilated only by an
    impartial invigilator (no industry qualification or background related to them)."""
    if invigilator.impartial:
        return []
    numbers = apprenticeship_qualifications(attempts, qualifications)
    if not numbers:
        return []
    titled = [f"{n} {qualifications[n].title}".strip() if qualifications[n].title.strip() else n for n in numbers]
    return [
        violation(
            "INV-3",
            (
                f"{invigilator_label(invigilator)} is not recorded as impartial, but"
                f" {join_names(titled)} {'is' if len(titled) == 1 else 'are'} linked to an"
                " Apprenticeship Standard (INV-3: needs an invigilator with no industry qualification"
                " or background related to the assessment)"
            ),
        )
    ]


def check_nominated(invigilator: InvigilatorFact) -> list[Violation]:
    """INV-4: invigilators are competent people nominated by the centre coordinator."""
    if not invigilator.name.strip():
        return [violation("INV-4", "No invigilator is named for the session (INV-4)")]
    if invigilator.nominated:
        return []
    return [
        violation(
            "INV-4",
            (
                f"{invigilator_label(invigilator)} has not been nominated as an invigilator by the"
                " centre coordinator (INV-4)"
            ),
        )
    ]


def check_invigilator(
    invigilator: InvigilatorFact,
    attempts: Sequence[AttemptFact],
    qualifications: Mapping[str, QualificationFact],
) -> list[Violation]:
    """INV-2, INV-3 and INV-4 for one invigilator and the attempts they would invigilate."""
    return [
        *check_assessor(invigilator),
        *check_impartial(invigilator, attempts, qualifications),
        *check_nominated(invigilator),
    ]


def _yes_no(value: bool) -> str:
    return "true" if value else "false"


def check_declarations(recorded: InvigilatorFact, assessor: bool | None, impartial: bool | None) -> list[Violation]:
    """INV-2 and INV-3 declarations are facts about a person: a plan that states them
    differently from the recorded ones is refused (a block), naming both values. ``None``
    means the plan does not state that declaration."""
    found: list[Violation] = []
    who = invigilator_label(recorded)
    if assessor is not None and assessor != recorded.assessor:
        found.append(
            violation(
                "INV-2",
                (
                    f"{who} is recorded with assessor: {_yes_no(recorded.assessor)}, but the plan says assessor:"
                    f" {_yes_no(assessor)}; a declaration changes only through the invigilator's declarations"
                    " with a reason, or a plan's declaration_change confirmed by a coordinator (INV-2)"
                ),
                Severity.BLOCK,
            )
        )
    if impartial is not None and impartial != recorded.impartial:
        found.append(
            violation(
                "INV-3",
                (
                    f"{who} is recorded with impartial: {_yes_no(recorded.impartial)}, but the plan says impartial:"
                    f" {_yes_no(impartial)}; a declaration changes only through the invigilator's declarations"
                    " with a reason, or a plan's declaration_change confirmed by a coordinator (INV-3)"
                ),
                Severity.BLOCK,
            )
        )
    return found
