"""What the Stations area and a station's Centre menu show, read from the store: each
station with the sessions out at it (named by room, day and time) and the bundles waiting
in the drop folder; the planned sessions a coordinator can hand over; and the drop folder
itself, a setting kept in the encrypted store like the others (``services.admin.settings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from invigilator_app.domain.enums import Role, SessionState
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.timefmt import session_name as named
from invigilator_app.domain.timefmt import time_text
from invigilator_app.domain.timezones import local
from invigilator_app.services.station import Station
from invigilator_app.services.stations import centre
from invigilator_app.services.stations.exchange import BUNDLE_NAME, SUFFIX, safe_name
from invigilator_app.store.centre_models import EnrolledStation, StationSession
from invigilator_app.store.models import Meta
from invigilator_app.store.models import Session as SessionRow

DROP_FOLDER = "drop_folder"
"""``store_meta``: the shared folder bundles are written to and picked up from."""


@dataclass(frozen=True)
class SessionLabel:
    id: int
    label: str
    """"Room A, Tue 1 Dec 2026 09:00"."""
    out_at: str = ""
    """The station it is out at, if any."""


@dataclass(frozen=True)
class StationLine:
    """One row of the hub's Stations area."""

    view: centre.StationView
    sessions_out: list[SessionLabel]
    waiting_from: int
    """Bundles from this station waiting in the drop folder (to import here)."""
    waiting_for: int
    """Bundles for this station still in the drop folder (not picked up yet)."""


def waiting_by_name(folder: Path | None) -> dict[tuple[str, str], int]:
    """Bundles in a drop folder by (sender, receiver) as their file names give them."""
    found: dict[tuple[str, str], int] = {}
    if folder is None:
        return found
    try:
        names = [p.stem for p in folder.iterdir() if p.is_file() and p.suffix == SUFFIX]
    except OSError:
        return found
    for stem in names:
        match = BUNDLE_NAME.match(stem)
        if match:
            key = (match["sender"].casefold(), match["receiver"].casefold())
            found[key] = found.get(key, 0) + 1
    return found


def _labels(station: Station, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    with station.read() as session:
        rows = session.scalars(
            select(SessionRow).options(joinedload(SessionRow.room)).where(SessionRow.id.in_(ids))
        ).all()
        out = {}
        for row in rows:
            start = local(row.start_utc, station.zone)
            out[row.id] = named(row.room.name, start.date(), time_text(start))
        return out


def station_lines(station: Station) -> list[StationLine]:
    """Every enrolled station with its sessions out (by name) and what waits in the drop folder."""
    views = centre.stations_overview(station)
    labels = _labels(station, sorted({sid for v in views for sid in v.sessions_out}))
    waiting = waiting_by_name(drop_folder(station))
    lines = []
    for v in views:
        safe = safe_name(v.name).casefold()
        lines.append(
            StationLine(
                v,
                [SessionLabel(sid, labels.get(sid, f"session {sid}"), v.name) for sid in v.sessions_out],
                waiting.get((safe, "hub"), 0),
                waiting.get(("hub", safe), 0),
            )
        )
    return lines


def sendable_sessions(station: Station) -> list[SessionLabel]:
    """Planned sessions in start order, each with the station it is out at already (if any)."""
    station.require(Role.COORDINATOR, action="send sessions to stations")
    with station.read() as session:
        names = {s.id: s.name for s in session.scalars(select(EnrolledStation))}
        held = {
            h.session_id: names.get(h.station_id, "?")
            for h in session.scalars(select(StationSession).where(StationSession.held.is_(True)))
        }
        rows = session.scalars(
            select(SessionRow)
            .options(joinedload(SessionRow.room))
            .where(SessionRow.state == SessionState.PLANNED.value)
            .order_by(SessionRow.start_utc, SessionRow.id)
        ).all()
        out = []
        for row in rows:
            start = local(row.start_utc, station.zone)
            out.append(SessionLabel(row.id, named(row.room.name, start.date(), time_text(start)), held.get(row.id, "")))
        return out


def drop_folder(station: Station) -> Path | None:
    with station.read() as session:
        value = centre.meta(session, DROP_FOLDER)
    return Path(value) if value else None


def set_drop_folder(station: Station, folder: Path | None) -> None:
    """Remember the shared folder bundles go to and come from (None forgets it)."""
    station.require(Role.COORDINATOR, Role.INVIGILATOR, action="choose the drop folder")
    if folder is not None and not folder.is_dir():
        raise BadInput(f"{folder} is not a folder (connect the shared folder, or create it first).")
    with station.write() as session:
        if folder is None:
            row = session.get(Meta, DROP_FOLDER)
            if row is not None:
                session.delete(row)
        else:
            centre.set_meta(session, DROP_FOLDER, str(folder))
