"""Creating a store, unlocking it, and the data directory."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import select

from invigilator_app.domain.enums import Role, SiteType
from invigilator_app.domain.errors import (
    BadInput,
    InvigilatorError,
    NoSpace,
    NotPermitted,
    StoreExists,
    StoreMissing,
    WrongPassword,
)
from invigilator_app.domain.private import private_folder
from invigilator_app.domain.timefmt import day_text
from invigilator_app.security import certificates, recovery, station_secret
from invigilator_app.security.credential_store import credential_store_status
from invigilator_app.security.keyslots import (
    RECOVERY_OWNER,
    SlotDamaged,
    SlotFile,
    StationSecretNeeded,
    WeakSlot,
    new_data_key,
    user_owner,
    wipe,
)
from invigilator_app.security.lockout import AttemptLog
from invigilator_app.security.passwords import MIN_LENGTH, context_words, password_problem
from invigilator_app.services import key_rotation, slot_checks, slot_journal
from invigilator_app.services.locations import APP_NAME, default_data_dir  # noqa: F401  (re-exported)
from invigilator_app.services.review import amendments as _amendments  # noqa: F401  (installs the signed-off guard)
from invigilator_app.services.station import Actor, Clock, Station, system_clock
from invigilator_app.services.stations import accounts as _station_accounts
from invigilator_app.services.stations import ownership as _ownership  # noqa: F401  (installs the stations' guard)
from invigilator_app.services.trust import keys, upgrade
from invigilator_app.store import audit, faults
from invigilator_app.store.database import DB_NAME, SLOTS_NAME, Database, StorePaths
from invigilator_app.store.models import Centre, Meta, User

MIN_PASSWORD = MIN_LENGTH
ANY_USER = "*"
"""The attempt-log account of unlocks that name no user."""


def check_new_password(password: str, who: str, *, centre: tuple[str, str] = ("", ""), year: int | None = None) -> None:
    """At least 12 characters, not a common password, not the user's name, and strong
    against an offline guess with the centre's name and number, the user's name, the
    station's words and the years around now as the first guesses (BadInput, exit 2)."""
    year = year if year is not None else system_clock().year
    words = context_words(who, *centre, years=range(year - 10, year + 2))
    problem = password_problem(password, names=[who], context=words)
    if problem:
        raise BadInput(f"The password for {who} {problem}; choose another (a few unrelated words work well).")


def centre_words(session: object) -> tuple[str, str]:
    """The centre's name and number, for ``check_new_password`` (``session``: an open store session)."""
    centre = session.scalars(select(Centre)).first()  # type: ignore[attr-defined]
    return (centre.name, centre.number) if centre is not None else ("", "")


def slot_secret(store_id: str) -> bytes | None:
    """The station secret to mix into a password slot written now, or None (password only)."""
    return station_secret.for_new_slot(store_id).secret


def credential_store_note(data_dir: Path, technical: bool = True) -> str:
    """One sentence for the unlock screen, About and the command line: are password slots
    on this PC bound to its OS credential store? ``technical=False``: in plain words, for the
    console and lock screen."""
    status = credential_store_status()
    if not status.secure:
        return status.describe(technical)
    paths = StorePaths(data_dir)
    store_id = SlotFile.load(paths.slots).store_id if paths.slots.exists() else ""
    found = station_secret.lookup(store_id) if store_id else None
    if found is None or found.secret is not None:
        if not technical:
            return "Passwords work only on this PC (it keeps a secret for them in its password safe)."
        return f"{status.describe()} Passwords on this PC also need the station secret kept there."
    if not found.available:
        return f"{found.problem[0].upper()}{found.problem[1:]}: key slots are protected by the password alone."
    return (
        f"{found.problem[0].upper()}{found.problem[1:]}: passwords set from now on add a new one; "
        "passwords set with an earlier one need the recovery key."
    )


