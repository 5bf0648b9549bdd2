"""Corrections after the event: amendments, never edits.

Once a session is closed (the invigilator signed the declaration) or signed off, its log
entries, allocations and identity checks cannot be changed directly: a guard on every
ORM flush refuses it (NotPermitted, exit 5). ``amend`` is the one way to correct a field:
the row takes the corrected value, and an ``Amendment`` keeps the original beside it with
who, when and why; both are in the audit chain. The record shows each amendment as
"field: original → amended (reason, by, when)". Late entries (new rows) and the
follow-up of an entry (who was notified, when, their reference) stay possible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import (
    AllocationState,
    IncidentType,
    Result,
    Role,
    SessionState,
)
from invigilator_app.domain.errors import BadInput, NotFound, NotPermitted
from invigilator_app.domain.record import RecordEntry
from invigilator_app.domain.timefmt import when_text
from invigilator_app.domain.timezones import as_utc, local, zone
from invigilator_app.services.console.results import check_result
from invigilator_app.services.console.sessions import session_for_write
from invigilator_app.services.station import Station
from invigilator_app.store.models import (
    Allocation,
    Amendment,
    IdentityCheck,
    LogEntry,
    User,
)
from invigilator_app.store.models import Session as SessionRow

GUARDED_STATES = (SessionState.CLOSED.value, SessionState.SIGNED_OFF.value)
FOLLOW_UP_FIELDS = {"notified_at", "notification_reference"}
"""Fields of a log entry that record its follow-up and may change after closing."""
AMENDING = "amending"
PURGING = "purging"
"""``session.info`` key: the session ids a retention purge may delete (``permit_purge``)."""
REASON_MAX = 1000
VALUE_MAX = 2000


@dataclass(frozen=True)
class FieldSpec:
    attribute: str
    parse: Callable[[str, str], Any]
    """(text, zone) → the column value; BadInput when it does not fit."""


def _text(value: str, _zone: str) -> str:
    if len(value) > VALUE_MAX:
        raise BadInput(f"Keep the amended value under {VALUE_MAX} characters.")
    return value.strip()


def _moment(value: str, zone_name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"{value!r} is not a time: give it as YYYY-MM-DDTHH:MM (centre time).") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(zone_name))
    return as_utc(moment)


def _choice(values: list[str]) -> Callable[[str, str], str]:
    def parse(value: str, _zone: str) -> str:
        if value.strip() not in values:
            raise BadInput(f"{value!r} is not one of {', '.join(values)}.")
        return value.strip()

    return parse


def _yes_no(value: str, _zone: str) -> bool:
    folded = value.strip().casefold()
    if folded in ("yes", "true", "1"):
        return True
    if folded in ("no", "false", "0"):
        return False
    raise BadInput(f"{value!r}: answer yes or no.")


FIELDS: dict[str, dict[str, FieldSpec]] = {
    "log_entry": {
        "note": FieldSpec("note", _text),
        "at": FieldSpec("at", _moment),
        "type": FieldSpec("type", _choice([t.value for t in IncidentType])),
        "question_number": FieldSpec("question_number", _text),
        "assessment_id": FieldSpec("assessment_code", _text),
    },
    "allocation": {
        "result": FieldSpec("result", _choice([r.value for r in Result])),
        "outcome": FieldSpec("state", _choice([s.value for s in AllocationState])),
        "started_at": FieldSpec("started_at", _moment),
        "finished_at": FieldSpec("finished_at", _moment),
        "workstation": FieldSpec("workstation_label", _text),
    },
    "identity_check": {
        "method": FieldSpec("method", _choice(["photo_id", "known_to_invigilator", "id_to_camera", "paper_log"])),
        "id_type": FieldSpec("id_type", _text),
        "match_confirmed": FieldSpec("match_confirmed", _yes_no),
        "at": FieldSpec("at", _moment),
    },
}


def field_names(entity: str) -> list[str]:
    """The fields of a log entry, allocation or identity check that an amendment can correct."""
    return list(FIELDS.get(entity, {}))


MODELS: dict[str, type[Any]] = {"log_entry": LogEntry, "allocation": Allocation, "identity_check": IdentityCheck}
_NOUNS: dict[type[Any], str] = {
    LogEntry: "a log entry",
    Allocation: "an allocation",
    IdentityCheck: "an identity check",
}


@dataclass(frozen=True)
class AmendmentView:
    id: int
    session_id: int | None
    entity: str
    entity_id: int
    field: str
    original: str
    amended: str
    reason: str
    by: str
    at: str
    """ISO 8601 in the centre's zone, to the minute."""

    def line(self) -> str:
        """As the record shows it: "field: original → amended (reason, by, when)"."""
        when = when_text(datetime.fromisoformat(self.at))
        return f"{self.field}: {self.original or '—'} → {self.amended or '—'} ({self.reason}, {self.by}, {when})"


