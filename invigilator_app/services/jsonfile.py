"""Reading JSON input files with messages that name the file, the JSON path and the problem."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from invigilator_app.domain.errors import BadInput
from invigilator_app.services import bounds


class _Refused(ValueError):
    pass


def _number(kind: type) -> Any:
    def parse(text: str) -> Any:
        if len(text) > bounds.MAX_NUMBER_DIGITS:
            raise _Refused(f"a number of {len(text):,} characters (at most {bounds.MAX_NUMBER_DIGITS})")
        value = kind(text)
        if kind is float and not math.isfinite(value):
            raise _Refused(f"{text} is not a finite number")
        return value

    return parse


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number JSON allows")


def _depth(data: Any) -> int:
    deepest, todo = 0, [(data, 1)]
    while todo:
        value, level = todo.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level > bounds.MAX_DEPTH:
                break
            todo.extend((v, level + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def parse_json(text: str, source: str | Path) -> Any:
    """JSON held to the limits: no NaN or Infinity, numbers of at most 30 characters,
    nesting at most 20 deep (BadInput naming the file and the place)."""
    try:
        data = json.loads(text, parse_int=_number(int), parse_float=_number(float), parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{source}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}).") from None
    except _Refused as exc:
        raise BadInput(f"{source}: {exc}. Nothing was written.") from None
    except RecursionError:
        raise BadInput(f"{source}: nested more than {bounds.MAX_DEPTH} deep. Nothing was written.") from None
    if _depth(data) > bounds.MAX_DEPTH:
        raise BadInput(f"{source}: nested more than {bounds.MAX_DEPTH} deep. Nothing was written.")
    return data


def load_json(path: Path) -> Any:
    try:
        bounds.check_size(path.stat().st_size, bounds.MAX_JSON_BYTES, str(path))
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: is not UTF-8 text (byte {exc.start}).") from None
    return parse_json(text, path)


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
            self._bad(key, f"expected true or false, found {_shown(value)}")
            return default
        return value

    def number(self, key: str, *, required: bool = True) -> float | None:
        if not self.has(key):
            if required:
                self._bad(key, "is required")
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._bad(key, f"expected a number, found {_shown(value)}")
            return None
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self._bad(key, f"{_shown(value)} is not a finite number")
            return None
        return number

    def coordinate(self, key: str) -> float | None:
        """Metres from the room's corner: finite, within ±100 m (the room is at most 100 m × 100 m)."""
        value = self.number(key)
        if value is not None and (problem := bounds.coordinate_problem(value)):
            self._bad(key, problem)
            return None
        return value

    def integer(
        self, key: str, *, required: bool = False, minimum: int | None = None, maximum: int = bounds.MAX_INTEGER
    ) -> int | None:
        if not self.has(key):
            if required:
                self._bad(key, "is required")
            return None
        value = self.data[key]
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= bounds.MAX_NUMBER_DIGITS:
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self._bad(key, f"expected a whole number, found {_shown(value)}")
            return None
        if minimum is not None and value < minimum:
            self._bad(key, f"must be at least {minimum}")
            return None
        if value > maximum:
            self._bad(key, f"must be at most {maximum:,}")
            return None
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        raw = self.text(key, required=required)
        if not raw:
            return None
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            self._bad(key, f"{_short(raw)!r} is not a date (YYYY-MM-DD)")
            return None
        if problem := bounds.check_day(value):
            self._bad(key, problem)
            return None
        return value

    def clock_time(self, key: str) -> time | None:
        raw = self.text(key)
        if not raw:
            return None
        try:
            parsed = time.fromisoformat(raw)
        except ValueError:
            self._bad(key, f"{_short(raw)!r} is not a time (HH:MM)")
            return None
        return parsed.replace(second=0, microsecond=0)

    def moment(self, key: str, *, required: bool = True) -> datetime | None:
        raw = self.text(key, required=required)
        if not raw:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            self._bad(key, f"{_short(raw)!r} is not a date and time (YYYY-MM-DDTHH:MM)")
            return None
        if problem := bounds.check_day(value.date()):
            self._bad(key, problem)
            return None
        return value

    def items(self, key: str, *, required: bool = True, most: int = bounds.MAX_PLAN_CANDIDATES) -> list[Any] | None:
        if not self.has(key):
            if required:
                self._bad(key, "is required")
            return None
        value = self.data[key]
        if not isinstance(value, list):
            self._bad(key, f"expected a list, found {type(value).__name__}")
            return None
        if len(value) > most:
            self._bad(key, f"{len(value):,} items; at most {most:,}")
            return None
        return value

    def child(self, key: str) -> Fields | None:
        if not self.has(key):
            self._bad(key, "is required")
            return None
        return Fields(self.data[key], f"{self.path}.{key}", self.problems)


def _short(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _shown(value: Any) -> str:
    """A value as JSON, cut short (a problem line never repeats a huge value)."""
    try:
        return _short(json.dumps(value), 60)
    except (ValueError, TypeError):
        return type(value).__name__


def raise_problems(source: Path | str, problems: list[str]) -> None:
    if problems:
        lines = [f"{source}: {p}" for p in problems]
        raise BadInput("\n".join([*lines, "Nothing was written."]))
