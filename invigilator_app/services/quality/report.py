"""The printable visit report for the centre's file: built from the store, rendered by
``reports.visit_pdf`` and signed by the station as the record is (the report's data
attached as JSON, the signature covering both)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import NotPermitted
from invigilator_app.domain.quality import VisitReport, VisitReportAction, VisitReportSample, VisitReportSession
from invigilator_app.domain.timezones import local
from invigilator_app.reports.signing import sign_pdf_with_data
from invigilator_app.reports.visit_pdf import render_visit_report
from invigilator_app.security import certificates
from invigilator_app.services.console.sessions import SessionSummary, list_sessions
from invigilator_app.services.files import write_atomically
from invigilator_app.services.quality.actions import list_actions
from invigilator_app.services.quality.visits import get_visit
from invigilator_app.services.review.records import centre_certificate_pem
from invigilator_app.services.station import Station
from invigilator_app.store.models import Centre
from invigilator_app.store.models import Session as SessionRow

ATTACHMENT_NAME = "eqa-visit.json"


def _day(day: date | None) -> str:
    return f"{day:%d %b %Y}" if day is not None else ""


def sessions_in_period(station: Station, first: date, last: date) -> list[SessionSummary]:
    return [s for s in list_sessions(station, since=first) if s.day <= last]


def build_visit_report(station: Station, visit_id: int) -> VisitReport:
    visit = get_visit(station, visit_id)
    acts = list_actions(station, visit_id=visit_id, include_signed_off=True)
    sessions = sessions_in_period(station, visit.period_from, visit.period_to)
    with station.read() as session:
        centre = session.scalars(select(Centre)).one()
        remote = set(session.scalars(select(SessionRow.id).where(SessionRow.remote.is_(True))))
    return VisitReport(
        centre_name=centre.name,
        centre_number=centre.number,
        site_type=centre.site_type,
        visit_id=visit.id,
        eqa_name=visit.eqa_name,
        kind=visit.kind,
        planned_on=_day(visit.planned_on),
        period=f"{_day(visit.period_from)} to {_day(visit.period_to)}",
        schedule_received_on=_day(visit.schedule_received_on),
        sampling_plan_received_on=_day(visit.sampling_plan_received_on),
        inspector=visit.inspector,
        notes=visit.notes,
        generated_at=local(station.now(), station.zone).strftime("%d %b %Y %H:%M"),
        generated_by=station.actor.name,
        samples=[VisitReportSample(s.label, s.looked_at, s.looked_by) for s in visit.samples],
        actions=[
            VisitReportAction(
                a.id,
                a.text,
                _day(a.due_on),
                a.state,
                a.when,
                "; ".join(
                    [a.evidence_reference] * bool(a.evidence_reference)
                    + [f"{e.file_name} (kept in the store)" for e in a.evidence]
                ),
                a.signed_off,
            )
            for a in acts
        ],
        sessions=[
            VisitReportSession(
                s.id, f"{s.day:%a %d %b %Y} {s.start}", s.room, s.state.replace("_", " "), s.id in remote
            )
            for s in sessions
        ],
    )


def signed_visit_report(station: Station, visit_id: int) -> bytes:
    station.require(Role.COORDINATOR, Role.INSPECTOR, action="view the quality file")
    report = build_visit_report(station, visit_id)
    signer = station.signer
    if signer is None or signer.certificate is None:
        raise NotPermitted(
            f"{station.actor.name} has no signing key on this store yet: a coordinator sets their "
            "password (`users passwd`) to give them one."
        )
    centre_pem = centre_certificate_pem(station)
    data = json.dumps(report.to_json(), sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")
    return sign_pdf_with_data(
        render_visit_report(report),
        data,
        attachment_name=ATTACHMENT_NAME,
        description="The visit report's data (JSON), as shown in this PDF",
        reason="EQA visit report",
        location=f"{report.centre_name} ({report.centre_number})",
        key_pem=certificates.private_pem(signer.key),
        cert_pem=certificates.pem(signer.certificate).encode("ascii"),
        signer_name=station.actor.name,
        chain=(centre_pem,),
    )


def export_visit_report(station: Station, visit_id: int, out: Path) -> Path:
    write_atomically(out, signed_visit_report(station, visit_id))
    return out
