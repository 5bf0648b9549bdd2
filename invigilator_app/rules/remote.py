"""Remotely invigilated sessions (seed 002: the awarding body's remote online
invigilation): each candidate at their own location, watched on camera by an invigilator
at the centre. The remote checklist, in the style of SPEC.md's rule ids (REMOTE-1 …), is
kept here because the rule catalogue holds exactly SPEC.md's rules.

Of the room rules, those that still make sense at a candidate's location are asked there
too (ROOM-2 seating, light and quiet; ROOM-4 auto save off; ROOM-5 only the assessment
pages); the rest are about one shared room the invigilator is in (spacing, the walls,
summoning help, collecting blank paper) and are replaced by the items below."""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "IMI remote online invigilation (002)"


@dataclass(frozen=True)
class RemoteItem:
    id: str
    title: str
    text: str
    """As the checklist asks it."""


REMOTE_ITEMS: tuple[RemoteItem, ...] = (
    RemoteItem(
        "REMOTE-1",
        "Room shown on camera",
        "Each candidate showed their room on camera before starting — walls, floor and desk — and nothing "
        "that could help is in it",
    ),
    RemoteItem(
        "REMOTE-2",
        "Second camera or mirror",
        "A second camera or a mirror shows each candidate's screen and keyboard, as the awarding body requires",
    ),
    RemoteItem(
        "REMOTE-3",
        "ID to camera",
        "Each candidate held photo ID to the camera and it matched them (recorded per candidate as an "
        "identity check to camera)",
    ),
    RemoteItem(
        "REMOTE-4",
        "Nothing on the desk",
        "Nothing on the desk but what the assessment allows: no phones, notes, books or watches",
    ),
    RemoteItem(
        "REMOTE-5",
        "Who else is present",
        "Each candidate is alone; anyone else who is present or comes in is recorded in the log",
    ),
    RemoteItem(
        "REMOTE-6",
        "If the connection drops",
        "Each candidate knows what happens if the video or connection drops (the clock is paused and it is logged)",
    ),
)
ROOM_RULES_REMOTELY = ("ROOM-2", "ROOM-4", "ROOM-5")
"""Room checklist items that are also asked, of each candidate's location, remotely."""
ID_TO_CAMERA = "id_to_camera"
"""The identity check method of a remote session."""


def remote_item(item_id: str) -> RemoteItem:
    for item in REMOTE_ITEMS:
        if item.id == item_id:
            return item
    raise KeyError(item_id)


def check_locations(locations: list[tuple[str, str]]) -> list[str]:
    """Problems with (registration number, location) pairs: every candidate at a location,
    each alone at theirs."""
    problems = []
    seen: dict[str, str] = {}
    for reg, location in locations:
        place = " ".join(location.split()).casefold()
        if not place:
            problems.append(f"{reg}: a remote candidate needs a location (where they sit the assessment)")
        elif place in seen:
            problems.append(
                f"{reg}: the location {location.strip()!r} is already {seen[place]}'s; "
                "each remote candidate is alone at theirs"
            )
        else:
            seen[place] = reg
    return problems
