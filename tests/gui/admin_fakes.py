"""A stand-in for the administration areas' dialog service: answers given up front."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any


class FakeAsk:
    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.errors: list[tuple[str, str]] = []
        self.asked: list[str] = []

    def _answer(self, name: str) -> Any:
        self.asked.append(name)
        return self.answers.get(name)

    def candidate(self, existing: object) -> Any:
        return self._answer("candidate")

    def qualification(self, existing: object) -> Any:
        return self._answer("qualification")

    def assessment(self, qualifications: list[str], existing: object) -> Any:
        return self._answer("assessment")

    def invigilator(self, existing: object) -> Any:
        return self._answer("invigilator")

    def inspector(self, first_day: date) -> Any:
        return self._answer("inspector")

    def import_preview(self, sheet: object, preview: Callable[[dict[str, int | None]], Any]) -> Any:
        self.asked.append("import_preview")
        mapping = self.answers.get("column_map")
        if mapping is None:
            from invigilator_app.services.admin.candidates_admin import guess_column_map

            mapping = guess_column_map(sheet.headers)  # type: ignore[attr-defined]
        self.preview = preview(mapping)
        return self.preview if self.answers.get("accept_import", True) else None

    def folder(self, title: str) -> Path | None:
        return self._answer("folder")

    def show_secret(self, title: str, text: str) -> None:
        self.asked.append("show_secret")
        self.secret = text

    def open_file(self, title: str, pattern: str) -> Path | None:
        return self._answer("open_file")

    def save_file(self, title: str, suggested: str, pattern: str) -> Path | None:
        return self._answer("save_file")

    def text(self, title: str, label: str) -> str | None:
        return self._answer("text")

    def day(self, title: str, label: str, initial: date) -> date | None:
        return self._answer("day")

    def confirm(self, title: str, text: str) -> bool:
        return bool(self.answers.get("confirm", True))

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    # the Stations area and the Centre menu (ui/admin/station_forms.StationDialogs)
    def enrolment_shown(self, done: Any) -> None:
        self.asked.append("enrolment_shown")
        self.enrolment = done

    def send_bundle(self, stations: list[str], sessions: list[Any], drop: Path | None, chosen: str = "") -> Any:
        self.asked.append("send_bundle")
        self.offered = (stations, sessions, drop, chosen)
        return self.answers.get("send_bundle")

    def choose(self, title: str, label: str, options: list[str]) -> int | None:
        self.asked.append("choose")
        self.options = options
        return self.answers.get("choose")

    def report(self, title: str, text: str) -> None:
        self.asked.append("report")
        self.reports = [*getattr(self, "reports", []), (title, text)]
