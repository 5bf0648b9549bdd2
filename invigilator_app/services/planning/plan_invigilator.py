"""The invigilator a plan names: found or added (INV-4), their declarations checked against
the recorded ones (INV-2/INV-3), and changed only when the plan carries a coordinator's
confirmed ``declaration_change`` with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, RuleRefused
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.facts import InvigilatorFact
from invigilator_app.rules.invigilator import check_declarations
from invigilator_app.services import facts
from invigilator_app.services.admin.invigilators import MIN_REASON, change_declarations
from invigilator_app.services.station import Station
from invigilator_app.store.models import User


@dataclass(frozen=True)
class DeclarationChangeRequest:
    """A plan's explicit change of the invigilator's declarations."""

    reason: str
    confirmed_by: str
    """The coordinator who confirmed the change, by account name."""


@dataclass(frozen=True)
class PlannedInvigilator:
    name: str
    imi_pin: str
    assessor: bool | None = None
    """None: the plan does not state it (the recorded declaration stands)."""
    impartial: bool | None = None
    change: DeclarationChangeRequest | None = None


def _user(session: Session, name: str) -> User | None:
    user = session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()
    if user is not None and user.role == Role.INSPECTOR.value:
        raise BadInput(f"$.invigilator.name: {user.name} is an inspector account and cannot invigilate")
    return user


def _confirmer(session: Session, change: DeclarationChangeRequest, where: str) -> User:
    if len(change.reason.strip()) < MIN_REASON:
        raise BadInput(
            f"{where}.reason: give the reason for the change in a sentence (at least {MIN_REASON} characters)"
        )
    user = _user(session, change.confirmed_by)
    if user is None or user.role != Role.COORDINATOR.value or user.disabled:
        raise BadInput(f"{where}.confirmed_by: {change.confirmed_by!r} is not a centre coordinator's account")
    return user


def invigilator_for_plan(session: Session, station: Station, wanted: PlannedInvigilator, source: str) -> User:
    """The plan's invigilator, added if new (nominated by the planning coordinator, INV-4).
    A known person's declarations are never overwritten by a plan: a contradiction is
    refused (INV-2/INV-3, both values) unless the plan carries a confirmed change."""
    user = _user(session, wanted.name)
    now = station.now()
    if user is None:
        user = User(
            name=wanted.name,
            role=Role.INVIGILATOR.value,
            imi_pin=wanted.imi_pin,
            assessor=bool(wanted.assessor),
            impartial=bool(wanted.impartial),
            nominated_by_id=station.actor.id,
            nominated_at=now,
            created_at=now,
        )
        session.add(user)
        session.flush()
        return user
    contradictions = check_declarations(facts.invigilator_fact(user), wanted.assessor, wanted.impartial)
    if contradictions:
        if wanted.change is None:
            raise RuleRefused(contradictions)
        confirmer = _confirmer(session, wanted.change, f"{source}: $.invigilator.declaration_change")
        change_declarations(
            session,
            station,
            user,
            assessor=user.assessor if wanted.assessor is None else wanted.assessor,
            impartial=user.impartial if wanted.impartial is None else wanted.impartial,
            reason=wanted.change.reason,
            source=f"plan {source}",
            confirmed_by=confirmer,
        )
    user.imi_pin = wanted.imi_pin
    # A known invigilator keeps their nomination state: one whose nomination was withdrawn
    # is refused by INV-4 until a coordinator nominates them again.
    return user


def invigilator_preview(session: Session, wanted: PlannedInvigilator) -> tuple[InvigilatorFact, list[Violation]]:
    """The invigilator as ``invigilator_for_plan`` would leave them, read-only, with the
    declaration contradictions it would refuse."""
    user = _user(session, wanted.name)
    if user is None:
        return InvigilatorFact(
            name=wanted.name,
            imi_pin=wanted.imi_pin,
            assessor=bool(wanted.assessor),
            impartial=bool(wanted.impartial),
            nominated=True,
        ), []
    recorded = facts.invigilator_fact(user)
    contradictions = check_declarations(recorded, wanted.assessor, wanted.impartial)
    nominated = user.nominated_by_id is not None or user.role == Role.INVIGILATOR.value
    assessor, impartial = user.assessor, user.impartial
    if contradictions and wanted.change is not None:
        assessor = assessor if wanted.assessor is None else wanted.assessor
        impartial = impartial if wanted.impartial is None else wanted.impartial
        contradictions = []
    return InvigilatorFact(
        name=user.name,
        imi_pin=wanted.imi_pin,
        assessor=assessor,
        impartial=impartial,
        nominated=nominated,
        assessor_authorisation="" if assessor != user.assessor else user.assessor_authorisation,
    ), contradictions
