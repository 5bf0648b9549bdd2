"""Every table model of the planning and administration areas passes qtmodeltester."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import Qt

from invigilator_app.domain.enums import Severity
from invigilator_app.domain.violations import Violation
from invigilator_app.rules.facts import WorkstationFact
from invigilator_app.services.admin.candidates import CandidateView
from invigilator_app.services.admin.candidates_admin import PreviewRow
from invigilator_app.services.admin.catalogue_admin import AssessmentView, QualificationView
from invigilator_app.services.admin.users import UserView
from invigilator_app.services.planning.dayview import DayCandidate, DaySession
from invigilator_app.ui.admin import models as m

ROWS = [
    (
        m.CandidatesModel,
        [
            CandidateView(1, "R1", "Zoë", "Nguyễn", date(2000, 1, 1), "Reader", 25),
            CandidateView(2, "R2", "Jo", "Li", None, "", 0),
        ],
    ),
    (
        m.PreviewModel,
        [
            PreviewRow(
                2,
                {"registration_number": "R1", "first_name": "A", "last_name": "B", "date_of_birth": ""},
                "bad",
                ["first name is empty"],
            )
        ],
    ),
    (m.QualificationsModel, [QualificationView(1, "601/8928/9", "MOT", 2, False, False, False, True, True, 3)]),
    (m.AssessmentsModel, [AssessmentView(1, "MOT4", "MOT", "601/8928/9", None)]),
    (m.WorkstationsModel, [WorkstationFact("PC-01", 0.0, 1.5, screen=True)]),
    (m.PlanLinesModel, [m.PlanLine("R1", "Jo Li", "MOT4", "601/8928/9")]),
    (
        m.ViolationsModel,
        [Violation("CAND-3", Severity.BLOCK, "three today"), Violation("CAND-4", Severity.WARN, "no notice")],
    ),
    (m.UsersModel, [m.UserLine(UserView(1, "Alex", "invigilator", "IMI-1", True, False, True, "", False), "active")]),
    (m.DaySessionsModel, [DaySession(1, "IT Suite", time(9, 30), time(10, 30), "Alex", "planned", 2, ["MOT4"])]),
    (m.DayCandidatesModel, [DayCandidate("R1", "Jo Li", 3, ["09:30 IT Suite: MOT4"])]),
]


@pytest.mark.parametrize(("model_class", "rows"), ROWS, ids=[c.__name__ for c, _ in ROWS])
def test_models_pass_the_model_tester(qtmodeltester, model_class, rows) -> None:
    model = model_class(rows)
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_words_carry_the_meaning_not_only_colour() -> None:
    model = m.ViolationsModel([Violation("CAND-3", Severity.BLOCK, "x"), Violation("INV-2", Severity.AUTHORISE, "y")])
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["BLOCK", "NEEDS AUTHORISATION"]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    day = m.DayCandidatesModel([DayCandidate("R1", "Jo Li", 3)])
    assert day.data(day.index(0, 1)) == "3 — OVER THE CAND-3 LIMIT"
