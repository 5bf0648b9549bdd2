"""Typed errors raised by the services, each with the exit code the command line uses.

Exit codes are part of the command-line contract (docs/cli.md):
0 done; 1 the store stayed busy (or an unexpected error); 2 bad input; 3 refused by a
rule; 4 verification failed / store damaged; 5 wrong password or not permitted; 6 no space.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from invigilator_app.domain.violations import Violation


class InvigilatorError(Exception):
    """Base of every error a user may see. The message is for people, not logs."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def lines(self) -> list[str]:
        return [self.message]


class BadInput(InvigilatorError):
    """Usage error, unreadable or malformed input. Nothing was written."""

    exit_code = 2


class StoreTooNew(BadInput):
    """The store was written by a newer version of the application."""


class RuleRefused(InvigilatorError):
    """A rule blocked the write. Carries every blocking violation, not just the first."""

    exit_code = 3

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        super().__init__("\n".join(v.line() for v in self.violations))

    def lines(self) -> list[str]:
        return [v.line() for v in self.violations]


class VerificationFailed(InvigilatorError):
    exit_code = 4


class StoreDamaged(VerificationFailed):
    """The store cannot be read. It is never modified or re-created."""


class WrongPassword(InvigilatorError):
    exit_code = 5


class NotPermitted(InvigilatorError):
    exit_code = 5


class NotFound(BadInput):
    """A named thing (session, candidate, user) does not exist."""


class StoreMissing(BadInput):
    """No store in the data directory yet."""


class StoreExists(BadInput):
    """init was asked to create a store where one already is."""


class StoreBusy(InvigilatorError):
    """Another program held the store's write lock for longer than this write would wait.
    Nothing of this write was saved; trying again later saves it."""

    exit_code = 1


class NoSpace(InvigilatorError):
    """The disk is full, or a quota or file-size limit was reached, while writing. The
    message says what was and was not saved."""

    exit_code = 6


class Cancelled(InvigilatorError):
    """Long work stopped by the user; nothing half-written was kept."""

    exit_code = 130
