"""Actions the EQA raises at a visit (000): the text, the completion date, evidence (files
kept inside the encrypted store, or a reference to where it is), the day it was done, and
the EQA's sign-off — by the inspector account in the app, or recorded by the coordinator
with the EQA's own reference. An action is open until signed off."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotFound, NotPermitted
from invigilator_app.domain.timezones import local
from invigilator_app.rules.deadlines import days_left, describe_days, due_state
from invigilator_app.services.files import write_atomically
from invigilator_app.services.quality.access import visit_write
from invigilator_app.services.station import Station
from invigilator_app.store.models import User
from invigilator_app.store.quality_models import ActionEvidence, EqaVisit, VisitAction

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
TEXT_MAX = 4000


@dataclass(frozen=True)
class EvidenceView:
    id: int
    file_name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ActionView:
    id: int
    visit_id: int
    eqa_name: str
    text: str
    due_on: date
    days_left: int
    state: str
    """overdue, due soon, open, done (awaiting the EQA's sign-off) or signed off."""
    when: str
    """"3 days left", "due today", "2 days overdue", or what happened."""
    evidence_reference: str
    done_on: date | None
    signed_off: str
    """Who signed off and how, or empty."""
    evidence: list[EvidenceView] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.state != "signed off"


def today(station: Station) -> date:
    """The centre's date now (a clock change never moves a deadline)."""
    return local(station.now(), station.zone).date()


def _evidence(session: Session, action_ids: list[int]) -> dict[int, list[EvidenceView]]:
    """The evidence files of these actions, without reading their contents."""
    found: dict[int, list[EvidenceView]] = {}
    for ev_id, action_id, name, size, digest in session.execute(
        select(
            ActionEvidence.id,
            ActionEvidence.action_id,
            ActionEvidence.file_name,
            func.length(ActionEvidence.content),
            ActionEvidence.sha256,
        )
        .where(ActionEvidence.action_id.in_(action_ids))
        .order_by(ActionEvidence.id)
    ):
        found.setdefault(action_id, []).append(EvidenceView(ev_id, name, int(size or 0), digest))
    return found


def _view(
    station: Station,
    session: Session,
    row: VisitAction,
    names: dict[int, str],
    eqa: str,
    files: list[EvidenceView] | None = None,
) -> ActionView:
    now = today(station)
    if files is None:
        files = _evidence(session, [row.id]).get(row.id, [])
    signed = ""
    if row.signed_off_at is not None:
        who = names.get(row.signed_off_by_id or 0, "")
        when = local(row.signed_off_at, station.zone).strftime("%d %b %Y")
        signed = (
            f"recorded by {who} on {when}: EQA reference {row.signoff_reference}"
            if row.signoff_reference
            else f"signed in the app by {who} on {when}"
        )
    if signed:
        state, when_text = "signed off", f"signed off {local(row.signed_off_at, station.zone):%d %b %Y}"  # type: ignore[arg-type]
    elif row.done_on is not None:
        late = f", {(row.done_on - row.due_on).days} days late" if row.done_on > row.due_on else ""
        state, when_text = "done", f"done {row.done_on:%d %b %Y}{late}; awaiting the EQA's sign-off"
    else:
        state, when_text = due_state(row.due_on, now), describe_days(row.due_on, now)
    return ActionView(
        id=row.id,
        visit_id=row.visit_id,
        eqa_name=eqa,
        text=row.text,
        due_on=row.due_on,
        days_left=days_left(row.due_on, now),
        state=state,
        when=when_text,
        evidence_reference=row.evidence_reference,
        done_on=row.done_on,
        signed_off=signed,
        evidence=files,
    )


def _names(session: Session) -> dict[int, str]:
    return {u.id: u.name for u in session.scalars(select(User))}


def _action(session: Session, action_id: int) -> VisitAction:
    row = session.get(VisitAction, action_id)
    if row is None:
        raise NotFound(f"There is no action {action_id}.")
    return row


def _one(station: Station, session: Session, row: VisitAction) -> ActionView:
    visit = session.get(EqaVisit, row.visit_id)
    return _view(station, session, row, _names(session), visit.eqa_name if visit else "")


def add_action(station: Station, visit_id: int, text: str, due_on: date, evidence_reference: str = "") -> ActionView:
    station.require(Role.COORDINATOR, action="record EQA visits")
    if not text.strip():
        raise BadInput("Action: say what the EQA asked for.")
    if len(text) > TEXT_MAX:
        raise BadInput(f"Action: keep the text under {TEXT_MAX} characters.")
    with station.write() as session:
        visit = session.get(EqaVisit, visit_id)
        if visit is None:
            raise NotFound(f"There is no visit {visit_id}.")
        if due_on < visit.planned_on:
            raise BadInput(f"Action due date: {due_on:%d %b %Y} is before the visit ({visit.planned_on:%d %b %Y}).")
        row = VisitAction(
            visit_id=visit_id,
            text=text.strip(),
            due_on=due_on,
            evidence_reference=evidence_reference.strip(),
            created_by_id=station.actor.id,
            created_at=station.now(),
        )
        session.add(row)
        session.flush()
        return _one(station, session, row)


def set_evidence_reference(station: Station, action_id: int, reference: str) -> ActionView:
    station.require(Role.COORDINATOR, action="record EQA visits")
    with station.write() as session:
        row = _action(session, action_id)
        row.evidence_reference = reference.strip()
        session.flush()
        return _one(station, session, row)


def attach_evidence(station: Station, action_id: int, path: Path) -> ActionView:
    """Keep a file as evidence inside the encrypted store (never a copy beside it)."""
    station.require(Role.COORDINATOR, action="record EQA visits")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"Evidence file {path}: cannot be read ({exc.strerror or exc}).") from None
    if not data:
        raise BadInput(f"Evidence file {path}: the file is empty.")
    if len(data) > EVIDENCE_MAX_BYTES:
        raise BadInput(
            f"Evidence file {path}: larger than {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB; keep a reference instead."
        )
    with station.write() as session:
        row = _action(session, action_id)
        session.add(
            ActionEvidence(
                action_id=row.id,
                file_name=path.name[:255],
                content=data,
                sha256=hashlib.sha256(data).hexdigest(),
                added_by_id=station.actor.id,
                added_at=station.now(),
            )
        )
        session.flush()
        return _one(station, session, row)