def secret_missing_message(problem: str, who: str | None = None, count: int = 1) -> str:
    """Why a password slot made with the station secret cannot be opened, and what to do."""
    if who is not None:
        start = (
            f"The password of {who} cannot open the store on this PC: its key slot was made with this "
            f"station's secret from the OS credential store, and {problem}. Unlock with the recovery key instead"
        )
    else:
        start = (
            f"{count} password key slot(s) could not be tried on this PC: they were made with this station's "
            f"secret from the OS credential store, and {problem}. If yours is one of them, unlock with the "
            "recovery key instead"
        )
    return (
        f"{start}: `invigilator-app recovery` reads it from standard input and sets a new coordinator "
        "password, and a coordinator then sets new passwords for the others (`users passwd`). "
        "Nothing has been deleted: the store and every key slot are unchanged."
    )


def init_store(
    data_dir: Path,
    *,
    centre_name: str,
    centre_number: str,
    coordinator: str,
    password: str,
    address: str = "",
    site_type: str = SiteType.LEAD.value,
    clock: Clock = system_clock,
) -> str:
    """Create the encrypted store and its key slots. Returns the recovery key (shown once)."""
    paths = StorePaths(data_dir)
    if paths.exists():
        raise StoreExists(f"There is already a store in {data_dir}; nothing was changed.")
    for label, value in (
        ("--centre-name", centre_name),
        ("--centre-number", centre_number),
        ("--coordinator", coordinator),
    ):
        if not value.strip():
            raise BadInput(f"{label} must not be empty.")
    try:
        site = SiteType(site_type)
    except ValueError:
        raise BadInput(f"Unknown site type {site_type!r}: use one of {', '.join(s.value for s in SiteType)}.") from None
    check_new_password(password, coordinator, centre=(centre_name, centre_number), year=clock().year)
    # Built in a hidden folder beside the data folder and renamed into place when complete:
    # a failure at any point (a full disk) leaves no half-made store behind.
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.init-", dir=data_dir.parent))
    try:
        recovery_key = _build_store(
            StorePaths(staging), centre_name, centre_number, coordinator, password, address, site, clock
        )
        _move_into_place(staging, data_dir)
        private_folder(data_dir)
    except NoSpace:
        raise faults.no_space(data_dir, "No store was created") from None
    except OSError as exc:
        if faults.is_no_space(exc):
            raise faults.no_space(data_dir, "No store was created") from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return recovery_key


def _build_store(
    paths: StorePaths,
    centre_name: str,
    centre_number: str,
    coordinator: str,
    password: str,
    address: str,
    site: SiteType,
    clock: Clock,
) -> str:
    store_id = str(uuid.uuid4())
    key = new_data_key()
    recovery_key = recovery.new_recovery_key()
    now = clock()
    centre_key, centre_cert = certificates.new_centre(centre_name, centre_number, store_id, now)
    slots = SlotFile.create(paths.slots, store_id)
    db = Database.open(paths, key, create=True)
    try:
        with db.session() as session, session.begin():
            user = User(name=coordinator.strip(), role=Role.COORDINATOR.value, created_at=now)
            session.add_all(
                [
                    Meta(key="store_id", value=store_id),
                    Meta(key=keys.CENTRE_CERT, value=certificates.pem(centre_cert)),
                    Centre(
                        name=centre_name.strip(), number=centre_number.strip(), address=address, site_type=site.value
                    ),
                    user,
                ]
            )
            issued = keys.issue_key(session, centre_key, user, now, reason="")
            audit.append_pending(session, coordinator.strip(), now, issued.signer(), store_id)
        slots.put(
            user_owner(coordinator),
            password.encode("utf-8"),
            key,
            station_secret=slot_secret(store_id),
            extras=keys.extras(issued.key, centre_key, Role.COORDINATOR.value),
        )
        slots.put(
            RECOVERY_OWNER,
            recovery.normalise(recovery_key),
            key,
            extras=keys.extras(None, centre_key, Role.COORDINATOR.value),
        )
    finally:
        db.close()
        wipe(key)
    slots.save()
    wal = paths.db.with_name(paths.db.name + "-wal")
    if wal.exists() and wal.stat().st_size:  # closing could not copy the journal into the database
        raise faults.no_space(paths.data_dir, "No store was created")
    keys.write_centre_file(paths.data_dir, centre_cert)
    return recovery_key


