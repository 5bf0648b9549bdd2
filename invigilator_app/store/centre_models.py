"""ORM models of a centre with several rooms: the hub's enrolled stations, which sessions
are out at which station, and the bundles that travelled (docs/bundles.md). Same
conventions as ``store.models``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from invigilator_app.store.models import Base
from invigilator_app.store.types import UTCDateTime


class EnrolledStation(Base):
    """A room PC enrolled by the hub (on a station, its own row and the hub's)."""

    __tablename__ = "stations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    """1-20; the station's rows take ids from its own range (``store.id_ranges``); 0 is the hub."""
    store_id: Mapped[str] = mapped_column(String(64), unique=True)
    certificate_pem: Mapped[str] = mapped_column(Text)
    """The station's bundle certificate (Ed25519), issued by the centre key."""
    recipient: Mapped[str] = mapped_column(Text)
    """The station's age recipient: bundles for it are encrypted to this."""
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_in_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_out_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    chain_entries: Mapped[int] = mapped_column(Integer, default=0)
    """How much of the station's own audit chain the hub holds (entry count)."""
    chain_head: Mapped[str] = mapped_column(String(64), default="")
    records_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """The time of the station's newest entry the hub holds: its records are in up to here."""


class StationSession(Base):
    """A session sent to a station: it belongs to the station until its record comes back
    signed off (``held``). On a station: the sessions it owns."""

    __tablename__ = "station_sessions"
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    held: Mapped[bool] = mapped_column(Boolean, default=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When it left with a bundle (None: planned for the station, not sent yet)."""
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    """A cancellation waits to travel (or has travelled) to the station."""


class BundleRecord(Base):
    """One bundle written or imported: who, when, its sequence number and what it held.
    A station's returned chain segment is kept with it, as the evidence of origin."""

    __tablename__ = "bundle_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    """"out" or "in"."""
    peer: Mapped[str] = mapped_column(String(60))
    """The other end: "hub" or the station's name."""
    seq: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    segment: Mapped[str] = mapped_column(Text, default="")
    """A station's audit entries (JSON) with their signatures and its checkpoint."""
