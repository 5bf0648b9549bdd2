"""Candidates, Catalogue and Users areas on a real temporary store: what is stored."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from invigilator_app.services.access import open_station
from invigilator_app.services.admin import invigilators
from invigilator_app.services.admin.candidates import list_candidates
from invigilator_app.services.admin.candidates_admin import CandidateInput, read_spreadsheet
from invigilator_app.services.admin.catalogue import two_hour_list
from invigilator_app.services.admin.catalogue_admin import (
    QualificationInput,
    list_assessments,
    list_qualifications,
)
from invigilator_app.services.admin.users import list_users
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.candidates import CandidatesArea
from invigilator_app.ui.admin.catalogue import CatalogueArea
from invigilator_app.ui.admin.forms import (
    AssessmentAnswer,
    ImportPreviewDialog,
    InvigilatorAnswer,
)
from invigilator_app.ui.admin.users import UsersArea
from tests.gui.admin_fakes import FakeAsk
from tests.helpers import PASSWORD, seeded

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    opened = open_station(seeded(tmp_path), PASSWORD)
    yield opened
    opened.close()


def test_candidates_are_added_edited_and_searched(qtbot, station: Station) -> None:
    area = CandidatesArea(station)
    qtbot.addWidget(area)
    area.ask = FakeAsk(candidate=CandidateInput("R5000001", "Ada", "Lovelace", None, "Reader", 25))  # type: ignore[assignment]
    area.add_button.click()
    stored = list_candidates(station, "R5000001")[0]
    assert (stored.name, stored.access_arrangements, stored.extra_time_percent) == ("Ada Lovelace", "Reader", 25)
    assert "Added Ada Lovelace" in area.status.text()
    area.ask = FakeAsk(candidate=CandidateInput("R5000001", "Ada", "King", None, "", 0))  # type: ignore[assignment]
    area.edit_button.click()
    assert list_candidates(station, "R5000001")[0].last_name == "King"
    area.ask = FakeAsk(candidate=CandidateInput("R1000001", "Dup", "Licate"))  # type: ignore[assignment]
    area.add_button.click()
    assert area.ask.errors and "already registered to Jane Smith" in area.ask.errors[0][1]  # type: ignore[attr-defined]
    qtbot.keyClicks(area.search, "Nowak")
    qtbot.waitUntil(lambda: area.model.rowCount() == 1, timeout=2000)


def test_a_spreadsheet_export_is_imported_after_its_preview(qtbot, station: Station, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes("Surname;Forename;DOB;IMI Reg No\r\nBrontë;Anne;17/01/1990;R3000001\r\n".encode("cp1252"))
    area = CandidatesArea(station)
    qtbot.addWidget(area)
    area.ask = FakeAsk(open_file=export)  # type: ignore[assignment]
    area.import_button.click()
    assert area.ask.asked == ["open_file", "import_preview"]  # type: ignore[attr-defined]
    assert list_candidates(station, "R3000001")[0].name == "Anne Brontë"
    assert "1 added" in area.status.text()


def test_the_import_preview_shows_bad_rows_and_remaps_columns(qtbot, station: Station, qtmodeltester) -> None:
    from invigilator_app.services.admin.candidates_admin import preview_import

    data = b"Learner Ref,Known as,Family name\nR3000010,Ann,Lee\nR1000001,Someone,Else\n"
    sheet = read_spreadsheet(data, "centre.csv")
    dialog = ImportPreviewDialog(sheet, lambda m: preview_import(station, sheet, m))
    qtbot.addWidget(dialog)
    assert "choose the column(s) for Registration number, First name" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.combos["last_name"].currentText() == "Family name"
    dialog.combos["registration_number"].setCurrentIndex(1)
    dialog.combos["first_name"].setCurrentIndex(2)
    assert dialog.model.rowCount() == 2
    assert dialog.model.data(dialog.model.index(1, 1)) == "BAD ROW"
    assert "already registered to Jane Smith" in dialog.model.data(dialog.model.index(1, 6))
    assert "1 new, 0 already registered, 1 bad" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    qtmodeltester.check(dialog.model)
    dialog.resize(1100, 420)
    dialog.show()
    qtbot.waitExposed(dialog)
    if os.environ.get("INVIGILATOR_SCREENSHOTS"):
        dialog.grab().save(str(SHOTS / "candidates-import-preview.png"))
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel) is not None


def test_the_catalogue_preloads_the_two_hour_list_and_saves_edits(qtbot, station: Station, tmp_path: Path) -> None:
    area = CatalogueArea(station)
    qtbot.addWidget(area)
    assert area.qualifications.rowCount() == len(two_hour_list())
    area.ask = FakeAsk(qualification=QualificationInput("610/0001/1", "Level 3 Diploma", 48, True, True))  # type: ignore[assignment]
    area.add_qualification()
    stored = next(q for q in list_qualifications(station) if q.number == "610/0001/1")
    assert stored.apprenticeship_standard and stored.calculator_allowed
    assert area.current() is not None and area.current().number == "610/0001/1"  # type: ignore[union-attr]
    area.ask = FakeAsk(assessment=AssessmentAnswer("L3-ONL-01", "610/0001/1", "Unit 1", 90))  # type: ignore[assignment]
    area.add_assessment()
    assert [(a.code, a.planned_minutes) for a in list_assessments(station, "610/0001/1")] == [("L3-ONL-01", 90)]
    assert area.assessments.rowCount() == 1
    csv_file = tmp_path / "cat.csv"
    csv_file.write_text("qualification_number,assessment_id,planned_minutes\n610/0001/1,L3-ONL-02,60\n")
    area.ask = FakeAsk(open_file=csv_file)  # type: ignore[assignment]
    area.import_file()
    assert area.assessments.rowCount() == 2 and "1 assessments added" in area.status.text()


def test_users_invigilators_are_added_declared_nominated_and_authorised(qtbot, station: Station) -> None:
    area = UsersArea(station)
    qtbot.addWidget(area)
    area.ask = FakeAsk(invigilator=InvigilatorAnswer("Dana Reid", "IMI-555", True, False))  # type: ignore[assignment]
    area.add()
    dana = next(u for u in list_users(station) if u.name == "Dana Reid")
    assert (dana.imi_pin, dana.assessor, dana.nominated) == ("IMI-555", True, True)
    area.ask = FakeAsk(text="Only qualified person available during the site closure")  # type: ignore[assignment]
    area.authorise()
    dana = next(u for u in list_users(station) if u.name == "Dana Reid")
    assert dana.assessor_authorisation.startswith("Only qualified person")
    area.ask = FakeAsk(invigilator=InvigilatorAnswer("Dana Reid", "IMI-556", True, True))  # type: ignore[assignment]
    area.edit()  # a changed declaration needs a reason: without one nothing is saved
    assert next(u for u in list_users(station) if u.name == "Dana Reid").impartial is False
    area.ask = FakeAsk(
        invigilator=InvigilatorAnswer("Dana Reid", "IMI-556", True, True),  # type: ignore[assignment]
        text="No longer works in the EV workshop",
    )
    area.edit()
    assert [h.reason for h in invigilators.declaration_history(station, "Dana Reid")] == [
        "No longer works in the EV workshop"
    ]
    area.withdraw()
    dana = next(u for u in list_users(station) if u.name == "Dana Reid")
    assert (dana.imi_pin, dana.impartial, dana.nominated) == ("IMI-556", True, False)
    area.ask = FakeAsk(text="short")  # type: ignore[assignment]
    area.authorise()
    assert "at least 10 characters" in area.ask.errors[0][1]  # type: ignore[attr-defined]


def test_an_inspector_account_is_added_with_its_last_day(qtbot, station: Station) -> None:
    from datetime import timedelta

    from invigilator_app.domain.timezones import local
    from invigilator_app.services.admin.accounts import list_accounts
    from invigilator_app.ui.admin.forms import InspectorAnswer

    area = UsersArea(station)
    qtbot.addWidget(area)
    last = local(station.now(), station.zone).date() + timedelta(days=3)
    area.ask = FakeAsk(inspector=InspectorAnswer("Eve Quality", last, "quiet harbour lamp ninety"))  # type: ignore[assignment]
    area.add_inspector()
    account = next(a for a in list_accounts(station) if a.name == "Eve Quality")
    assert (account.role, account.expires, account.login) == ("inspector", last.isoformat(), True)
    row = next(r for r in range(area.model.rowCount()) if area.model.row_at(r).user.name == "Eve Quality")
    assert area.model.data(area.model.index(row, 7)) == f"active until {last.isoformat()}"


def test_disabling_an_account_on_the_users_screen_rotates_the_data_key(qtbot, station: Station) -> None:
    from invigilator_app.domain.errors import WrongPassword
    from invigilator_app.services.admin.accounts import add_user, list_accounts

    data_dir = station.db.paths.data_dir
    add_user(station, "Dana Reid", "invigilator", "dana keeps the room quiet", imi_pin="IMI-555")
    old_key = bytes(station.db.key)
    area = UsersArea(station)
    qtbot.addWidget(area)
    area.show()
    row = next(r for r in range(area.model.rowCount()) if area.model.row_at(r).user.name == "Dana Reid")
    area.table.selectRow(row)
    area.ask = FakeAsk(confirm=True)  # type: ignore[assignment]
    disable = area.findChild(QPushButton, "disable_account")
    assert disable is not None and disable.text() == "Disa&ble account…"
    disable.setFocus()
    qtbot.keyClick(disable, Qt.Key.Key_Space)
    assert [a.status for a in list_accounts(station) if a.name == "Dana Reid"] == ["disabled"]
    assert bytes(station.db.key) != old_key  # the station goes on with the new key
    assert "data key was changed" in area.status.text()
    with pytest.raises(WrongPassword):
        open_station(data_dir, "dana keeps the room quiet", user="Dana Reid")
    open_station(data_dir, PASSWORD, user="Sam Coordinator").close()