def _move_into_place(staging: Path, data_dir: Path) -> None:
    """The finished store into the data folder: the whole folder renamed when the data
    folder is new or empty; otherwise the database, then the key slots (which mark a store)."""
    if data_dir.is_dir() and not any(data_dir.iterdir()):
        data_dir.rmdir()
    if not data_dir.exists():
        os.replace(staging, data_dir)
        return
    for name in (DB_NAME, keys.CENTRE_FILE, SLOTS_NAME):
        os.replace(staging / name, data_dir / name)


def open_station(
    data_dir: Path,
    password: str,
    *,
    user: str | None = None,
    clock: Clock = system_clock,
) -> Station:
    """Unlock the store with a user's password. WrongPassword (exit 5) when it does not fit.

    Wrong attempts are throttled per account (``security.lockout``): a throttled attempt is
    refused before the password is tried. A slot made with the station secret needs it
    from the OS credential store; without it the message sends the user to the recovery key.
    """
    paths = StorePaths(data_dir)
    if not paths.slots.exists():
        raise StoreMissing(
            f"There is no store in {data_dir}. Create one with `invigilator-app init` (or pass --data-dir)."
        )
    slots = SlotFile.load(paths.slots)
    attempts = AttemptLog(data_dir, slots.store_id, clock, slots=slots)
    if user is not None and user_owner(user) in slots.slots:
        account = user_owner(user)
        attempts.check(account, user.strip())
        owners = [account]
    else:
        account = ANY_USER
        attempts.check(account, user.strip() if user else "any user")
        owners = (
            []
            if user is not None
            else [o for o in slots.owners() if o.startswith("user:") and attempts.retry_at(o) is None]
        )
    found = None
    if any(slots.needs_station_secret(o) for o in owners):
        found = station_secret.lookup(slots.store_id)
    secret = found.secret if found is not None else None
    key = None
    owner = ""
    wrapped: dict[str, bytes] = {}
    needing: list[str] = []
    damaged: list[SlotDamaged] = []
    weak: list[WeakSlot] = []
    for candidate in owners:
        try:
            key, wrapped = slots.open_with_extras(candidate, password.encode("utf-8"), station_secret=secret)
            owner = candidate
            break
        except StationSecretNeeded:
            needing.append(candidate)
        except SlotDamaged as exc:
            damaged.append(exc)
        except WeakSlot as exc:
            weak.append(exc)
        except WrongPassword:
            continue
    if key is None and weak and (user is not None or len(weak) == len(owners)):
        raise weak[0]
    if key is None:
        slot_checks.damage_instead_of_wrong_password(slots, damaged, user)  # exit 4, not counted
        problem = _secret_problem(found, needing)
        if user is not None and needing:
            raise StationSecretNeeded(needing[0], secret_missing_message(problem, who=user.strip()))
        attempts.failed(account)
        who = f"user {user}" if user else "any user"
        message = f"Wrong password for {who} (store in {data_dir})."
        if needing:
            message += " " + secret_missing_message(problem, count=len(needing))
        raise WrongPassword(message)
    attempts.succeeded(owner, *([ANY_USER] if user is None else []))
    used_secret = secret if slots.needs_station_secret(owner) else None
    opened: bytearray = key

    def rewrap(extras: dict[str, bytes]) -> None:
        fresh = SlotFile.load(paths.slots)
        fresh.put(owner, password.encode("utf-8"), opened, station_secret=used_secret, extras=extras)
        fresh.save()

    try:
        settled = key_rotation.settle(
            paths,
            opened,
            lambda pending: pending.open_with_extras(owner, password.encode("utf-8"), station_secret=used_secret),
        )
        if settled is not None:  # a rotation a failure left half-way was completed
            wipe(opened)
            opened, wrapped = settled
            slots = SlotFile.load(paths.slots)
        station = _station_for(paths, opened, owner, clock, wrapped, rewrap)
        station.warnings = slot_checks.slot_warnings(slots, opened, owner)
        if not SlotFile.load(paths.slots).is_age(owner):  # the slot of the kind a rotation can re-seal
            with contextlib.suppress(OSError, InvigilatorError):
                rewrap(wrapped)
    finally:
        wipe(opened)
    note_attempt_file(station, attempts)
    station.warnings += key_rotation.at_unlock(station)
    if station.db.centre_role == "station":  # slots a kill left behind the last bundle
        with contextlib.suppress(OSError, InvigilatorError):
            station.warnings += _station_accounts.sync_slots(station)
    return station


