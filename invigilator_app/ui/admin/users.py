"""Users: invigilators with their IMI PIN, assessor and impartiality declarations (INV-1 to
INV-3), the coordinator's nominations (INV-4) and INV-2 authorisations with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from invigilator_app.domain.enums import Role
from invigilator_app.domain.timefmt import day_text
from invigilator_app.domain.timezones import local
from invigilator_app.services.admin import invigilators
from invigilator_app.services.admin.accounts import add_user, disable_user, list_accounts
from invigilator_app.services.admin.recovery_keys import issue_recovery_key
from invigilator_app.services.admin.users import UserView, add_invigilator, list_users
from invigilator_app.services.planning.changes import authorise_assessor
from invigilator_app.services.station import Station
from invigilator_app.ui.admin.forms import AdminDialogs
from invigilator_app.ui.admin.models import UserLine, UsersModel
from invigilator_app.ui.widgets import (
    StatusLine,
    attempt,
    button,
    make_table,
    selected_row,
)


class UsersArea(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.ask = AdminDialogs(self)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Invigilators log candidates on with their own IMI PIN (INV-1). An assessor may invigilate only with "
            "your authorisation (INV-2); Apprenticeship Standard assessments need an impartial invigilator (INV-3); "
            "every invigilator is nominated by you (INV-4). Inspectors' accounts are read-only and end on the last day "
            "of their visit."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        bar = QHBoxLayout()
        for text, slot, name in (
            ("&Add invigilator…", self.add, "add_invigilator"),
            ("&Declarations…", self.edit, "edit_invigilator"),
            ("&Nominate", self.nominate, "nominate"),
            ("&Withdraw nomination", self.withdraw, "withdraw_nomination"),
            ("A&uthorise assessor…", self.authorise, "authorise"),
            ("&Revoke authorisation", self.revoke, "revoke_authorisation"),
            ("Add ins&pector…", self.add_inspector, "add_inspector"),
            ("New recovery &key…", self.new_recovery_key, "new_recovery_key"),
            ("Disa&ble account…", self.disable, "disable_account"),
        ):
            bar.addWidget(button(text, slot, name=name))
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = UsersModel()
        self.table = make_table(self.model, "Users")
        self.table.activated.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        self.status = StatusLine()
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self, select: str = "") -> None:
        accounts = {a.name: a for a in list_accounts(self.station)}
        lines = []
        for u in list_users(self.station):
            a = accounts.get(u.name)
            status = (
                ""
                if a is None
                else a.status
                + (f" until {a.expires}" if a.expires else "")
                + ("" if a.login or a.status == "disabled" else " (no password)")
            )
            lines.append(UserLine(u, status))
        self.model.set_rows(lines)
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).user.name == select:
                self.table.selectRow(row)

    def current(self) -> UserView | None:
        row = selected_row(self.table)
        if row is None:
            self.ask.error("Users", "Select a person first.")
            return None
        return self.model.row_at(row).user

    def _done(self, saved: UserView | None, text: str) -> None:
        if saved is not None:
            self.status.done(text)
            self.refresh(saved.name)

    def add(self) -> None:
        answer = self.ask.invigilator(None)
        if answer is None:
            return
        saved = attempt(
            self.status,
            self.ask.error,
            "Invigilator not added",
            lambda: add_invigilator(
                self.station, answer.name, answer.imi_pin, assessor=answer.assessor, impartial=answer.impartial
            ),
        )
        self._done(saved, f"Added {answer.name.strip()}, nominated by you (INV-4).")

    def edit(self) -> None:
        user = self.current()
        if user is None:
            return
        answer = self.ask.invigilator(user)
        if answer is None:
            return
        reason = ""
        if (answer.assessor, answer.impartial) != (user.assessor, user.impartial):
            reason = (
                self.ask.text(
                    "Declaration change",
                    f"Why do {user.name}'s declarations change (INV-2/INV-3)? The reason is kept with the change:",
                )
                or ""
            )
            if not reason:
                return
        saved = attempt(
            self.status,
            self.ask.error,
            "Not saved",
            lambda: invigilators.update_invigilator(
                self.station,
                user.name,
                imi_pin=answer.imi_pin,
                assessor=answer.assessor,
                impartial=answer.impartial,
                reason=reason,
            ),
        )
        self._done(saved, f"Saved {user.name}'s declarations.")

    def nominate(self) -> None:
        user = self.current()
        if user is not None:
            saved = attempt(
                self.status, self.ask.error, "Not nominated", lambda: invigilators.nominate(self.station, user.name)
            )
            self._done(saved, f"{user.name} is nominated to invigilate (INV-4).")

    def withdraw(self) -> None:
        user = self.current()
        if user is not None and self.ask.confirm("Withdraw nomination", f"Withdraw {user.name}'s nomination (INV-4)?"):
            saved = attempt(
                self.status,
                self.ask.error,
                "Not changed",
                lambda: invigilators.withdraw_nomination(self.station, user.name),
            )
            self._done(saved, f"{user.name}'s nomination is withdrawn.")

    def authorise(self) -> None:
        user = self.current()
        if user is None:
            return
        reason = self.ask.text(
            "INV-2 authorisation",
            f"Exceptional circumstances in which {user.name}, an assessor, may invigilate (shown on the record):",
        )
        if not reason:
            return

        def authorise() -> bool:
            authorise_assessor(self.station, user.name, reason)
            return True

        done = attempt(self.status, self.ask.error, "Not authorised", authorise)
        if not done:
            return
        self.status.done(f"Recorded the INV-2 authorisation for {user.name}.")
        self.refresh(user.name)

    def add_inspector(self) -> None:
        answer = self.ask.inspector(local(self.station.now(), self.station.zone).date())
        if answer is None:
            return
        saved = attempt(
            self.status,
            self.ask.error,
            "Inspector not added",
            lambda: add_user(self.station, answer.name, Role.INSPECTOR, answer.password, expires=answer.last_day),
        )
        if saved is not None:
            self.status.done(f"Added inspector {saved.name}: read-only, until the end of {day_text(answer.last_day)}.")
            self.refresh(saved.name)

    def revoke(self) -> None:
        user = self.current()
        if user is not None and self.ask.confirm("Revoke authorisation", f"Revoke {user.name}'s INV-2 authorisation?"):
            saved = attempt(
                self.status,
                self.ask.error,
                "Not changed",
                lambda: invigilators.revoke_authorisation(self.station, user.name),
            )
            self._done(saved, f"{user.name}'s INV-2 authorisation is revoked.")

    def new_recovery_key(self) -> None:
        if not self.ask.confirm("New recovery key", "Issue a new recovery key? The old one stops working at once."):
            return
        key = attempt(self.status, self.ask.error, "No new recovery key", lambda: issue_recovery_key(self.station))
        if key is not None:
            self.ask.show_secret(
                "New recovery key",
                f"Write this recovery key down and keep it locked away; it is shown only now:\n\n{key}",
            )
            self.status.done("Issued a new recovery key; the old one no longer works.")

    def disable(self) -> None:
        """Disable the selected account: it can no longer unlock, its certificate is revoked and
        the data key is rotated (``services.key_rotation``), so an old copy of its slot opens nothing."""
        user = self.current()
        if user is None or not self.ask.confirm(
            "Disable account",
            f"Disable {user.name}'s account? They can no longer unlock the station and their certificate is "
            "revoked from now; the data key is changed, so an old copy of their key slot no longer opens the "
            "store. Their records stay.",
        ):
            return
        message = attempt(self.status, self.ask.error, "Not disabled", lambda: disable_user(self.station, user.name))
        if message is None:
            return
        self.status.done(f"{user.name} is disabled. {message}")
        if "NOT" in message or "cannot unlock" in message:  # someone must act: say it where it cannot be missed
            self.ask.error("Account disabled", message)
        self.refresh(user.name)
