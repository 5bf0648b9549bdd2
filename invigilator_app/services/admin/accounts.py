"""Accounts: who may unlock the station, with which role, and the recovery path.

Roles (the checks live in the services; the GUI only mirrors them):
- coordinator: everything;
- invigilator: runs the sessions assigned to them, records, signs off their own record,
  changes their own password;
- inspector: read-only (view, verify, export), on a time-limited account a coordinator
  makes for a monitoring visit; it expires by itself, and its connection is query-only.

A user with a password has a key slot (``keyslots.json``) that wraps the data key. The
store is written first, with the new slot journalled in the same transaction as the
audited change to the user; the slot file is rewritten after the commit
(``services.slot_journal``), so a failure at any point leaves the old state or the new
one (completed at the next unlock) and a message that says which. Disabling a user removes their key slot
and rotates the data key. These are the
station's own passwords: the invigilator's IMI password is never asked for (INV-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import (
    BadInput,
    NoSpace,
    NotFound,
    NotPermitted,
    StoreMissing,
    WrongPassword,
)
from invigilator_app.domain.timezones import local, to_utc
from invigilator_app.security import recovery
from invigilator_app.security.keyslots import RECOVERY_OWNER, SlotFile, user_owner, wipe
from invigilator_app.security.lockout import AttemptLog
from invigilator_app.services import key_rotation, slot_journal
from invigilator_app.services.access import centre_words, check_new_password, note_attempt_file, slot_secret
from invigilator_app.services.station import Actor, Clock, Station, system_clock
from invigilator_app.services.trust import keys
from invigilator_app.store import faults
from invigilator_app.store.database import Database, StorePaths
from invigilator_app.store.models import Meta, User

_C, _I, _X = Role.COORDINATOR, Role.INVIGILATOR, Role.INSPECTOR
ACTIONS: dict[str, frozenset[Role]] = {
    "view records": frozenset({_C, _I, _X}),
    "verify the store": frozenset({_C, _I, _X}),
    "export records": frozenset({_C, _I, _X}),
    "plan sessions": frozenset({_C}),
    "change sessions": frozenset({_C}),
    "import candidates": frozenset({_C}),
    "manage users": frozenset({_C}),
    "record in own sessions": frozenset({_C, _I}),
    "sign off own record": frozenset({_I}),
    "amend records": frozenset({_C, _I}),
    "sign audit checkpoints": frozenset({_C, _I}),
    "change own password": frozenset({_C, _I}),
    "view the quality file": frozenset({_C, _X}),
    "record EQA visits": frozenset({_C}),
    "sign off visit actions": frozenset({_C, _X}),
    "tick off the sampling plan": frozenset({_C, _X}),
    "record complaints": frozenset({_C}),
}
"""The role × action matrix the services enforce (tests/security/test_role_matrix.py)."""


def may(role: Role, action: str) -> bool:
    """For the GUI: whether to offer an action at all (the service still checks)."""
    return role in ACTIONS[action]


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise BadInput(f"Unknown role {text!r}: use one of {', '.join(r.value for r in Role)}.") from None


@dataclass(frozen=True)
class AccountView:
    name: str
    role: str
    status: str
    """active, disabled or expired."""
    expires: str
    """The last day the account works (centre time), or empty."""
    login: bool
    """Has a password (a key slot)."""


def _slots(station: Station) -> SlotFile:
    return SlotFile.load(station.db.paths.slots)


def _find(session: Session, name: str) -> User | None:
    return session.scalars(select(User).where(func.lower(User.name) == name.strip().lower())).first()


def _get(session: Session, name: str) -> User:
    user = _find(session, name)
    if user is None:
        raise NotFound(f"There is no user called {name.strip()}. `invigilator-app users list` shows them.")
    return user


def _status(station: Station, user: User) -> str:
    if user.disabled:
        return "disabled"
    if user.expires_at is not None and user.expires_at <= station.now():
        return "expired"
    return "active"


def _last_day(station: Station, user: User) -> str:
    if user.expires_at is None:
        return ""
    return (local(user.expires_at, station.zone) - timedelta(seconds=1)).date().isoformat()


def list_accounts(station: Station) -> list[AccountView]:
    """Every user, with role, status and whether they can unlock (every role may look)."""
    owners = set(_slots(station).owners())
    rank = {role.value: i for i, role in enumerate(Role)}
    with station.read() as session:
        users = sorted(session.scalars(select(User)), key=lambda u: (rank.get(u.role, 9), u.name.casefold()))
        return [
            AccountView(u.name, u.role, _status(station, u), _last_day(station, u), user_owner(u.name) in owners)
            for u in users
        ]


def _put_slot(
    station: Station, session: Session, name: str, password: str, extras: dict[str, bytes] | None = None
) -> SlotFile:
    """Wrap the data key (and ``extras``, the person's private keys) for the new password and
    journal the slot in this transaction; the slot file is written by ``_finish_slot`` once
    the transaction has committed."""
    slots = _slots(station)
    slots.put(
        user_owner(name),
        password.encode("utf-8"),
        station.db.key,
        station_secret=slot_secret(slots.store_id),
        extras=extras,
    )
    slot_journal.stage(session, slots, user_owner(name))
    return slots


def _finish_slot(station: Station, slots: SlotFile, name: str, *, saved: str, pending: str) -> None:
    slot_journal.finish(
        station.db,
        slots,
        [user_owner(name)],
        station.actor.name,
        saved=saved,
        pending=pending,
        signer=station.signer,
        store_id=station.store_id,
    )


def _centre_key(station: Station) -> object:
    if station.centre_key is None:
        raise NotPermitted(
            f"{station.actor.name}'s key slot does not hold the centre key, which issues every person's "
            "signing certificate: a coordinator who holds it (the one who created the store, or one whose "
            "password they set) must do this."
        )
    return station.centre_key


def _new_key_slot(station: Station, session: Session, user: User, password: str, reason: str) -> SlotFile:
    """A new signing key and certificate for ``user``, wrapped in their new slot."""
    centre_key = _centre_key(station)
    issued = keys.issue_key(session, centre_key, user, station.now(), reason=reason)  # type: ignore[arg-type]
    return _put_slot(station, session, user.name, password, keys.extras(issued.key, centre_key, user.role))  # type: ignore[arg-type]


def _note_password_set(session: Session, user: User, when: str) -> None:
    """Leave an audited trace of a password change (the slot file itself is outside the store)."""
    key = f"password_set:{user.id}"
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=when))
    else:
        row.value = when


def add_user(
    station: Station,
    name: str,
    role: str | Role,
    password: str,
    *,
    imi_pin: str = "",
    expires: date | None = None,
) -> AccountView:
    """A new account with a password (coordinator only). An invigilator needs their IMI
    PIN (INV-1: the record shows it); an inspector needs the last day of the visit. A user
    already known without a password (an invigilator named in a plan) gets one, and a
    disabled one of the same role is enabled again."""
    station.require(Role.COORDINATOR, action="manage users")
    role = role if isinstance(role, Role) else parse_role(role)
    name = name.strip()
    if not name:
        raise BadInput("A user needs a name.")
    if len(name) > 120:
        raise BadInput("Keep the user's name under 120 characters.")
    if role is Role.INVIGILATOR and not imi_pin.strip():
        raise BadInput(f"{name}: an invigilator needs their IMI PIN (--imi-pin); the record shows it (INV-1).")
    if role is Role.INSPECTOR:
        if imi_pin.strip():
            raise BadInput("An inspector has no IMI PIN.")
        if expires is None:
            raise BadInput("An inspector's account is for a monitoring visit: give its last day with --expires DATE.")
    expires_at = None
    if expires is not None:
        expires_at = to_utc(expires + timedelta(days=1), time(0, 0), station.zone)
        if expires_at <= station.now():
            raise BadInput(f"--expires {expires.isoformat()} is in the past.")
    with station.read() as session:
        centre = centre_words(session)
    check_new_password(password, name, centre=centre, year=station.now().year)
    owners = set(_slots(station).owners())
    with station.write() as session:
        now = station.now()
        user = _find(session, name)
        if user is None:
            user = User(name=name, role=role.value, imi_pin=imi_pin.strip(), created_at=now, expires_at=expires_at)
            if role is Role.INVIGILATOR:
                user.nominated_by_id, user.nominated_at = station.actor.id, now  # INV-4
            session.add(user)
        elif user.role != role.value:
            raise BadInput(f"There is already a user called {user.name}, as {user.role}.")
        elif user_owner(user.name) in owners and not user.disabled:
            raise BadInput(f"{user.name} already has a password: `invigilator-app users passwd` changes it.")
        else:
            user.disabled = False
            user.expires_at = expires_at
            if imi_pin.strip():
                user.imi_pin = imi_pin.strip()
        session.flush()
        _note_password_set(session, user, now.isoformat())
        session.flush()
        slots = _new_key_slot(station, session, user, password, "new key when the account was given a password")
        view = AccountView(user.name, user.role, "active", _last_day(station, user), True)
    _finish_slot(
        station,
        slots,
        view.name,
        saved=f"The account of {view.name}",
        pending=f"{view.name} cannot unlock the station yet",
    )
    return view


def disable_user(station: Station, name: str) -> str:
    """The account can no longer unlock: disabled in the store, its certificate revoked, its
    key slot removed, and the data key rotated (``services.key_rotation``), so an old copy
    of their slot no longer opens the store. Returns what the rotation says."""
    station.require(Role.COORDINATOR, action="manage users")
    with station.write() as session:
        user = _get(session, name)
        if user.id == station.actor.id:
            raise BadInput("You cannot disable your own account.")
        if user.disabled:
            raise BadInput(f"{user.name} is already disabled.")
        user.disabled = True
        keys.revoke(session, user.id, station.now(), f"account disabled by {station.actor.name}")
        key_rotation.mark_due(session, f"{user.name} disabled by {station.actor.name}")
        session.flush()
        slots = _slots(station)
        owner = user_owner(user.name)
        if owner in slots.slots:
            slots.remove(owner)
            slot_journal.stage(session, slots, owner)
        disabled = user.name
    if owner in _slots(station).slots:
        slot_journal.finish(
            station.db,
            slots,
            [owner],
            station.actor.name,
            saved=f"Disabling {disabled}",
            signer=station.signer,
            store_id=station.store_id,
            pending=f"{disabled}'s key slot is still in the file (it no longer unlocks: the account is disabled)",
        )
    try:
        return key_rotation.rotate(station, {owner})
    except (NoSpace, OSError) as exc:
        if isinstance(exc, OSError) and not faults.is_no_space(exc):
            raise
        raise NoSpace(
            f"No space: the disk holding {station.db.paths.data_dir} is full, or a quota or file-size limit was "
            f"reached. Disabling {disabled} is saved in the store (their key slot is removed and their "
            "certificate revoked), but the data key could not be changed yet: that is done at the next "
            "coordinator unlock when there is space."
        ) from None


def set_password(station: Station, name: str, new_password: str) -> None:
    """A coordinator sets anyone's password; an invigilator changes their own. Inspectors
    cannot (their access is read-only; a coordinator sets it)."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="change passwords")
    with station.read() as session:
        target = _get(session, name)
        target_id, target_name, disabled = target.id, target.name, target.disabled
        centre = centre_words(session)
    if station.actor.role is not Role.COORDINATOR and target_id != station.actor.id:
        raise NotPermitted(f"{station.actor.name} may change only their own password, not {target_name}'s.")
    if disabled:
        raise BadInput(f"{target_name} is disabled: `invigilator-app users add` enables the account again.")
    check_new_password(new_password, target_name, centre=centre, year=station.now().year)
    with station.write() as session:
        user = _get(session, target_name)
        _note_password_set(session, user, station.now().isoformat())
        session.flush()
        if user.id == station.actor.id and station.signer is not None:
            # Their own password: the same key, wrapped under the new one.
            slots = _put_slot(
                station,
                session,
                user.name,
                new_password,
                keys.extras(station.signer.key, station.centre_key, user.role),
            )
        elif user.id == station.actor.id and station.centre_key is None:
            # An account of an upgraded store without a key yet: a coordinator's password reset gives one.
            slots = _put_slot(station, session, user.name, new_password)
        else:
            slots = _new_key_slot(
                station, session, user, new_password, f"new key: password set by {station.actor.name}"
            )
    _finish_slot(
        station,
        slots,
        target_name,
        saved=f"The new password of {target_name}",
        pending="the old password still opens the store for now",
    )


def recover(
    data_dir: Path,
    recovery_key: str,
    new_password: str,
    *,
    user: str | None = None,
    clock: Clock = system_clock,
) -> str:
    """Unlock with the recovery key and set a new password for a coordinator (the only
    one, or ``user``). Works without the OS credential store and during a lockout of
    the coordinator's password; the coordinator's wrong-attempt count is cleared.
    Returns the coordinator's name."""
    paths = StorePaths(data_dir)
    if not paths.slots.exists():
        raise StoreMissing(f"There is no store in {data_dir}.")
    slots = SlotFile.load(paths.slots)
    attempts = AttemptLog(data_dir, slots.store_id, clock, slots=slots)
    attempts.check(RECOVERY_OWNER, "the recovery key")
    try:
        key, wrapped = slots.open_with_extras(RECOVERY_OWNER, recovery.normalise(recovery_key))
    except WrongPassword:
        attempts.failed(RECOVERY_OWNER)
        raise WrongPassword(f"That is not the recovery key of the store in {data_dir}.") from None
    attempts.succeeded(RECOVERY_OWNER)
    secret = recovery.normalise(recovery_key)
    try:
        settled = key_rotation.settle(paths, key, lambda pending: pending.open_with_extras(RECOVERY_OWNER, secret))
        if settled is not None:
            wipe(key)
            key, wrapped = settled
        db = Database.open(paths, key)
        fresh = SlotFile.load(paths.slots)
        if not fresh.is_age(RECOVERY_OWNER):  # the kind of slot a key rotation can re-seal
            fresh.put(RECOVERY_OWNER, secret, key, extras=wrapped)
            fresh.save()
    finally:
        wipe(key)
    try:
        with db.session() as session:
            coordinators = session.scalars(
                select(User).where(User.role == Role.COORDINATOR.value, User.disabled.is_(False)).order_by(User.name)
            ).all()
            if user is not None:
                chosen = [c for c in coordinators if c.name.casefold() == user.strip().casefold()]
                if not chosen:
                    raise NotFound(f"{user.strip()} is not an active coordinator of this store.")
            elif len(coordinators) != 1:
                names = ", ".join(c.name for c in coordinators) or "none"
                raise BadInput(f"Name the coordinator whose password to set with --user (coordinators: {names}).")
            else:
                chosen = list(coordinators)
            actor = Actor(chosen[0].id, chosen[0].name, Role.COORDINATOR)
            centre = centre_words(session)
        check_new_password(new_password, actor.name, centre=centre, year=clock().year)
        centre_key = keys.unlock_centre_key(wrapped)
        station = Station(db, actor, clock, centre_key=centre_key)
        with station.write() as session:
            row = session.get(User, actor.id)
            assert row is not None
            _note_password_set(session, row, f"{station.now().isoformat()} with the recovery key")
            session.flush()
            if centre_key is not None:
                issued = keys.issue_key(
                    session, centre_key, row, station.now(), reason="new key: password set with the recovery key"
                )
                station.signer = issued.signer()
                slots = _put_slot(
                    station, session, actor.name, new_password, keys.extras(issued.key, centre_key, row.role)
                )
            else:  # a recovery slot from before centre keys: the password only
                slots = _put_slot(station, session, actor.name, new_password)
        _finish_slot(
            station,
            slots,
            actor.name,
            saved=f"The new password of {actor.name}",
            pending="the recovery key (or the old password) still opens the store for now",
        )
        attempts.succeeded(user_owner(actor.name))
        note_attempt_file(station, attempts)
        attempts.clear_reset()
        return actor.name
    finally:
        db.close()
