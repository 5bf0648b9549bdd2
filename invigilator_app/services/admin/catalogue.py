"""Qualifications and assessments, with the retake intervals the rules use (CAND-7)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.errors import BadInput
from invigilator_app.rules.retake_list import default_retake_hours, load_two_hour_list
from invigilator_app.rules.standards import is_standard, load_standards
from invigilator_app.store.models import Assessment, Qualification


@lru_cache(maxsize=1)
def two_hour_list() -> dict[str, str]:
    return load_two_hour_list()


@lru_cache(maxsize=1)
def standards_list() -> dict[str, str]:
    """The shipped Apprenticeship Standards: ST reference -> title (INV-3)."""
    return load_standards()


def ensure_qualification(session: Session, number: str, title: str = "") -> Qualification:
    """The qualification with this number, added with its default retake interval if new."""
    found = session.scalars(select(Qualification).where(Qualification.number == number)).first()
    if found is not None:
        if title and not found.title:
            found.title = title
        return found
    listed = two_hour_list()
    qualification = Qualification(
        number=number,
        title=title or listed.get(number, "") or standards_list().get(number.strip().upper(), ""),
        retake_hours=default_retake_hours(number, listed),
        apprenticeship_standard=is_standard(number),
        calculator_allowed=False,
        dictionary_allowed=False,
        other_software_allowed=number in MOT_QUALIFICATIONS,
    )
    session.add(qualification)
    session.flush()
    return qualification


# 001 allows other software in the room for the MOT qualifications (ROOM-5).
MOT_QUALIFICATIONS = frozenset({"601/8928/9", "601/8930/7", "601/8929/0"})


def ensure_assessment(
    session: Session,
    code: str,
    qualification: Qualification,
    *,
    title: str = "",
    planned_minutes: int | None = None,
    where: str = "",
) -> Assessment:
    found = session.scalars(select(Assessment).where(Assessment.code == code)).first()
    if found is not None:
        if found.qualification_id != qualification.id:
            raise BadInput(
                f"{where}: assessment {code} belongs to qualification "
                f"{found.qualification.number}, not {qualification.number}"
            )
        if title and not found.title:
            found.title = title
        if planned_minutes and not found.planned_minutes:
            found.planned_minutes = planned_minutes
        return found
    assessment = Assessment(code=code, title=title, qualification=qualification, planned_minutes=planned_minutes)
    session.add(assessment)
    session.flush()
    return assessment
