"""The invigilation record as plain data: what the PDF shows and what is attached to it.

Built by the services from the store; rendered by reports/; verified from the JSON
attached inside the signed PDF. Times are ISO-8601 strings in the centre's zone
(with offset), so the record reads the same on any PC.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RecordCandidate:
    name: str
    registration_number: str
    assessment_id: str
    assessment_title: str
    qualification: str
    qualification_title: str
    workstation: str
    initials: str
    identity_check: str = ""
    """e.g. "09:28 photo ID (driving licence), match confirmed by A. Patel"; empty if none."""
    logged_on_confirmed: bool = False
    start: str = ""
    finish: str = ""
    planned_finish: str = ""
    outcome: str = ""
    """expected / started / finished / absent / withdrawn ..."""
    result: str = ""
    paper_issued: bool = False
    paper_collected: bool = False
    attempt_number: int = 1
    resit: bool = False
    chargeable: bool = False
    access_arrangements: str = ""
    register: str = ""
    """present, late (arrived HH:MM), absent, withdrawn, transferred to session N: why."""


@dataclass
class RecordEntry:
    at: str
    type: str
    type_label: str
    candidates: list[str] = field(default_factory=list)
    note: str = ""
    recorded_by: str = ""
    question_number: str = ""
    assessment_id: str = ""
    notify: str = ""
    notified_at: str = ""
    notification_reference: str = ""
    transcribed: bool = False
    late: bool = False
    late_reason: str = ""
    amendments: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    typed_by: str = ""
    """Who typed a paper-log entry in (``recorded_by`` wrote it on paper)."""


@dataclass
class RecordWorkstation:
    label: str
    x: float
    y: float
    screen: bool
    privacy_filter: bool
    initials: str = ""


@dataclass
class RecordChecklistItem:
    rule_id: str
    text: str
    answer: str
    note: str = ""


@dataclass
class InvigilationRecord:
    centre_name: str
    centre_number: str
    centre_address: str
    site: str
    room: str
    session_id: int
    date: str
    start: str
    end: str
    state: str
    invigilator_name: str
    invigilator_pin: str
    invigilator_status: str
    """e.g. "Impartial (no industry background declared)" or "Assessor, authorised by ..."."""
    zone: str = "Europe/London"
    checklist: list[RecordChecklistItem] = field(default_factory=list)
    candidates: list[RecordCandidate] = field(default_factory=list)
    workstations: list[RecordWorkstation] = field(default_factory=list)
    desk: tuple[float, float] | None = None
    door: tuple[float, float] | None = None
    facing: str = ""
    """The way candidates face (north = the top of the plan), when the room records it."""
    entries: list[RecordEntry] = field(default_factory=list)
    acknowledged_warnings: list[str] = field(default_factory=list)
    authorisations: list[str] = field(default_factory=list)
    signed_off_by: str = ""
    signed_off_at: str = ""
    reviewed_by: str = ""
    reviewed_at: str = ""
    review_comment: str = ""
    audit_checkpoint: str = ""
    generated_at: str = ""
    centre_fingerprint: str = ""
    """SHA-256 of the centre certificate the signer's certificate chains to (hex)."""
    exported_by: str = ""
    """Who signed this PDF: "name (role)"."""
    checkpoint: str = ""
    """The signed audit checkpoint (the text of a checkpoint file): a witness of the chain."""
    sign_off_typed_by: str = ""
    """Who typed in a sign-off given on the paper log."""
    draft: str = ""
    """"DRAFT — not signed off …" on every page of a record exported before the
    coordinator's sign-off; empty on the final record."""
    remote: bool = False
    """Remotely invigilated: candidates at their own locations (``RecordCandidate.workstation``
    holds the location), watched on camera from ``room``."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InvigilationRecord:
        data = dict(data)
        data["checklist"] = [RecordChecklistItem(**c) for c in data.get("checklist", [])]
        data["candidates"] = [RecordCandidate(**c) for c in data.get("candidates", [])]
        data["workstations"] = [RecordWorkstation(**w) for w in data.get("workstations", [])]
        data["entries"] = [RecordEntry(**e) for e in data.get("entries", [])]
        for key in ("desk", "door"):
            if data.get(key) is not None:
                data[key] = tuple(data[key])
        return cls(**data)
