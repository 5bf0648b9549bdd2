"""Creating a store, unlocking it, and the data directory."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import platformdirs
from sqlalchemy import select

from invigilator_app.domain.enums import Role, SiteType
from invigilator_app.domain.errors import (
    BadInput,
    NotPermitted,
    StoreExists,
    StoreMissing,
    WrongPassword,
)
from invigilator_app.security import recovery
from invigilator_app.security.keyslots import (
    RECOVERY_OWNER,
    SlotFile,
    new_data_key,
    user_owner,
    wipe,
)
from invigilator_app.security.station import new_station_identity
from invigilator_app.store import audit
from invigilator_app.store.database import Database, StorePaths
from invigilator_app.store.models import Centre, Meta, User
from invigilator_app.services.station import Actor, Clock, Station, system_clock

APP_NAME = "InvigilationStation"
MIN_PASSWORD = 12


def default_data_dir() -> Path:
    override = os.environ.get("INVIGILATOR_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def check_new_password(password: str, who: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"The password for {who} is too short: use at least {MIN_PASSWORD} characters.")


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
    for label, value in (("--centre-name", centre_name), ("--centre-number", centre_number), ("--coordinator", coordinator)):
        if not value.strip():
            raise BadInput(f"{label} must not be empty.")
    try:
        site = SiteType(site_type)
    except ValueError:
        raise BadInput(f"Unknown site type {site_type!r}: use one of {', '.join(s.value for s in SiteType)}.") from None
    check_new_password(password, coordinator)
    data_dir.mkdir(parents=True, exist_ok=True)
    store_id = str(uuid.uuid4())
    key = new_data_key()
    recovery_key = recovery.new_recovery_key()
    slots = SlotFile.create(paths.slots, store_id)
    slots.put(user_owner(coordinator), password.encode("utf-8"), key)
    slots.put(RECOVERY_OWNER, recovery.normalise(recovery_key), key)
    db = Database.open(paths, key, create=True)
    try:
        identity = new_station_identity(centre_name.strip(), centre_number.strip())
        now = clock()
        with db.session() as session, session.begin():
            session.add_all(
                [
                    Meta(key="store_id", value=store_id),
                    Meta(key="station_key_pem", value=identity.key_pem.decode("ascii")),
                    Meta(key="station_cert_pem", value=identity.cert_pem.decode("ascii")),
                    Centre(name=centre_name.strip(), number=centre_number.strip(), address=address, site_type=site.value),
                    User(name=coordinator.strip(), role=Role.COORDINATOR.value, created_at=now),
                ]
            )
            audit.append_pending(session, coordinator.strip(), now)
    finally:
        db.close()
        wipe(key)
    slots.save()
    return recovery_key


def open_station(
    data_dir: Path,
    password: str,
    *,
    user: str | None = None,
    clock: Clock = system_clock,
) -> Station:
    """Unlock the store with a user's password. WrongPassword (exit 5) when it does not fit."""
    paths = StorePaths(data_dir)
    if not paths.slots.exists():
        raise StoreMissing(
            f"There is no store in {data_dir}. Create one with "
            "`invigilator-app init` (or pass --data-dir)."
        )
    slots = SlotFile.load(paths.slots)
    if user is not None:
        owners = [user_owner(user)]
    else:
        owners = [o for o in slots.owners() if o.startswith("user:")]
    key = None
    owner = ""
    for owner in owners:
        try:
            key = slots.open(owner, password.encode("utf-8"))
            break
        except WrongPassword:
            continue
    if key is None:
        who = f"user {user}" if user else "any user"
        raise WrongPassword(f"Wrong password for {who} (store in {data_dir}).")
    try:
        db = Database.open(paths, key)
    finally:
        wipe(key)
    name = owner.removeprefix("user:")
    with db.session() as session:
        row = session.scalars(select(User)).all()
        match = next((u for u in row if u.name.casefold() == name), None)
    if match is None or match.disabled:
        db.close()
        raise NotPermitted(f"The account {name} is disabled or no longer exists.")
    if match.expires_at is not None and match.expires_at <= clock():
        db.close()
        raise NotPermitted(f"The account {match.name} expired on {match.expires_at:%d %b %Y}.")
    actor = Actor(id=match.id, name=match.name, role=Role(match.role))
    if actor.role is Role.INSPECTOR:
        db.close()
        with_key = slots.open(owner, password.encode("utf-8"))
        try:
            db = Database.open(paths, with_key, read_only=True)
        finally:
            wipe(with_key)
    return Station(db, actor, clock)
