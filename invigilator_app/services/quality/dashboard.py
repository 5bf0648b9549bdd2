"""The inspector's first screen at a visit: the integrity and origin of the records, the
sessions of the visit's period with their sign-off state, amendments, outstanding
notifications, malpractice reports, pattern flags and open actions — each naming the
session it concerns, so the record is one click away — and the sampling plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import InvigilatorError
from invigilator_app.security import certificates
from invigilator_app.services.quality.actions import ActionView, list_actions
from invigilator_app.services.quality.malpractice_deadlines import MalpracticeDeadline, list_deadlines
from invigilator_app.services.quality.report import sessions_in_period
from invigilator_app.services.quality.visits import VisitView, get_visit
from invigilator_app.services.review.patterns import pattern_report
from invigilator_app.services.review.queue import follow_ups
from invigilator_app.services.station import Station
from invigilator_app.services.trust import keys
from invigilator_app.services.trust.integrity import verify_store
from invigilator_app.store.models import Amendment, Centre
from invigilator_app.store.models import Session as SessionRow

SIGN_OFF_TEXT = {
    "planned": "planned",
    "running": "running",
    "closed": "closed, awaiting the coordinator's sign-off",
    "signed_off": "signed off",
}


@dataclass(frozen=True)
class DashboardSession:
    id: int
    when: str
    room: str
    state: str
    remote: bool
    amendments: int
    outstanding: int
    sampled: bool


@dataclass(frozen=True)
class DashboardItem:
    """One line of a list on the dashboard, with the session whose record it concerns."""

    session_id: int | None
    text: str


@dataclass(frozen=True)
class Dashboard:
    visit: VisitView
    site_type: str
    """The centre's site type (lead, multi-site, satellite, sub-contracted): what the EQA looks at depends on it."""
    integrity: str
    integrity_ok: bool
    fingerprint: str
    sessions: list[DashboardSession] = field(default_factory=list)
    amendments: list[DashboardItem] = field(default_factory=list)
    notifications: list[DashboardItem] = field(default_factory=list)
    malpractice: list[MalpracticeDeadline] = field(default_factory=list)
    patterns: list[DashboardItem] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)


def station_fingerprint(station: Station) -> str:
    """The fingerprint an EQA trusts for this centre's records: the centre certificate's
    SHA-256, which every signer's certificate chains to (grouped for reading aloud)."""
    with station.read() as session:
        centre = keys.centre_certificate(session)
    return certificates.grouped(certificates.fingerprint(centre)) if centre is not None else "no centre certificate"


def check_integrity(station: Station) -> tuple[str, bool]:
    """Every page and the audit chain (as ``verify --audit``): the report, and whether it passed."""
    try:
        return verify_store(station), True
    except InvigilatorError as exc:
        return exc.message, False


def visit_dashboard(station: Station, visit_id: int, integrity: tuple[str, bool] | None = None) -> Dashboard:
    """The dashboard; ``integrity`` from an earlier ``check_integrity`` saves walking the
    chain again when only the lists need reloading."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="view the quality file")
    visit = get_visit(station, visit_id)
    integrity_text, ok = integrity if integrity is not None else check_integrity(station)
    sessions = sessions_in_period(station, visit.period_from, visit.period_to)
    ids = [s.id for s in sessions]
    sampled = {s.session_id for s in visit.samples if s.session_id is not None}
    with station.read() as session:
        remote = set(session.scalars(select(SessionRow.id).where(SessionRow.remote.is_(True), SessionRow.id.in_(ids))))
        site_type = session.scalars(select(Centre.site_type)).first() or ""
        counts = dict(
            session.execute(
                select(Amendment.session_id, func.count())
                .where(Amendment.session_id.in_(ids))
                .group_by(Amendment.session_id)
            ).all()
        )
        amendments = session.scalars(
            select(Amendment).where(Amendment.session_id.in_(ids)).order_by(Amendment.at, Amendment.id)
        ).all()
        amendment_items = [
            DashboardItem(
                a.session_id,
                f"Session {a.session_id}: {a.entity.replace('_', ' ')} "
                f"{a.entity_id} {a.field}: {a.original or '—'} → {a.amended or '—'} "
                f"({a.reason})",
            )
            for a in amendments
        ]
    outstanding = [f for f in follow_ups(station) if f.session_id in ids]
    per_session: dict[int, int] = {}
    for f in outstanding:
        per_session[f.session_id] = per_session.get(f.session_id, 0) + 1
    report = pattern_report(station, visit.period_from, visit.period_to)
    return Dashboard(
        visit=visit,
        site_type=site_type,
        integrity=integrity_text,
        integrity_ok=ok,
        fingerprint=station_fingerprint(station),
        sessions=[
            DashboardSession(
                s.id,
                f"{s.day:%a %d %b %Y} {s.start}",
                s.room,
                SIGN_OFF_TEXT.get(s.state, s.state),
                s.id in remote,
                int(counts.get(s.id, 0)),
                per_session.get(s.id, 0),
                s.id in sampled,
            )
            for s in sessions
        ],
        amendments=amendment_items,
        notifications=[DashboardItem(f.session_id, f"{f.what} — {f.who}") for f in outstanding],
        malpractice=[d for d in list_deadlines(station) if not d.session_ids or set(d.session_ids) & set(ids)],
        patterns=[
            DashboardItem(
                f.session_ids[0] if f.session_ids else None,
                f"{f.kind.label}: {f.candidate_name} ({f.registration_number}), {f.assessment_id}: {f.detail}",
            )
            for f in report.findings
        ],
        actions=list_actions(station, visit_id=visit_id),
    )
