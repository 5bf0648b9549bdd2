"""A plan's access arrangements per candidate (``"access_arrangements": {…}``): parsed with
their JSON paths, and written to the candidate, whose arrangements they are."""

from __future__ import annotations

from typing import Any

from invigilator_app.domain.arrangements import AccessArrangements
from invigilator_app.services.jsonfile import Fields
from invigilator_app.store.models import Candidate

KEYS = ("extra_time_percent", "rest_breaks", "reader", "scribe", "separate_room", "other")


def parse_arrangements(item: Any, path: str, problems: list[str]) -> AccessArrangements | None:
    if not isinstance(item, dict) or "access_arrangements" not in item:
        return None
    where = f"{path}.access_arrangements"
    raw = item["access_arrangements"]
    f = Fields(raw, where, problems)
    if isinstance(raw, dict):
        problems.extend(f"{where}.{key}: not an arrangement; use {', '.join(KEYS)}" for key in raw if key not in KEYS)
    extra = f.integer("extra_time_percent", minimum=0)
    if extra is not None and extra > 100:
        problems.append(f"{where}.extra_time_percent: a percentage from 0 to 100")
    return AccessArrangements(
        extra_time_percent=extra or 0,
        rest_breaks=bool(f.flag("rest_breaks")),
        reader=f.text("reader", required=False, max_len=120),
        scribe=f.text("scribe", required=False, max_len=120),
        separate_room=f.text("separate_room", required=False, max_len=120),
        other=f.text("other", required=False, max_len=500),
    )


def apply_arrangements(candidate: Candidate, arrangements: AccessArrangements | None) -> None:
    if arrangements is None:
        return
    candidate.extra_time_percent = arrangements.extra_time_percent
    candidate.rest_breaks = arrangements.rest_breaks
    candidate.reader, candidate.scribe = arrangements.reader, arrangements.scribe
    candidate.separate_room, candidate.access_arrangements = arrangements.separate_room, arrangements.other
