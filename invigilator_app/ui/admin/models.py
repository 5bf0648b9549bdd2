"""Qt table models for the planning and administration areas (each checked by qtmodeltester)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from invigilator_app.domain.timefmt import time_text
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services.admin.candidates import CandidateView
from invigilator_app.services.admin.candidates_admin import FIELD_LABELS, PreviewRow
from invigilator_app.services.admin.catalogue_admin import AssessmentView, QualificationView
from invigilator_app.services.admin.users import UserView
from invigilator_app.services.planning.dayview import DayCandidate, DaySession
from invigilator_app.ui.models import STATE_TEXT, RowsModel

Index = QModelIndex | QPersistentModelIndex


def yes(flag: bool) -> str:
    return "yes" if flag else "no"


class CandidatesModel(RowsModel[CandidateView]):
    columns = (
        ("Reg. no.", lambda c: c.registration_number),
        ("Last name", lambda c: c.last_name),
        ("First name", lambda c: c.first_name),
        ("Date of birth", lambda c: c.date_of_birth.isoformat() if c.date_of_birth else ""),
        ("Extra time", lambda c: f"{c.extra_time_percent}%" if c.extra_time_percent else ""),
        ("Access arrangements", lambda c: c.arrangements.describe(with_extra_time=False)),
    )


class PreviewModel(RowsModel[PreviewRow]):
    columns = (
        ("Line", lambda r: str(r.line)),
        ("Status", lambda r: {"bad": "BAD ROW", "new": "new", "unchanged": "already registered"}[r.status]),
        *((FIELD_LABELS[f], lambda r, f=f: r.values.get(f, "")) for f in FIELD_LABELS),
        ("Problems", lambda r: "; ".join(r.problems)),
    )


class QualificationsModel(RowsModel[QualificationView]):
    columns = (
        ("Number", lambda q: q.number),
        ("Title", lambda q: q.title),
        ("Retake after", lambda q: f"{q.retake_hours} h" + (" (001 list)" if q.on_two_hour_list else "")),
        ("Apprenticeship std", lambda q: yes(q.apprenticeship_standard)),
        ("Calculator", lambda q: yes(q.calculator_allowed)),
        ("Dictionary", lambda q: yes(q.dictionary_allowed)),
        ("Other software", lambda q: yes(q.other_software_allowed)),
        ("Assessments", lambda q: str(q.assessments)),
    )


class AssessmentsModel(RowsModel[AssessmentView]):
    columns = (
        ("Assessment id", lambda a: a.code),
        ("Title", lambda a: a.title),
        ("Qualification", lambda a: a.qualification),
        ("Planned", lambda a: f"{a.planned_minutes} min" if a.planned_minutes else "not set"),
    )


class WorkstationsModel(RowsModel[WorkstationFact]):
    columns = (
        ("Label", lambda w: w.label),
        ("x (m)", lambda w: f"{w.x:.2f}"),
        ("y (m)", lambda w: f"{w.y:.2f}"),
        ("Screen", lambda w: yes(w.screen)),
        ("Privacy filter", lambda w: yes(w.privacy_filter)),
    )


@dataclass(frozen=True)
class PlanLine:
    """One candidate in the plan being edited."""

    registration_number: str
    name: str
    assessment_id: str
    qualification: str
    workstation: str = ""
    notice_date: date | None = None
    readiness_confirmed: bool = False
    support_note: str = ""
    why_seat: str = ""


class PlanLinesModel(RowsModel[PlanLine]):
    columns = (
        ("Candidate", lambda p: f"{p.name} ({p.registration_number})"),
        ("Assessment", lambda p: p.assessment_id),
        ("Qualification", lambda p: p.qualification),
        ("Workstation", lambda p: p.workstation or "NOT SEATED"),
        ("Notice given", lambda p: p.notice_date.isoformat() if p.notice_date else "not recorded"),
        ("Ready", lambda p: yes(p.readiness_confirmed)),
        ("Why this seat", lambda p: p.why_seat),
    )

    def rows(self) -> list[PlanLine]:
        return list(self._rows)


SEVERITY_TEXT = {"block": "BLOCK", "authorise": "NEEDS AUTHORISATION", "warn": "warning"}


SEVERITY_FILL = {"block": "#fde2e4", "authorise": "#fff1cc"}


class ViolationsModel(RowsModel[Violation]):
    """Blocks first, then authorisation requests, then warnings; severity in words and tint."""

    columns = (
        ("Severity", lambda v: SEVERITY_TEXT.get(v.severity.value, v.severity.value)),
        ("Rule", lambda v: v.rule_id),
        ("Message", lambda v: v.message),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and 0 <= index.row() < self.rowCount():
            fill = SEVERITY_FILL.get(self.row_at(index.row()).severity.value)
            return QColor(fill) if fill else None
        return super().data(index, role)


@dataclass(frozen=True)
class UserLine:
    user: UserView
    account: str = ""
    """The account's status and last day, e.g. "active until 2026-12-04", or "no password"."""


class UsersModel(RowsModel[UserLine]):
    columns = (
        ("Name", lambda u: u.user.name),
        ("Role", lambda u: u.user.role),
        ("IMI PIN", lambda u: u.user.imi_pin),
        ("Assessor", lambda u: yes(u.user.assessor)),
        ("Impartial", lambda u: yes(u.user.impartial)),
        ("Nominated (INV-4)", lambda u: yes(u.user.nominated) if u.user.role != "inspector" else ""),
        ("INV-2 authorisation", lambda u: u.user.assessor_authorisation or ("NONE" if u.user.assessor else "")),
        ("Account", lambda u: u.account or ("disabled" if u.user.disabled else "active")),
    )


class DaySessionsModel(RowsModel[DaySession]):
    columns = (
        ("Time", lambda s: f"{time_text(s.start)}–{time_text(s.end)}"),
        ("Room", lambda s: s.room),
        ("Invigilator", lambda s: s.invigilator),
        ("Candidates", lambda s: str(s.candidates)),
        ("Assessments", lambda s: ", ".join(s.assessments)),
        ("State", lambda s: STATE_TEXT.get(s.state, s.state)),
    )


class DayCandidatesModel(RowsModel[DayCandidate]):
    columns = (
        ("Candidate", lambda c: f"{c.name} ({c.registration_number})"),
        ("Assessments today", lambda c: f"{c.count} — OVER THE CAND-3 LIMIT" if c.over_limit else str(c.count)),
        ("Sittings", lambda c: "; ".join(c.sittings)),
    )