def _shown(value: Any, zone_name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local(value, zone_name).isoformat(timespec="minutes")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _session_id_of(session: Session, obj: Any) -> int | None:
    if isinstance(obj, LogEntry | Allocation):
        return obj.session_id
    if isinstance(obj, IdentityCheck):
        alloc = session.get(Allocation, obj.allocation_id)
        return alloc.session_id if alloc is not None else None
    return None


def _committed_state(session: Session, session_id: int | None) -> str | None:
    """The session's state as this transaction found it (a change made now does not count)."""
    if session_id is None:
        return None
    row = session.get(SessionRow, session_id)
    if row is None:
        return None
    history = inspect(row).attrs.state.history
    return str(history.deleted[0]) if history.deleted else row.state


def _changed_columns(obj: Any) -> set[str]:
    state = inspect(obj)
    return {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}


LATE_REASONS = {
    SessionState.CLOSED.value: "recorded after the session was closed",
    SessionState.SIGNED_OFF.value: "recorded after the record was signed off",
}


@event.listens_for(Session, "before_flush")
def _mark_late_entries(session: Session, _context: Any, _instances: Any) -> None:
    """Every log entry added to a closed or signed-off session is late, with its reason,
    however it arrives (the console, ``session log``, a transcription, an import); so is an
    entry whose time is amended after closing. The caller's own reason is kept."""
    new = [o for o in session.new if isinstance(o, LogEntry)]
    retimed = [o for o in session.dirty if isinstance(o, LogEntry) and "at" in _changed_columns(o)]
    if not new and not retimed:
        return
    with session.no_autoflush:
        for obj in new + retimed:
            state = _committed_state(session, obj.session_id)
            if state not in GUARDED_STATES:
                continue
            default = LATE_REASONS[str(state)]
            if obj in retimed:
                default = f"time amended after the session was {'signed off' if state == 'signed_off' else 'closed'}"
            if obj.transcribed:
                default = default.replace("recorded", "transcribed")
            if not obj.late or not (obj.late_reason or "").strip():
                obj.late_reason = (obj.late_reason or "").strip() or default
            obj.late = True


@event.listens_for(Session, "before_flush")
def _refuse_direct_edits(session: Session, _context: Any, _instances: Any) -> None:
    """No flush changes or deletes a log entry, allocation or identity check of a closed
    or signed-off session, except inside ``amend`` (and an entry's follow-up)."""
    if session.info.get(AMENDING):
        return
    purging: frozenset[int] = session.info.get(PURGING, frozenset())
    guarded = [
        (o, "delete")
        for o in session.deleted
        if isinstance(o, tuple(MODELS.values())) and (not purging or _session_id_of(session, o) not in purging)
    ]
    for obj in session.dirty:
        if isinstance(obj, tuple(MODELS.values())) and obj not in session.deleted:
            changed = _changed_columns(obj)
            if isinstance(obj, LogEntry):
                changed -= FOLLOW_UP_FIELDS
            if changed:
                guarded.append((obj, "change " + ", ".join(sorted(changed))))
    if not guarded:
        return
    with session.no_autoflush:
        for obj, what in guarded:
            session_id = _session_id_of(session, obj)
            state = _committed_state(session, session_id)
            if state in GUARDED_STATES:
                raise NotPermitted(
                    f"Session {session_id} is {state.replace('_', ' ')}: its record cannot be edited "
                    f"(tried to {what} of {_NOUNS[type(obj)]}). Record a correction as an amendment with a reason."
                )


@contextmanager
def _amending(session: Session) -> Iterator[None]:
    session.info[AMENDING] = True
    try:
        yield
        session.flush()
    finally:
        session.info.pop(AMENDING, None)


@contextmanager
def permit_purge(session: Session, session_ids: Iterable[int]) -> Iterator[None]:
    """The one exception to the guard besides ``amend``: a retention purge may delete the
    rows of exactly these sessions (and change none); every deleted row is still chained
    in the audit trail."""
    session.info[PURGING] = frozenset(session_ids)
    try:
        yield
        session.flush()
    finally:
        session.info.pop(PURGING, None)


def amend(station: Station, entity: str, entity_id: int, field: str, new_value: str, reason: str) -> AmendmentView:
    """Correct one field of a closed or signed-off session's entry, allocation or identity
    check; the original is kept beside it. Coordinators, and the session's invigilator."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="amend records")
    if entity not in FIELDS:
        raise BadInput(f"{entity!r} cannot be amended: use one of {', '.join(FIELDS)}.")
    spec = FIELDS[entity].get(field)
    if spec is None:
        raise BadInput(
            f"The field {field!r} of a {entity.replace('_', ' ')} cannot be amended: use one of "
            f"{', '.join(FIELDS[entity])}."
        )
    reason = reason.strip()
    if not reason:
        raise BadInput("An amendment needs a reason.")
    if len(reason) > REASON_MAX:
        raise BadInput(f"Keep the reason under {REASON_MAX} characters.")
    zone_name = station.zone
    value = spec.parse(new_value, zone_name)
    with station.write() as session:
        obj = session.get(MODELS[entity], entity_id)
        if obj is None:
            raise NotFound(f"There is no {entity.replace('_', ' ')} {entity_id}.")
        session_id = _session_id_of(session, obj)
        assert session_id is not None
        row = session_for_write(station, session, session_id)
        if row.state not in GUARDED_STATES:
            raise BadInput(
                f"Session {session_id} is {row.state.replace('_', ' ')}: change it directly; "
                "amendments are for closed or signed-off sessions."
            )
        original = _shown(getattr(obj, spec.attribute), zone_name)
        amended = _shown(value, zone_name)
        if original == amended:
            raise BadInput(f"The {field} already is {amended or 'empty'}; nothing to amend.")
        if isinstance(obj, Allocation) and spec.attribute == "result":
            check_result(session, obj, value, zone_name)
        now = station.now()
        amendment = Amendment(
            session_id=session_id,
            entity=entity,
            entity_id=entity_id,
            field=field,
            original=original,
            amended=amended,
            reason=reason,
            by_id=station.actor.id,
            at=now,
        )
        with _amending(session):
            setattr(obj, spec.attribute, value)
            session.add(amendment)
        return AmendmentView(
            amendment.id,
            session_id,
            entity,
            entity_id,
            field,
            original,
            amended,
            reason,
            station.actor.name,
            _shown(now, zone_name),
        )


def amendments_in(session: Session, session_id: int, zone_name: str) -> list[AmendmentView]:
    """A session's amendments, oldest first (for the record and the views)."""
    rows = session.execute(
        select(Amendment, User.name)
        .outerjoin(User, User.id == Amendment.by_id)
        .where(Amendment.session_id == session_id)
        .order_by(Amendment.at, Amendment.id)
    ).all()
    return [
        AmendmentView(
            a.id,
            a.session_id,
            a.entity,
            a.entity_id,
            a.field,
            a.original,
            a.amended,
            a.reason,
            name or "?",
            _shown(a.at, zone_name),
        )
        for a, name in rows
    ]


def record_entries(session: Session, views: list[AmendmentView]) -> list[RecordEntry]:
    """Amendments of allocations and identity checks as lines of the record's log (those
    of log entries are shown on the entry itself)."""
    out = []
    for a in views:
        if a.entity == "log_entry":
            continue
        alloc_id = a.entity_id
        if a.entity == "identity_check":
            check = session.get(IdentityCheck, a.entity_id)
            alloc_id = check.allocation_id if check is not None else 0
        alloc = session.get(Allocation, alloc_id)
        who = [f"{alloc.candidate.full_name} ({alloc.candidate.registration_number})"] if alloc is not None else []
        what = "Identity check" if a.entity == "identity_check" else "Allocation"
        seat = f" at {alloc.workstation_label}" if alloc is not None and alloc.workstation_label else ""
        out.append(
            RecordEntry(
                at=a.at,
                type="amendment",
                type_label="Amendment",
                candidates=who,
                note=f"{what}{seat} amended: {a.field}",
                recorded_by=a.by,
                amendments=[a.line()],
            )
        )
    return out


def list_amendments(station: Station, session_id: int) -> list[AmendmentView]:
    with station.read() as session:
        return amendments_in(session, session_id, station.zone)
