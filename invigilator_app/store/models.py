"""ORM models. Every datetime column holds naive UTC (SQLite has no zone type);
store.types.UTCDateTime converts to and from aware UTC at the boundary."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from invigilator_app.domain.arrangements import AccessArrangements
from invigilator_app.store.types import UTCDateTime


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the store itself (store id, station identity, settings)."""

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Centre(Base):
    __tablename__ = "centres"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(Text, default="")
    site_type: Mapped[str] = mapped_column(String(20), default="lead")
    zone: Mapped[str] = mapped_column(String(64), default="Europe/London")


class Room(Base):
    __tablename__ = "rooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    site: Mapped[str] = mapped_column(String(100), default="")
    desk_x: Mapped[float | None] = mapped_column(Float)
    desk_y: Mapped[float | None] = mapped_column(Float)
    door_x: Mapped[float | None] = mapped_column(Float)
    door_y: Mapped[float | None] = mapped_column(Float)
    facing: Mapped[str] = mapped_column(String(10), default="north")
    workstations: Mapped[list[Workstation]] = relationship(
        back_populates="room", order_by="Workstation.label", cascade="all, delete-orphan"
    )


class Workstation(Base):
    __tablename__ = "workstations"
    __table_args__ = (UniqueConstraint("room_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    label: Mapped[str] = mapped_column(String(40))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    screen: Mapped[bool] = mapped_column(Boolean, default=False)
    privacy_filter: Mapped[bool] = mapped_column(Boolean, default=False)
    room: Mapped[Room] = relationship(back_populates="workstations")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    imi_pin: Mapped[str] = mapped_column(String(40), default="")
    assessor: Mapped[bool] = mapped_column(Boolean, default=False)
    impartial: Mapped[bool] = mapped_column(Boolean, default=False)
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    nominated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assessor_authorisation: Mapped[str] = mapped_column(Text, default="")
    authorised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    authorised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Candidate(Base):
    __tablename__ = "candidates"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(40), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    access_arrangements: Mapped[str] = mapped_column(Text, default="")
    extra_time_percent: Mapped[int] = mapped_column(Integer, default=0)
    rest_breaks: Mapped[bool] = mapped_column(Boolean, default=False)
    reader: Mapped[str] = mapped_column(Text, default="")
    scribe: Mapped[str] = mapped_column(Text, default="")
    separate_room: Mapped[str] = mapped_column(Text, default="")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def arrangements(self) -> AccessArrangements:
        """Access arrangements as data (``access_arrangements`` is the "other" note)."""
        return AccessArrangements(
            self.extra_time_percent or 0,
            bool(self.rest_breaks),
            self.reader or "",
            self.scribe or "",
            self.separate_room or "",
            self.access_arrangements or "",
        )


Index("ix_candidates_registration_upper", func.upper(Candidate.registration_number))


class Qualification(Base):
    __tablename__ = "qualifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    retake_hours: Mapped[int] = mapped_column(Integer, default=48)
    apprenticeship_standard: Mapped[bool] = mapped_column(Boolean, default=False)
    calculator_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    dictionary_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    other_software_allowed: Mapped[bool] = mapped_column(Boolean, default=False)


class Assessment(Base):
    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    qualification_id: Mapped[int] = mapped_column(ForeignKey("qualifications.id"))
    planned_minutes: Mapped[int | None] = mapped_column(Integer)
    qualification: Mapped[Qualification] = relationship()


class Session(Base):
    """An invigilated sitting in one room: planned → running → closed → signed off."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_start", "start_utc"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    invigilator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    start_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20), default="planned")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    declaration: Mapped[str] = mapped_column(Text, default="")
    """The invigilator's declaration at sign-off, as shown to them."""
    sign_off_typed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """Who typed in a sign-off given on a paper log (the invigilator signed the paper)."""
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    """Remotely invigilated: candidates at their own locations, watched on camera from this room."""
    room: Mapped[Room] = relationship()
    invigilator: Mapped[User] = relationship(foreign_keys=[invigilator_id])
    allocations: Mapped[list[Allocation]] = relationship(back_populates="session", order_by="Allocation.id")


class Allocation(Base):
    """One candidate taking one named assessment at one workstation in a session."""

    __tablename__ = "allocations"
    __table_args__ = (
        Index("ix_allocations_candidate_start", "candidate_id", "planned_start_utc"),
        Index("ix_allocations_session", "session_id"),
        # Started attempts without a result (the follow-up list), a handful of rows (0011).
        Index(
            "ix_allocations_no_result",
            "started_at",
            sqlite_where=text("started_at IS NOT NULL AND result IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    workstation_label: Mapped[str] = mapped_column(String(40), default="")
    """The workstation's label in the session's room, as allocated (kept if the layout changes)."""
    planned_start_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    notice_date: Mapped[date | None] = mapped_column(Date)
    readiness_confirmed: Mapped[bool | None] = mapped_column(Boolean)
    support_note: Mapped[str] = mapped_column(Text, default="")
    attempt_number: Mapped[int] = mapped_column(Integer, default=1)
    chargeable: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20), default="expected")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    logged_on_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[str | None] = mapped_column(String(10))
    paper_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paper_collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flags: Mapped[str] = mapped_column(Text, default="")
    """Deviations found when a paper log was transcribed, one per line."""
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When a late candidate arrived (the register shows them late)."""
    transferred_to_session_id: Mapped[int | None] = mapped_column(Integer)
    """The session a transferred candidate went to (no foreign key, so joins between
    allocations and sessions stay unambiguous)."""
    transfer_reason: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    """Where the candidate sits in a remotely invigilated session (instead of a workstation)."""
    session: Mapped[Session] = relationship(back_populates="allocations")
    candidate: Mapped[Candidate] = relationship()
    assessment: Mapped[Assessment] = relationship()


class IdentityCheck(Base):
    __tablename__ = "identity_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocations.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(20))
    """photo_id or known_to_invigilator."""
    id_type: Mapped[str] = mapped_column(String(60), default="")
    match_confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    transcribed: Mapped[bool] = mapped_column(Boolean, default=False)
    typed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """Who typed a paper-log identity check in (``checked_by`` is who checked on paper)."""
    checked_by: Mapped[User | None] = relationship(foreign_keys=[checked_by_id])
    typed_by: Mapped[User | None] = relationship(foreign_keys=[typed_by_id])


class LogEntry(Base):
    """An incident or question issue recorded during a session."""

    __tablename__ = "log_entries"
    __table_args__ = (
        Index("ix_log_entries_session_at", "session_id", "at"),
        Index("ix_log_entries_type_session", "type", "session_id"),
        # Entries whose party is not told yet (the follow-up list), a handful of rows (0011).
        Index("ix_log_entries_to_notify", "at", sqlite_where=text("notify_party != '' AND notified_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    question_number: Mapped[str] = mapped_column(String(20), default="")
    assessment_code: Mapped[str] = mapped_column(String(60), default="")
    notify_party: Mapped[str] = mapped_column(String(60), default="")
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notification_reference: Mapped[str] = mapped_column(String(120), default="")
    transcribed: Mapped[bool] = mapped_column(Boolean, default=False)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    late_reason: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[str] = mapped_column(Text, default="")
    """Deviations found when a paper log was transcribed, one per line."""
    typed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """Who typed a paper-log entry in; ``recorded_by`` is who wrote it on paper."""
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    typed_by: Mapped[User | None] = relationship(foreign_keys=[typed_by_id])
    candidates: Mapped[list[Candidate]] = relationship(secondary="log_entry_candidates")


class LogEntryCandidate(Base):
    __tablename__ = "log_entry_candidates"
    entry_id: Mapped[int] = mapped_column(ForeignKey("log_entries.id"), primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), primary_key=True)


class ChecklistAnswer(Base):
    __tablename__ = "checklist_answers"
    __table_args__ = (UniqueConstraint("session_id", "rule_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    rule_id: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    typed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """Who typed in answers ticked on a paper checklist."""


class RuleAcknowledgement(Base):
    """A warning shown and accepted, or an authorisation recorded, with who and when."""

    __tablename__ = "rule_acknowledgements"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[User | None] = relationship()


class AuditEntry(Base):
    """One link of the tamper-evident chain: every write appends one in its transaction."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(40))
    digest: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    """1: before rows were in the chain; 2: ``digest`` is the row's content hash (store.rowhash)."""
    fields: Mapped[str] = mapped_column(Text, default="")
    """Short per-field hashes of the row (version 2), to name the fields that changed."""
    signature: Mapped[str | None] = mapped_column(Text)
    """On the last entry of each write: the acting user's signature over its hash."""
    certificate_id: Mapped[int | None] = mapped_column(Integer)
    """The user certificate the signature is checked with."""


Index("ix_audit_entries_entity", AuditEntry.entity, AuditEntry.entity_id)


class UserCertificate(Base):
    """A person's signing certificate, issued by the centre key (the private key never
    enters the store: it is wrapped in that person's key slot)."""

    __tablename__ = "user_certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    certificate_pem: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")


class AuditCheckpoint(Base):
    """The audit chain's head signed with the station's Ed25519 key (at session close,
    sign-off or export), so a copy kept outside the PC anchors the chain."""

    __tablename__ = "audit_checkpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    entry_count: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(60))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"))
    certificate_id: Mapped[int | None] = mapped_column(Integer)
    """The signer's certificate (None: signed by the station's audit key before per-person keys)."""


