"""What the station warns about when it opens: visit actions due within 7 days or overdue
(not yet done), malpractice reports the awarding body has not been told of, and open
complaints within 7 days of (or past) their 6-month limit."""

from __future__ import annotations

from invigilator_app.domain.enums import Role
from invigilator_app.rules.deadlines import WARN_DAYS, needs_warning
from invigilator_app.services.quality.actions import list_actions, today
from invigilator_app.services.quality.complaints import list_complaints
from invigilator_app.services.quality.malpractice_deadlines import list_deadlines
from invigilator_app.services.station import Station


def startup_warnings(station: Station) -> list[str]:
    """One line per thing that needs doing soon; empty when nothing does (or for an invigilator)."""
    if station.actor.role is Role.INVIGILATOR:
        return []
    lines = [
        f"EQA action {a.id} ({a.eqa_name}): {a.text[:80]} — due {a.due_on:%d %b %Y}, {a.when}"
        for a in list_actions(station, due_within=WARN_DAYS)
    ]
    lines += [
        f"Malpractice report {d.report_id}: tell the awarding body — due {d.tell_by:%d %b %Y}, {d.when}"
        for d in list_deadlines(station)
        if d.state in ("overdue", "due soon")
    ]
    now = today(station)
    lines += [
        f"Complaint {c.id}: {c.last_day_note} ({c.last_day:%d %b %Y})"
        for c in list_complaints(station, open_only=True)
        if needs_warning(c.last_day, now)
    ]
    return lines
