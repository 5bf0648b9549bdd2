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

from zxcvbn import zxcvbn

import invigilator_app

MIN_LENGTH = 12
COMMON_FILE = Path(invigilator_app.__file__).resolve().parent.parent / "resources" / "common_passwords.txt"
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SPACES = re.compile(r"[\s_.\-]+")
_FILLER = re.compile(r"[\W\d_]+")
APP_WORDS = (
    "invigilator",
    "invigilators",
    "invigilation",
    "invigilate",
    "invigilates",
    "station",
    "exam",
    "exams",
    "examination",
    "assessment",
    "assessments",
    "candidate",
    "candidates",
    "coordinator",
    "inspector",
    "centre",
    "center",
    "imi",
    "online",
    "test",
    "password",
    "passwd",
    "admin",
)
GUESSES_PER_SECOND = 1_000
"""An offline attacker's rate against the production Argon2id cost (a rig of GPUs)."""
MIN_GUESSES = GUESSES_PER_SECOND * 3 * 365 * 24 * 3600
ZXCVBN_MAX = 72
"""zxcvbn refuses longer input; a longer password is judged by its first 72 characters."""


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


def context_words(*texts: str, years: Iterable[int] = ()) -> list[str]:
    """The words an attacker at this centre tries first: each text whole and in its words,
    the station's own words and the given years."""
    words: list[str] = []
    for text in texts:
        folded = text.casefold().strip()
        if not folded:
            continue
        words.append(_SPACES.sub("", folded))
        words.extend(w for w in re.split(r"[\s_.,;:/\-]+", folded) if len(w) >= 3)
    words.extend(APP_WORDS)
    words.extend(str(y) for y in years)
    return list(dict.fromkeys(words))


def _without(password: str, words: Iterable[str]) -> str:
    """What is left of a password once the given words, digits, spaces and symbols are taken out."""
    left = password.casefold()
    for word in sorted(words, key=len, reverse=True):
        if len(word) >= 3:
            left = left.replace(word, "")
    return _FILLER.sub("", left)


def _duration(seconds: float) -> str:
    for unit, size in (("years", 365 * 24 * 3600), ("days", 24 * 3600), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"in about {seconds / size:.0f} {unit}"
    return "in under a minute"


def strength_problem(password: str, context: Iterable[str]) -> str | None:
    """The zxcvbn estimate with the centre's words as user inputs: why it is too weak, or None."""
    words = list(context)
    left = _without(password, words)
    if len(left) < 6:
        return (
            "is made of the centre's name or number, the user's name, the station's own words or a year "
            "with digits and symbols: these are the first guesses of an attacker at this centre"
        )
    result = zxcvbn(password[:ZXCVBN_MAX], user_inputs=words)
    guesses = float(result["guesses"])
    if guesses >= MIN_GUESSES:
        return None
    why = [result["feedback"].get("warning") or "", *(result["feedback"].get("suggestions") or [])]
    reasons = " ".join(w.rstrip(".") + "." for w in why if w).strip()
    return (
        f"could be guessed offline {_duration(guesses / GUESSES_PER_SECOND)} at "
        f"{GUESSES_PER_SECOND:,} guesses a second (it must hold out for 3 years)"
        + (f": {reasons[0].lower()}{reasons[1:-1]}" if reasons else "")
    )


def password_problem(password: str, *, names: Iterable[str] = (), context: Iterable[str] | None = None) -> str | None:
    """Why this password may not be used (a phrase that follows "the password …"), or None.

    ``context``: the words for the strength estimate (``context_words``); without it the
    user's names and the station's own words."""
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
    words = list(context) if context is not None else context_words(*names)
    return strength_problem(password, words)
