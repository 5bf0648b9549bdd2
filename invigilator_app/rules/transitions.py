"""The one table of allowed state changes for a candidate's allocation and for a session.

The live console refuses an action the table does not allow from the current state; a
transcribed paper log records what the paper says and flags the same deviation on the
record instead. Both ask ``allocation_problem`` / ``session_problem``, so they never
disagree about what is a deviation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from invigilator_app.domain.enums import AllocationState as A
from invigilator_app.domain.enums import SessionState as S
from invigilator_app.domain.timezones import local

_BEFORE_START = frozenset({A.EXPECTED, A.IDENTITY_CHECKED, A.LOGGED_ON})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    """States the action is allowed from."""
    target: str | None
    """The state afterwards; None leaves it as it is."""
    words: str
    """What the action is, for messages: "start"."""


ALLOCATION: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("identity_check", _BEFORE_START, A.IDENTITY_CHECKED, "identity check"),
        Transition("logged_on", _BEFORE_START, A.LOGGED_ON, "log-on confirmation"),
        Transition("start", frozenset({A.LOGGED_ON, A.IDENTITY_CHECKED, A.EXPECTED}), A.STARTED, "start"),
        Transition("finish", frozenset({A.STARTED}), A.FINISHED, "finish"),
        Transition("result", frozenset({A.FINISHED, A.STARTED, A.WITHDRAWN}), None, "result"),
        Transition("absent", _BEFORE_START, A.ABSENT, "absence"),
        Transition("late_arrival", _BEFORE_START | {A.ABSENT}, None, "late arrival"),
        Transition("withdraw", _BEFORE_START | {A.STARTED}, A.WITHDRAWN, "withdrawal"),
        Transition("transfer", _BEFORE_START | {A.ABSENT}, A.TRANSFERRED, "transfer"),
    )
}
"""Allocation actions: from which states each is allowed, and the state it leads to.
A start also needs a confirmed identity check and log-on (CAND-1, ``rules.scheduling.check_start``)."""

SESSION: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("start", frozenset({S.PLANNED, S.RUNNING}), S.RUNNING, "start"),
        Transition("record", frozenset({S.PLANNED, S.RUNNING}), None, "entry"),
        Transition("sign_off", frozenset({S.PLANNED, S.RUNNING}), S.CLOSED, "invigilator's sign-off"),
        Transition("review_sign_off", frozenset({S.CLOSED}), S.SIGNED_OFF, "coordinator's sign-off"),
    )
}
"""Session actions. Entries in a closed or signed-off session are late entries with a reason."""


def _words(state: str) -> str:
    return state.replace("_", " ")


def allocation_problem(action: str, state: str, who: str = "the candidate") -> str | None:
    """Why ``action`` is not allowed for an allocation in ``state``, or None if it is."""
    transition = ALLOCATION[action]
    if state in transition.sources:
        return None
    return f"{transition.words} recorded for {who}, who is {_words(state)}"


def allocation_target(action: str, state: str) -> str:
    """The allocation's state after ``action`` (its state stays when the table says so, and
    never moves back: an identity check after log-on leaves it logged on)."""
    target = ALLOCATION[action].target
    if target is None:
        return state
    order: list[str] = [A.EXPECTED, A.IDENTITY_CHECKED, A.LOGGED_ON]
    if target in order and state in order and order.index(state) > order.index(target):
        return state
    return target


def session_problem(action: str, state: str, session_id: int) -> str | None:
    """Why ``action`` is not allowed for a session in ``state``, or None if it is."""
    transition = SESSION[action]
    if state in transition.sources:
        return None
    return f"{transition.words} for session {session_id}, which is {_words(state)}"


_PRESENT = frozenset({A.IDENTITY_CHECKED, A.LOGGED_ON, A.STARTED, A.FINISHED})


def register_status(state: str, arrived_at: datetime | None, transferred_to: int | None, reason: str, zone: str) -> str:
    """One register mark: "present", "late (arrived 09:47)", "absent", "withdrawn",
    "transferred to session 12: why", or "not yet marked"."""
    if state == A.TRANSFERRED:
        return f"transferred to session {transferred_to}" + (f": {reason}" if reason else "")
    if state in (A.ABSENT, A.WITHDRAWN, A.CANCELLED):
        return str(state)
    if arrived_at is not None:
        return f"late (arrived {local(arrived_at, zone):%H:%M})"
    if state in _PRESENT:
        return "present"
    return "not yet marked"
