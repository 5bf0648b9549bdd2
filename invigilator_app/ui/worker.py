"""Long work off the GUI thread, with progress and Cancel.

The work is a plain function ``work(progress, cancelled)`` from the services: it calls
``progress(done, total[, what])`` as it goes and checks ``cancelled()``; a cancelled service
writes nothing (it raises ``Cancelled`` before its final atomic rename). The result or the
error comes back to the GUI thread by signal.

Python's cyclic garbage collector runs in whichever thread happens to allocate; if it ran
in the worker it could destroy Qt objects that belong to the GUI thread, which crashes.
So automatic collection is paused while any task runs and a collection is made on the GUI
thread once the last one finishes.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from invigilator_app.domain.errors import InvigilatorError


def _light_pyside_import_hook() -> None:
    """PySide6 hooks every import made after it to read the new module's whole source
    file (``inspect.getsource``) and see whether it says "PySide6", for its optional
    ``__feature__`` switches, which the station does not use. That is one file read per
    module, about 0.1 s of CPU for the 900 modules the main window brings in (loaded in a
    worker thread at start-up). Decide by the module's name instead. Nothing else of
    PySide6 is changed; if a later PySide6 lacks the function, nothing is done."""
    feature: Any = sys.modules.get("shibokensupport.feature")  # PySide6 internals: no declared attributes
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_pyside


def _uses_pyside(module: object) -> bool:
    return str(getattr(module, "__name__", "")).startswith(("PySide6", "invigilator_app.ui"))


_light_pyside_import_hook()

Work = Callable[[Callable[..., None], Callable[[], bool]], Any]


class _Tasks:
    running = 0  # tasks running now, in the whole application


def _pause_gc() -> None:
    if _Tasks.running == 0:
        gc.collect()
        gc.disable()
    _Tasks.running += 1


def _resume_gc() -> None:
    _Tasks.running -= 1
    if _Tasks.running == 0:
        gc.enable()
        gc.collect()


class _Runner(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.work = work
        self.stop = threading.Event()

    def _progress(self, done: int, total: int, what: str = "") -> None:
        self.progressed.emit(done, total, what)

    @Slot()
    def run(self) -> None:
        try:
            result = self.work(self._progress, self.stop.is_set)
        except InvigilatorError as exc:
            self.failed.emit("\n".join(exc.lines()))
        except Exception as exc:  # never a traceback for the user
            self.failed.emit(f"Unexpected error ({exc.__class__.__name__}); nothing half-written was kept.")
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """Runs one piece of long work in its own thread and reports by signal. With
    ``dialog`` it shows its own progress dialog; otherwise the caller shows ``progressed``."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, parent: QWidget, title: str, work: Work, *, dialog: bool = True) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self.runner = _Runner(work)
        self.runner.moveToThread(self._thread)
        self.title = title
        self.dialog: QProgressDialog | None = None
        if dialog:
            self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setMinimumDuration(300)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.canceled.connect(self.cancel)
        self._thread.started.connect(self.runner.run)
        self.runner.progressed.connect(self._progress)
        self.runner.succeeded.connect(self._succeeded)
        self.runner.failed.connect(self._failed)

    def start(self) -> None:
        _pause_gc()
        self._thread.start()

    def cancel(self) -> None:
        self.runner.stop.set()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    def wait(self) -> None:
        """Stop and wait for the thread (the window is closing)."""
        self.cancel()
        self._thread.quit()
        self._thread.wait()

    def _progress(self, done: int, total: int, what: str) -> None:
        if self.dialog is not None and not self.runner.stop.is_set():
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)
            if what:
                self.dialog.setLabelText(f"{self.title}: {what}…")
        self.progressed.emit(done, total, what)

    def _finish(self) -> None:
        self._thread.quit()
        self._thread.wait()
        if self.dialog is not None:
            self.dialog.close()
        _resume_gc()
        self.done.emit()

    def _succeeded(self, result: object) -> None:
        self._finish()
        self.succeeded.emit(result)

    def _failed(self, message: str) -> None:
        self._finish()
        self.failed.emit(message)

    @property
    def running(self) -> bool:
        return self._thread.isRunning()


def start_task(
    parent: QWidget,
    title: str,
    work: Work,
    succeeded: Callable[[Any], None],
    failed: Callable[[str], None],
    *,
    dialog: bool,
    tasks: list[BackgroundTask] | None = None,
) -> BackgroundTask:
    """Run ``work`` in a worker thread and hand its result or message to ``succeeded`` or
    ``failed``; ``tasks`` (the window's) makes a lock wait for it. The task deletes itself
    once done."""
    task = BackgroundTask(parent, title, work, dialog=dialog)
    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    if tasks is not None:
        tasks.append(task)
        task.done.connect(lambda: tasks.remove(task) if task in tasks else None)
    task.done.connect(task.deleteLater)
    task.start()
    return task