class Amendment(Base):
    """A correction after the event: who, when, why, beside the original (never an edit)."""

    __tablename__ = "amendments"
    __table_args__ = (Index("ix_amendments_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(60))
    original: Mapped[str] = mapped_column(Text, default="")
    amended: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class SessionReview(Base):
    """The coordinator's review of a closed session: a comment, a query back to the
    invigilator, or the sign-off."""

    __tablename__ = "session_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    """comment, returned (with a query), signed_off, answered."""
    text: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class MalpracticeReport(Base):
    """A malpractice / maladministration report to the awarding body (003), drafted from
    log entries. Records linked to an open investigation are kept at least five years."""

    __tablename__ = "malpractice_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    fields_json: Mapped[str] = mapped_column(Text, default="{}")
    """Every field 003 requires, as JSON (nature, dates, product, staff, investigation …)."""
    under_investigation: Mapped[bool] = mapped_column(Boolean, default=True)
    retain_until: Mapped[date | None] = mapped_column(Date)
    notified_on: Mapped[date | None] = mapped_column(Date)
    """When the awarding body was told (003: immediately)."""
    notification_reference: Mapped[str] = mapped_column(String(120), default="")


class MalpracticeReportEntry(Base):
    __tablename__ = "malpractice_report_entries"
    report_id: Mapped[int] = mapped_column(ForeignKey("malpractice_reports.id"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("log_entries.id"), primary_key=True)


class ClockPause(Base):
    """The exam clock stopped for some candidates (fire alarm, IT failure); their finish
    times move on by the length of the pause."""

    __tablename__ = "clock_pauses"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("log_entries.id"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    typed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """Who typed in a pause written on a paper log."""


class ClockPauseAllocation(Base):
    __tablename__ = "clock_pause_allocations"
    pause_id: Mapped[int] = mapped_column(ForeignKey("clock_pauses.id"), primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocations.id"), primary_key=True)


class DeclarationChange(Base):
    """A change to an invigilator's declaration (assessor, INV-2; impartial, INV-3): a fact
    about a person, changed only with a reason, by whom and who confirmed it."""

    __tablename__ = "declaration_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    """assessor or impartial."""
    original: Mapped[bool] = mapped_column(Boolean)
    changed: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    """Where the change was made: the invigilators screen, or the plan file that carried it."""
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


# The centre's quality file (EQA visits, actions, complaints) has its own module; importing
# it here registers its tables with the same metadata.
# A centre with several rooms (hub and stations) likewise.
from invigilator_app.store.centre_models import (  # noqa: E402, F401
    BundleRecord,
    EnrolledStation,
    StationSession,
)
from invigilator_app.store.quality_models import (  # noqa: E402, F401
    ActionEvidence,
    Complaint,
    ComplaintSession,
    EqaVisit,
    VisitAction,
    VisitSample,
)
