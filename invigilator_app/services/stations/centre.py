"""A store's place in a centre with several rooms: a hub (the coordinator's PC, holding
the centre key and the whole centre's history) or an enrolled station (a room PC). A
single-PC centre is a hub with no stations and behaves exactly as before.

What a store knows of its role lives in ``store_meta``: ``store_role``, the id range
(``store.id_ranges``), its own bundle keys, and on a station the hub's bundle
certificate and recipient, the sequence numbers, and the age of its centre history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.domain.timefmt import when_text
from invigilator_app.security import bundles, certificates
from invigilator_app.services.station import Station
from invigilator_app.services.trust import keys
from invigilator_app.store import id_ranges
from invigilator_app.store.centre_models import EnrolledStation, StationSession
from invigilator_app.store.database import ROLE_META
from invigilator_app.store.models import Meta

HUB, STATION = bundles.HUB_ROLE, bundles.STATION_ROLE
BUNDLE_KEYS = "bundle_keys"
"""This store's own bundle keys (``bundles.TransportKeys`` as JSON)."""
STATION_NUMBER = "station_number"
STATION_ID = "station_row_id"
CENTRE_STORE = "centre_store_id"
"""The hub's store id: the one people's certificates name, everywhere in the centre."""
HUB_CERT = "hub_bundle_certificate"
HUB_RECIPIENT = "hub_recipient"
IN_SEQ = "bundle_in_seq"
OUT_SEQ = "bundle_out_seq"
SENT_ENTRIES = "bundle_sent_entries"
"""On a station: how much of its own chain has gone to the hub (entry count)."""
HISTORY_AS_OF = "centre_history_as_of"
ACCOUNT_SLOTS = "account_slots"
"""On a station: the travelling key slots of the last hub bundle (applied to keyslots.json)."""
SENT_DIR = "sent"


def meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row is not None else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    elif row.value != value:
        row.value = value


def role_of(session: Session) -> str | None:
    """ "hub", "station", or None (a single-PC centre: a hub without stations)."""
    return meta(session, ROLE_META)


def transport_keys(session: Session) -> bundles.TransportKeys | None:
    text = meta(session, BUNDLE_KEYS)
    return bundles.TransportKeys.from_json(text) if text else None


def require_hub(station: Station, session: Session, action: str) -> None:
    if role_of(session) == STATION:
        raise NotPermitted(
            f"This PC is station {meta(session, 'station_name') or '?'} of the centre: {action} is done at the hub."
        )


def require_station(session: Session, action: str) -> None:
    if role_of(session) != STATION:
        raise NotPermitted(f"This PC is not an enrolled station: {action} is done on a station.")


def become_hub(station: Station, session: Session) -> bundles.TransportKeys:
    """The hub's bundle keys and id range, made at its first enrolment (coordinators)."""
    found = transport_keys(session)
    if found is not None:
        return found
    centre = keys.centre_certificate(session)
    if centre is None or station.centre_key is None:
        raise NotPermitted(
            f"{station.actor.name} cannot enrol stations: only a coordinator holding the centre key "
            "(unlocked with their password on the hub) can."
        )
    made = bundles.new_transport_keys(station.centre_key, centre, "hub", HUB, station.store_id, station.now())
    set_meta(session, BUNDLE_KEYS, made.to_json())
    set_meta(session, ROLE_META, HUB)
    set_meta(session, id_ranges.RANGE_META, id_ranges.encode(id_ranges.HUB))
    set_meta(session, CENTRE_STORE, station.store_id)
    station.db.set_centre_role(HUB, id_ranges.bounds(id_ranges.HUB))
    return made


def station_by_name(session: Session, name: str) -> EnrolledStation:
    wanted = name.strip().casefold()
    for row in session.scalars(select(EnrolledStation)):
        if row.name.casefold() == wanted:
            return row
    known = ", ".join(r.name for r in session.scalars(select(EnrolledStation).order_by(EnrolledStation.number)))
    raise BadInput(f"There is no enrolled station called {name!r}" + (f" (enrolled: {known})." if known else "."))


@dataclass(frozen=True)
class StationView:
    """One line of the hub's Stations area."""

    name: str
    number: int
    enrolled: str
    last_in: str
    last_out: str
    records_as_of: str
    sessions_out: list[int]
    seq_in: int
    seq_out: int


