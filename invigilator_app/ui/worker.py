"""Long work off the GUI thread, with a progress bar and a Cancel button.

The work is a plain function ``work(progress, cancelled)`` from the services: it calls
``progress(done, total)`` as it goes and checks ``cancelled()``; a cancelled service writes
nothing (it raises ``Cancelled`` before its final atomic rename). The result or the
error comes back to the GUI thread by signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from invigilator_app.domain.errors import InvigilatorError

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class _Runner(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.work = work
        self.stop = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            result = self.work(self.progressed.emit, self.stop.is_set)
        except InvigilatorError as exc:
            self.failed.emit("\n".join(exc.lines()))
        except Exception as exc:  # never a traceback for the user
            self.failed.emit(f"Unexpected error ({exc.__class__.__name__}); nothing half-written was kept.")
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """Runs one piece of long work in its own thread and reports by signal."""

    succeeded = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, parent: QWidget, title: str, work: Work) -> None:
        super().__init__(parent)
        self.thread = QThread(self)
        self.runner = _Runner(work)
        self.runner.moveToThread(self.thread)
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.thread.started.connect(self.runner.run)
        self.runner.progressed.connect(self._progress)
        self.runner.succeeded.connect(self._succeeded)
        self.runner.failed.connect(self._failed)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.runner.stop.set()
        self.dialog.setLabelText("Cancelling…")

    def _progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)

    def _finish(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.dialog.close()
        self.done.emit()

    def _succeeded(self, result: object) -> None:
        self._finish()
        self.succeeded.emit(result)

    def _failed(self, message: str) -> None:
        self._finish()
        self.failed.emit(message)

    @property
    def running(self) -> bool:
        return self.thread.isRunning()
