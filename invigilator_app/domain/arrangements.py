"""A candidate's access arrangements as data: extra time, supervised rest breaks, a reader
or scribe (who), a separate room (which) and anything else with a note."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccessArrangements:
    extra_time_percent: int = 0
    rest_breaks: bool = False
    """Supervised rest breaks: the candidate's clock stops while a break lasts."""
    reader: str = ""
    """Who reads for the candidate (empty: no reader)."""
    scribe: str = ""
    """Who writes for the candidate (empty: no scribe)."""
    separate_room: str = ""
    """Which room the candidate sits in instead (empty: with the others)."""
    other: str = ""
    """Any other arrangement, as a note."""

    def parts(self, *, with_extra_time: bool = True) -> list[str]:
        found = [f"{self.extra_time_percent}% extra time"] if with_extra_time and self.extra_time_percent else []
        if self.rest_breaks:
            found.append("supervised rest breaks")
        if self.reader.strip():
            found.append(f"reader: {self.reader.strip()}")
        if self.scribe.strip():
            found.append(f"scribe: {self.scribe.strip()}")
        if self.separate_room.strip():
            found.append(f"separate room: {self.separate_room.strip()}")
        if self.other.strip():
            found.append(self.other.strip())
        return found

    def describe(self, *, with_extra_time: bool = True) -> str:
        """ "25% extra time; supervised rest breaks; reader: Mrs J Hill", or "" for none."""
        return "; ".join(self.parts(with_extra_time=with_extra_time))

    @property
    def any(self) -> bool:
        return bool(self.parts())