def stations_overview(station: Station) -> list[StationView]:
    """Every enrolled station with its last bundle in and out and the sessions out at it."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="see the centre's stations")
    zone = station.zone
    with station.read() as session:
        held: dict[int, list[int]] = {}
        for row in session.scalars(select(StationSession).where(StationSession.held.is_(True))):
            held.setdefault(row.station_id, []).append(row.session_id)
        out = []
        for s in session.scalars(select(EnrolledStation).order_by(EnrolledStation.number)):
            out.append(
                StationView(
                    name=s.name,
                    number=s.number,
                    enrolled=when_text(s.enrolled_at, zone),
                    last_in=f"#{s.last_in_seq}, {when_text(s.last_in_at, zone)}" if s.last_in_at else "none yet",
                    last_out=f"#{s.last_out_seq}, {when_text(s.last_out_at, zone)}" if s.last_out_at else "none yet",
                    records_as_of=when_text(s.records_as_of, zone) if s.records_as_of else "no records yet",
                    sessions_out=sorted(held.get(s.id, [])),
                    seq_in=s.last_in_seq,
                    seq_out=s.last_out_seq,
                )
            )
        return out


@dataclass(frozen=True)
class CentrePlace:
    """What the status bar says of this PC's place in the centre."""

    role: str | None
    name: str
    history_as_of: datetime | None

    def status_text(self, zone: str) -> str:
        if self.role == STATION:
            when = when_text(self.history_as_of, zone) if self.history_as_of else "not received yet"
            return f"Station {self.name} · centre history as of {when}"
        if self.role == HUB:
            return "Hub of the centre"
        return ""


def centre_place(station: Station) -> CentrePlace:
    with station.read() as session:
        role = role_of(session)
        as_of = meta(session, HISTORY_AS_OF)
        return CentrePlace(
            role,
            meta(session, "station_name") or "",
            datetime.fromisoformat(as_of) if as_of else None,
        )


def fingerprint_of(session: Session) -> str:
    centre = keys.centre_certificate(session)
    return certificates.fingerprint(centre) if centre is not None else ""


STATIONS_FILE = "stations.txt"


def stations_text(station: Station) -> str | None:
    """For an inspection pack from the hub: each station, up to when its records are in,
    the sessions still out at it, and its last signed checkpoint (a witness of its own
    chain). None for a single-PC centre."""
    from invigilator_app.store.centre_models import BundleRecord  # the pack is rare; keep this module light

    zone = station.zone
    with station.read() as session:
        if role_of(session) != HUB:
            return None
        lines = [
            "Stations of the centre: what this pack holds of each room PC",
            "",
            "Every record a station sends back is checked at the hub (the signature of each person on",
            "every entry, every row against the station's own audit chain) before it is taken in, so",
            "the records in this pack cover every room up to the time given for each station.",
            "",
        ]
        held: dict[int, list[int]] = {}
        for row in session.scalars(select(StationSession).where(StationSession.held.is_(True))):
            held.setdefault(row.station_id, []).append(row.session_id)
        for s in session.scalars(select(EnrolledStation).order_by(EnrolledStation.number)):
            last = session.scalars(
                select(BundleRecord)
                .where(BundleRecord.direction == "in", BundleRecord.peer == s.name)
                .order_by(BundleRecord.id.desc())
                .limit(1)
            ).first()
            out = ", ".join(str(i) for i in sorted(held.get(s.id, []))) or "none"
            lines += [
                f"Station {s.number}: {s.name} (store {s.store_id})",
                f"  records in up to: {when_text(s.records_as_of, zone) if s.records_as_of else 'none received yet'}",
                f"  last bundle in:   {f'#{s.last_in_seq}, ' + when_text(s.last_in_at, zone) if s.last_in_at else 'none'}",
                f"  its audit chain held here: {s.chain_entries} entries, head {s.chain_head or '-'}",
                f"  sessions still out at it (not in this pack as final records): {out}",
            ]
            if last is not None and last.segment:
                checkpoint = str(json.loads(last.segment).get("checkpoint", ""))
                if checkpoint:
                    lines.append("  its last signed checkpoint:")
                    lines += [f"    {line}" for line in checkpoint.strip().splitlines()]
            lines.append("")
        return "\n".join(lines)