def note_attempt_file(station: Station, attempts: AttemptLog) -> None:
    """At an unlock after the record of wrong passwords was found missing or replaced:
    note it in the audit trail (a ``security_event:`` row in store_meta, chained like every
    row). An inspector's read-only unlock leaves it for the next one that can write."""
    note = attempts.pending_note()
    if note is None or station.db.read_only:
        return
    with station.write() as session:
        session.add(Meta(key=f"security_event:{station.now().isoformat()}", value=note))
    attempts.mark_noted()


def _secret_problem(found: station_secret.SecretLookup | None, needing: list[str]) -> str:
    if not needing:
        return ""
    if found is not None and found.secret is not None:
        return "the OS credential store holds another station secret than the one this slot was made with"
    return found.problem if found is not None else "there is no station secret"


def _station_for(
    paths: StorePaths,
    key: bytearray,
    owner: str,
    clock: Clock,
    wrapped: dict[str, bytes] | None = None,
    rewrap: keys.Rewrap | None = None,
) -> Station:
    """Open the store with the data key as the user who owns the slot that gave it, with
    the keys that slot wraps (services.trust.keys)."""
    db = Database.open(paths, key)
    name = owner.removeprefix("user:")
    with db.session() as session:
        row = session.scalars(select(User)).all()
        match = next((u for u in row if u.name.casefold() == name), None)
    if match is None or match.disabled:
        db.close()
        raise NotPermitted(f"The account {name} is disabled or no longer exists.")
    if match.expires_at is not None and match.expires_at <= clock():
        db.close()
        raise NotPermitted(f"The account {match.name} expired on {day_text(match.expires_at)}.")
    actor = Actor(id=match.id, name=match.name, role=Role(match.role))
    if actor.role is Role.INSPECTOR:
        db.close()
        db = Database.open(paths, key, read_only=True)
    try:
        unlocked = upgrade.after_unlock(db, actor.id, wrapped or {}, rewrap or (lambda _extras: None), clock())
    except BaseException:
        db.close()
        raise
    station = Station(db, actor, clock, unlocked.signer, unlocked.centre_key)
    if actor.role is not Role.INSPECTOR:  # a slot change a full disk left pending
        slot_journal.replay(db, paths.slots, actor.name, station.signer, station.store_id)
    return station


def unlock_again(locked: Station, password: str) -> Station:
    """Unlock a locked station in place: every holder of the Station object goes on
    working with it (the GUI returns to exactly where it was)."""
    fresh = reopen(locked, password)
    locked.db = fresh.db
    locked.signer, locked.centre_key = fresh.signer, fresh.centre_key
    return locked


def reopen(locked: Station, password: str) -> Station:
    """After an auto-lock: the same user's password gives a new Station (throttled like
    any unlock); the locked one stays locked."""
    station = open_station(locked.db.paths.data_dir, password, user=locked.actor.name, clock=locked.clock)
    if station.actor.id != locked.actor.id:
        station.close()
        raise NotPermitted(f"That password belongs to {station.actor.name}, not {locked.actor.name}.")
    return station