def export_evidence(station: Station, evidence_id: int, out: Path) -> Path:
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="view the quality file")
    with station.read() as session:
        row = session.get(ActionEvidence, evidence_id)
        if row is None:
            raise NotFound(f"There is no evidence file {evidence_id}.")
        data = row.content
    write_atomically(out, data)
    return out


def mark_done(station: Station, action_id: int, done_on: date | None) -> ActionView:
    """The centre completed the action on this day (None: not done after all)."""
    station.require(Role.COORDINATOR, action="record EQA visits")
    with station.write() as session:
        row = _action(session, action_id)
        if row.signed_off_at is not None:
            raise BadInput(f"Action {action_id} is signed off by the EQA; it cannot be reopened.")
        if done_on is not None and done_on > today(station):
            raise BadInput(f"Action done on: {done_on:%d %b %Y} is in the future.")
        row.done_on = done_on
        session.flush()
        return _one(station, session, row)


def sign_off(station: Station, action_id: int, reference: str = "") -> ActionView:
    """The EQA's sign-off: the visit's inspector account signing in the app, or the
    coordinator recording it with the EQA's reference."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="sign off visit actions")
    with visit_write(station) as session:
        row = _action(session, action_id)
        visit = session.get(EqaVisit, row.visit_id)
        if station.actor.role is Role.INSPECTOR:
            if visit is None or visit.inspector_id != station.actor.id:
                raise NotPermitted(f"{station.actor.name} is not the inspector account of this action's visit.")
            reference = ""
        elif not reference.strip():
            raise BadInput("EQA sign-off: give the EQA's reference for it (their email, or the hub's engagement form).")
        if row.done_on is None:
            raise BadInput(f"Action {action_id} is not done yet: record the day it was done first.")
        if row.signed_off_at is not None:
            raise BadInput(f"Action {action_id} is already signed off.")
        row.signed_off_at = station.now()
        row.signed_off_by_id = station.actor.id
        row.signoff_reference = reference.strip()
        session.flush()
        return _one(station, session, row)


def _order(view: ActionView) -> tuple[int, int, int]:
    rank = {"overdue": 0, "due soon": 1, "open": 2, "done": 3, "signed off": 4}[view.state]
    return rank, view.days_left if view.state != "signed off" else 0, view.id


def list_actions(
    station: Station, *, visit_id: int | None = None, due_within: int | None = None, include_signed_off: bool = False
) -> list[ActionView]:
    """Open actions (not yet signed off), overdue first, then by days left.
    ``due_within``: only those not done whose date is at most that many days away (or past)."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="view the quality file")
    if due_within is not None and due_within < 0:
        raise BadInput(f"--due-within {due_within}: give a number of days, 0 or more.")
    with station.read() as session:
        names = _names(session)
        visits = {v.id: v for v in session.scalars(select(EqaVisit))}
        query = select(VisitAction)
        if visit_id is not None:
            query = query.where(VisitAction.visit_id == visit_id)
        if station.actor.role is Role.INSPECTOR:
            query = query.where(
                VisitAction.visit_id.in_([v.id for v in visits.values() if v.inspector_id == station.actor.id])
            )
        rows = list(session.scalars(query))
        files = _evidence(session, [r.id for r in rows])
        views = [
            _view(station, session, row, names, visits[row.visit_id].eqa_name, files.get(row.id, [])) for row in rows
        ]
    if not include_signed_off:
        views = [v for v in views if v.open]
    if due_within is not None:
        views = [v for v in views if v.state not in ("done", "signed off") and v.days_left <= due_within]
    return sorted(views, key=_order)
