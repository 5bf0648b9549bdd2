"""The console's writes: each one is saved, or the console says why it was not.

A store that is busy (another program holds its write lock: a long import, a backup
tool) is not a failure. The write is kept with everything that was typed, the console
shows that it is waiting for the store, and it is tried again until saved; writes made
meanwhile wait behind it, so the log keeps the order in which things were recorded.
Each try waits only briefly for the lock, so the window never freezes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from invigilator_app.domain.errors import InvigilatorError, StoreBusy

TRY_MS = 250
"""How long one try waits for another program's write lock."""
RETRY_MS = 750
"""Pause between tries while the store is busy."""


@dataclass
class Write:
    session_id: int
    done: str
    """What was saved, for the status bar ("fire alarm", "Ann Smith: started")."""
    call: Callable[[int], object]
    undo: Callable[[], None] | None = None
    """Offered in the console's message strip once saved (finish, absent)."""


class StoreWrites(QObject):
    """Runs the console's writes on the GUI thread; keeps and retries them while the store is busy."""

    saved = Signal(object)  # the Write
    refused = Signal(object, str)  # the Write, the message
    waiting_changed = Signal(list)  # the descriptions of the writes kept, [] when none

    def __init__(self, parent: QObject, station: object) -> None:
        super().__init__(parent)
        self.waiting: list[Write] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._retry)
        station.busy_ms = TRY_MS  # type: ignore[attr-defined]

    def submit(self, write: Write) -> bool:
        """True when saved now. False when refused (``refused`` says why) or kept to be saved
        once the store is free (``saved`` follows)."""
        if self.waiting:
            self.waiting.append(write)
            self.waiting_changed.emit(self.describe())
            return False
        return self._attempt(write)

    def describe(self) -> list[str]:
        return [w.done for w in self.waiting]

    def _attempt(self, write: Write) -> bool:
        try:
            write.call(write.session_id)
        except StoreBusy:
            self.waiting.insert(0, write)
            self.waiting_changed.emit(self.describe())
            self._timer.start(RETRY_MS)
            return False
        except InvigilatorError as exc:
            self.refused.emit(write, "\n".join(exc.lines()))
            return False
        except Exception as exc:  # never a silent loss: say it was not saved
            self.refused.emit(write, f"Not saved: unexpected error ({exc.__class__.__name__}).")
            return False
        self.saved.emit(write)
        return True

    def _retry(self) -> None:
        while self.waiting:
            write = self.waiting.pop(0)
            if not self._attempt(write) and self.waiting and self.waiting[0] is write:
                return  # still busy; the timer tries again
        self.waiting_changed.emit([])
