"""ORM models of the centre's quality file: EQA visits, their sampling plan and actions
(seed 000), complaints and appeals (004). Same conventions as ``store.models``."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invigilator_app.store.models import Base
from invigilator_app.store.types import UTCDateTime

if TYPE_CHECKING:
    from invigilator_app.store.models import Candidate, User


class EqaVisit(Base):
    """A monitoring visit by the awarding body's external quality assurer (000)."""

    __tablename__ = "eqa_visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    announced: Mapped[bool] = mapped_column(Boolean, default=True)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    eqa_name: Mapped[str] = mapped_column(String(120))
    planned_on: Mapped[date] = mapped_column(Date)
    period_from: Mapped[date] = mapped_column(Date)
    """The sessions this visit looks at: from this day to ``period_to`` (centre time)."""
    period_to: Mapped[date] = mapped_column(Date)
    schedule_received_on: Mapped[date | None] = mapped_column(Date)
    sampling_plan_received_on: Mapped[date | None] = mapped_column(Date)
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The inspector account the EQA uses at this visit."""
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    inspector: Mapped[User | None] = relationship(foreign_keys=[inspector_id])


class VisitSample(Base):
    """One item of the EQA's sampling plan: a session, a candidate or a record, ticked
    off when looked at."""

    __tablename__ = "visit_samples"
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("eqa_visits.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    """session, candidate or record."""
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"))
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidates.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    looked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    looked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class VisitAction(Base):
    """An action the EQA raised at a visit: done by its due date, then signed off by the EQA."""

    __tablename__ = "visit_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("eqa_visits.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    evidence_reference: Mapped[str] = mapped_column(Text, default="")
    done_on: Mapped[date | None] = mapped_column(Date)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The inspector account that signed off in the app, or the coordinator who recorded it."""
    signoff_reference: Mapped[str] = mapped_column(Text, default="")
    """The EQA's own sign-off reference, when the coordinator records it (empty when the
    EQA signed in the app)."""
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ActionEvidence(Base):
    """A file kept as evidence for an action, inside the encrypted store."""

    __tablename__ = "action_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("visit_actions.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Complaint(Base):
    """A complaint or appeal (004): the centre's process first, then the awarding body."""

    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(Date)
    incident_on: Mapped[date] = mapped_column(Date)
    complainant: Mapped[str] = mapped_column(String(200), default="")
    about_person: Mapped[str] = mapped_column(String(200), default="")
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidates.id"))
    stage: Mapped[str] = mapped_column(String(20), default="centre")
    """centre, awarding_body or appeal."""
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    candidate: Mapped[Candidate | None] = relationship()


class ComplaintSession(Base):
    """A session a complaint names: held from purge while the complaint is open."""

    __tablename__ = "complaint_sessions"
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
