"""Enumerations in the language of the exam room (see SPEC.md)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COORDINATOR = "coordinator"
    INVIGILATOR = "invigilator"
    INSPECTOR = "inspector"


class SiteType(StrEnum):
    LEAD = "lead"
    MULTI_SITE = "multi-site"
    SATELLITE = "satellite"
    SUB_CONTRACTED = "sub-contracted"


class SessionState(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"
    SIGNED_OFF = "signed_off"


class AllocationState(StrEnum):
    """Where a candidate is in a session (shown on the seating plan)."""

    EXPECTED = "expected"
    IDENTITY_CHECKED = "identity_checked"
    LOGGED_ON = "logged_on"
    STARTED = "started"
    FINISHED = "finished"
    ABSENT = "absent"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


class Result(StrEnum):
    PASS = "pass"
    FAIL = "fail"


class IncidentType(StrEnum):
    """Incident type ids from SPEC.md ("What is recorded during a session")."""

    WRONG_ASSESSMENT_LAUNCHED = "wrong_assessment_launched"
    SUBMITTED_EARLY = "submitted_early"
    READER_USED = "reader_used"
    FIRE_ALARM = "fire_alarm"
    IT_ISSUE = "it_issue"
    EXPLANATION_REQUESTED = "explanation_requested"
    INTERACTION_BETWEEN_CANDIDATES = "interaction_between_candidates"
    EMERGENCY = "emergency"
    SUSPECTED_MALPRACTICE = "suspected_malpractice"
    QUESTION_ISSUE = "question_issue"
    ROOM_UNATTENDED = "room_unattended"
    LATE_ARRIVAL = "late_arrival"
    OTHER = "other"

    @property
    def label(self) -> str:
        return INCIDENT_LABELS[self]

    @property
    def notify(self) -> str | None:
        """Who must be told about an entry of this type, if anyone."""
        return INCIDENT_NOTIFY.get(self)


INCIDENT_LABELS: dict[IncidentType, str] = {
    IncidentType.WRONG_ASSESSMENT_LAUNCHED: "Wrong assessment launched",
    IncidentType.SUBMITTED_EARLY: "Submitted before completion",
    IncidentType.READER_USED: "Reader used",
    IncidentType.FIRE_ALARM: "Fire alarm",
    IncidentType.IT_ISSUE: "IT issue",
    IncidentType.EXPLANATION_REQUESTED: "Explanation or pronunciation requested",
    IncidentType.INTERACTION_BETWEEN_CANDIDATES: "Interaction between candidates",
    IncidentType.EMERGENCY: "Emergency (help summoned)",
    IncidentType.SUSPECTED_MALPRACTICE: "Suspected malpractice",
    IncidentType.QUESTION_ISSUE: "Question or diagram issue",
    IncidentType.ROOM_UNATTENDED: "Room left without an invigilator",
    IncidentType.LATE_ARRIVAL: "Late arrival",
    IncidentType.OTHER: "Other",
}

AWARDING_BODY = "awarding body (IMI)"
COORDINATOR = "centre coordinator"

INCIDENT_NOTIFY: dict[IncidentType, str] = {
    IncidentType.IT_ISSUE: AWARDING_BODY,
    IncidentType.QUESTION_ISSUE: AWARDING_BODY,
    IncidentType.SUSPECTED_MALPRACTICE: COORDINATOR,
}


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"
    AUTHORISE = "authorise"
