"""Enrolling a room PC: ``station enrol NAME --out FILE`` on the hub, then ``init
--enrolment FILE`` on the room PC.

The hub builds the station's whole first store: a new data key, the station's own bundle
keys and certificate (issued by the centre key), the hub's bundle certificate and age
recipient, the centre's reference rows and every live account with its travelling key
slot, all written and signed by the enrolling coordinator into the new store's audit
chain. The enrolment file holds that store (SQLCipher, under the new data key), its key
slots and ``centre.pem``, encrypted with age's passphrase mode under a one-time
enrolment code printed with the station's recovery key. On the room PC, ``init
--enrolment`` opens it with the code and puts the store in place; the centre's people
then log in there with their usual passwords.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, StoreExists, VerificationFailed
from invigilator_app.domain.private import private_folder
from invigilator_app.security import bundles, certificates, recovery
from invigilator_app.security.keyslots import RECOVERY_OWNER, SlotFile, new_data_key, wipe
from invigilator_app.services import files
from invigilator_app.services.station import Station
from invigilator_app.services.stations import centre, payloads, rows
from invigilator_app.services.trust import keys
from invigilator_app.store import audit, id_ranges
from invigilator_app.store.centre_models import BundleRecord, EnrolledStation
from invigilator_app.store.database import DB_NAME, ROLE_META, SLOTS_NAME, Database, StorePaths
from invigilator_app.store.models import Meta

FILES = (DB_NAME, SLOTS_NAME, keys.CENTRE_FILE)
MAX_NAME = 40


@dataclass(frozen=True)
class Enrolment:
    path: Path
    name: str
    number: int
    code: str
    recovery_key: str
    notes: list[str]


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise BadInput("A station needs a name (for example the room it stands in).")
    if len(clean) > MAX_NAME:
        raise BadInput(f"Keep a station's name to {MAX_NAME} characters.")
    if clean.casefold() == "hub":
        raise BadInput("'hub' is the coordinator's PC; give the station another name.")
    return clean


def enrol_station(station: Station, name: str, out: Path) -> Enrolment:
    """Enrol a new station (coordinators, on the hub) and write its enrolment file."""
    station.require(Role.COORDINATOR, action="enrol stations")
    name = _clean_name(name)
    files.refuse_link(out)
    if out.exists():
        raise BadInput(f"--out {out} exists already; name a new file. Nothing was written.")
    slots = SlotFile.load(station.db.paths.slots)
    staging = Path(tempfile.mkdtemp(prefix=".enrol-", dir=station.db.paths.data_dir))
    written = False
    try:
        with station.write() as session:
            centre.require_hub(station, session, "enrolling stations")
            hub_keys = centre.become_hub(station, session)
            taken = {s.name.casefold(): s for s in session.scalars(select(EnrolledStation))}
            if name.casefold() in taken:
                raise BadInput(f"A station called {name} is enrolled already.")
            numbers = {s.number for s in taken.values()}
            free = [n for n in range(1, id_ranges.MAX_STATIONS + 1) if n not in numbers]
            if not free:
                raise BadInput(
                    f"This hub has {id_ranges.MAX_STATIONS} stations enrolled, the most one centre can have."
                )
            centre_cert = keys.centre_certificate(session)
            assert centre_cert is not None and station.centre_key is not None
            now = station.now()
            store_id = str(uuid.uuid4())
            own = bundles.new_transport_keys(station.centre_key, centre_cert, name, centre.STATION, store_id, now)
            target = EnrolledStation(
                name=name,
                number=free[0],
                store_id=store_id,
                certificate_pem=certificates.pem(own.certificate),
                recipient=own.recipient,
                enrolled_at=now,
                enrolled_by_id=station.actor.id,
                last_in_seq=0,
                last_out_seq=0,
                chain_entries=0,
                chain_head="",
            )
            session.add(target)
            session.flush()
            payload, cannot = payloads.to_station(session, target, slots, now)
            session.add(
                BundleRecord(
                    direction="out",
                    peer=name,
                    seq=0,
                    sha256="",
                    at=now,
                    by_id=station.actor.id,
                    summary=f"enrolment of {name} (station {target.number})",
                    segment="",
                )
            )
            recovery_key = _build_station_store(
                StorePaths(staging), station, target, own, hub_keys, centre_cert, payload
            )
            code = bundles.new_enrolment_code()
            content = {
                "station": {"name": name, "number": target.number, "store_id": store_id},
                "files": {n: base64.b64encode((staging / n).read_bytes()).decode("ascii") for n in FILES},
            }
            files.write_atomically(out, bundles.seal_enrolment(content, code))
            written = True
    except BaseException:
        if written:  # the hub's write did not commit: the file would enrol a station it does not know
            out.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    notes = [f"{n} cannot log in at the station yet: their password must be used once at the hub." for n in cannot]
    return Enrolment(out, name, target.number, code, recovery_key, notes)


def _build_station_store(
    paths: StorePaths,
    station: Station,
    target: EnrolledStation,
    own: bundles.TransportKeys,
    hub_keys: bundles.TransportKeys,
    centre_cert: x509.Certificate,
    payload: dict[str, Any],
) -> str:
    key = new_data_key()
    recovery_key = recovery.new_recovery_key()
    now = station.now()
    db = Database.open(paths, key, create=True)
    try:
        with db.session() as session, session.begin():
            session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for k, v in (
                ("store_id", target.store_id),
                (keys.CENTRE_CERT, certificates.pem(centre_cert)),
                (ROLE_META, centre.STATION),
                ("station_name", target.name),
                (centre.STATION_NUMBER, str(target.number)),
                (centre.STATION_ID, str(target.id)),
                (centre.CENTRE_STORE, station.store_id),
                (centre.HUB_CERT, certificates.pem(hub_keys.certificate)),
                (centre.HUB_RECIPIENT, hub_keys.recipient),
                (centre.BUNDLE_KEYS, own.to_json()),
                (id_ranges.RANGE_META, id_ranges.encode(target.number)),
                (centre.IN_SEQ, "0"),
                (centre.OUT_SEQ, "0"),
                (centre.SENT_ENTRIES, "0"),
                (centre.HISTORY_AS_OF, now.isoformat()),
                (centre.ACCOUNT_SLOTS, _json(payload["accounts"])),
            ):
                session.add(Meta(key=k, value=v))
            session.flush()
            applied = rows.Applied()
            rows.write_tables(session, dict(payload["tables"]), applied)
            audit.append_pending(session, station.actor.name, now, station.signer, target.store_id)
        slots = SlotFile.create(paths.slots, target.store_id)
        for travelling in dict(payload["accounts"]).values():
            slots.put_travelling(travelling, key)
        slots.put(RECOVERY_OWNER, recovery.normalise(recovery_key), key)
    finally:
        db.close()
    slots.save()
    wipe(key)
    keys.write_centre_file(paths.data_dir, centre_cert)
    wal = paths.db.with_name(paths.db.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise OSError("the new station's store could not be completed (its journal was not written back)")
    return recovery_key


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def init_from_enrolment(data_dir: Path, enrolment: Path, code: str) -> Enrolment:
    """``init --enrolment``: open the enrolment file with its code and put the station's
    store in place (nothing is written when the code or the file is wrong)."""
    paths = StorePaths(data_dir)
    if paths.exists():
        raise StoreExists(f"There is already a store in {data_dir}; nothing was changed.")
    try:
        data = enrolment.read_bytes()
    except OSError as exc:
        raise BadInput(f"--enrolment {enrolment}: cannot be read ({exc.strerror or exc}).") from None
    try:
        content = bundles.open_enrolment(data, code, f"--enrolment {enrolment}")
    except bundles.BundleRefused as exc:
        raise VerificationFailed(str(exc)) from None
    try:
        station = dict(content["station"])
        stored = {n: base64.b64decode(str(content["files"][n])) for n in FILES}
    except (KeyError, TypeError, ValueError):
        raise VerificationFailed(f"--enrolment {enrolment}: the enrolment file is incomplete.") from None
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.init-", dir=data_dir.parent))
    try:
        for n, blob in stored.items():
            (staging / n).write_bytes(blob)
        if data_dir.is_dir() and not any(data_dir.iterdir()):
            data_dir.rmdir()
        if data_dir.exists():
            for n in FILES:
                (staging / n).replace(data_dir / n)
        else:
            staging.replace(data_dir)
        private_folder(data_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Enrolment(enrolment, str(station["name"]), int(station["number"]), "", "", [])
