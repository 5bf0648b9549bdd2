"""New passwords: at least 12 characters, and not a common password.

The shipped list (``resources/common_passwords.txt``: the 20,000 most common passwords,
lower case, one per line) is read once. A password is refused, compared in lower case,
when it is on the list, or when what is left after taking the digits, spaces and
punctuation off both ends (and the spaces out of the middle) is on the list or empty
(``Password2024!!``, ``i love you 1234``, ``123456789012``), when it is one short piece
repeated (``dragondragon``), or when it is the user's own name padded the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import invigilator_app

MIN_LENGTH = 12
COMMON_FILE = Path(invigilator_app.__file__).resolve().parent.parent / "resources" / "common_passwords.txt"
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SPACES = re.compile(r"[\s_.\-]+")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list; a missing list is an installation fault, never a silent pass."""
    text = COMMON_FILE.read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _core(password: str) -> str:
    return _SPACES.sub("", _ENDS.sub("", password.casefold().strip()))


def _repeated_piece(text: str) -> str | None:
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return None


def password_problem(password: str, *, names: Iterable[str] = ()) -> str | None:
    """Why this password may not be used (a phrase that follows "the password …"), or None."""
    if len(password) < MIN_LENGTH:
        return f"is too short: use at least {MIN_LENGTH} characters"
    common = common_passwords()
    whole = password.casefold().strip()
    if whole in common or _SPACES.sub("", whole) in common:
        return "is one of the most common passwords"
    core = _core(password)
    if not core:
        return "has only digits, spaces and symbols"
    if core in common:
        return "is a common password with digits or symbols added"
    piece = _repeated_piece(core)
    if piece is not None and (len(piece) < 4 or piece in common):
        return "repeats a short piece"
    for name in names:
        folded = _SPACES.sub("", name.casefold())
        parts = [p for p in re.split(r"\s+", name.casefold()) if len(p) >= 4]
        if folded and (core == folded or core in parts):
            return "is based on the user's name"
    return None
