"""Times are stored in UTC and shown in the centre's zone (Europe/London by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/London"


def zone(name: str | None = None) -> ZoneInfo:
    return ZoneInfo(name or DEFAULT_ZONE)


def to_utc(day: date, at: time, zone_name: str | None = None) -> datetime:
    """A wall-clock time on a day in the centre's zone, as an aware UTC datetime."""
    local = datetime.combine(day, at, tzinfo=zone(zone_name))
    return local.astimezone(UTC)


def local(moment: datetime, zone_name: str | None = None) -> datetime:
    """An aware or naive-UTC datetime, shown in the centre's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(zone_name))


def local_day(moment: datetime, zone_name: str | None = None) -> date:
    return local(moment, zone_name).date()


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
