"""Loading Qt Designer forms from forms/ at run time."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

FORMS = Path(__file__).resolve().parent.parent.parent / "forms"

W = TypeVar("W", bound=QObject)


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    path = FORMS / name
    handle = QFile(str(path))
    if not handle.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(str(path))
    try:
        widget = QUiLoader().load(handle, parent)
    finally:
        handle.close()
    if widget is None:
        raise RuntimeError(f"cannot load form {path}")
    return widget


def child(form: QWidget, kind: type[W], name: str) -> W:
    """A named widget of a loaded form; a form without it is a broken installation."""
    found = form.findChild(kind, name)
    if found is None:
        raise RuntimeError(f"the form {form.objectName() or type(form).__name__} has no {kind.__name__} {name!r}")
    return found
