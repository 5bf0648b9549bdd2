"""Loading Qt Designer forms from forms/ at run time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

FORMS = Path(__file__).resolve().parent.parent.parent / "forms"


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
