"""Reading JSON input files with messages that name the file, the JSON path and the problem."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from invigilator_app.domain.errors import BadInput


def load_json(path: Path) -> Any:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: is not UTF-8 text (byte {exc.start}).") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{path}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}).") from None


class Fields:
    """Typed access to one JSON object, collecting problems as "path: what is wrong"."""

    def __init__(self, data: Any, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        if not isinstance(data, dict):
            problems.append(f"{path}: expected an object, found {type(data).__name__}")
            data = {}
        self.data: dict[str, Any] = data

    def _bad(self, key: str, what: str) -> None:
        self.problems.append(f"{self.path}.{key}: {what}")

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def text(self, key: str, *, required: bool = True, default: str = "", max_len: int = 300) -> str:
        if not self.has(key):
            if required:
                self._bad(key, "is required")
            return default
        value: object = self.data[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self._bad(key, f"expected text, found {type(value).__name__}")
            return default
        value = value.strip()
        if required and not value:
            self._bad(key, "must not be empty")
        if len(value) > max_len:
            self._bad(key, f"is longer than {max_len} characters")
        return value

    def flag(self, key: str, *, default: bool | None = False) -> bool | None:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            self._bad(key, f"expected true or false, found {json.dumps(value)}")
            return default
        return value

    def number(self, key: str, *, required: bool = True) -> float | None:
        if not self.has(key):
            if required:
                self._bad(key, "is required")
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._bad(key, f"expected a number, found {json.dumps(value)}")
            return None
        return float(value)

    def integer(self, key: str, *, required: bool = False, minimum: int | None = None) -> int | None:
        if not self.has(key):
            if required:
                self._bad(key, "is required")
            return None
        value = self.data[key]
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self._bad(key, f"expected a whole number, found {json.dumps(value)}")
            return None
        if minimum is not None and value < minimum:
            self._bad(key, f"must be at least {minimum}")
            return None
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        raw = self.text(key, required=required)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self._bad(key, f"{raw!r} is not a date (YYYY-MM-DD)")
            return None

    def clock_time(self, key: str) -> time | None:
        raw = self.text(key)
        if not raw:
            return None
        try:
            parsed = time.fromisoformat(raw)
        except ValueError:
            self._bad(key, f"{raw!r} is not a time (HH:MM)")
            return None
        return parsed.replace(second=0, microsecond=0)

    def moment(self, key: str, *, required: bool = True) -> datetime | None:
        raw = self.text(key, required=required)
        if not raw:
            return None
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            self._bad(key, f"{raw!r} is not a date and time (YYYY-MM-DDTHH:MM)")
            return None

    def items(self, key: str, *, required: bool = True) -> list[Any] | None:
        if not self.has(key):
            if required:
                self._bad(key, "is required")
            return None
        value = self.data[key]
        if not isinstance(value, list):
            self._bad(key, f"expected a list, found {type(value).__name__}")
            return None
        return value

    def child(self, key: str) -> Fields | None:
        if not self.has(key):
            self._bad(key, "is required")
            return None
        return Fields(self.data[key], f"{self.path}.{key}", self.problems)


def raise_problems(source: Path | str, problems: list[str]) -> None:
    if problems:
        lines = [f"{source}: {p}" for p in problems]
        raise BadInput("\n".join([*lines, "Nothing was written."]))
