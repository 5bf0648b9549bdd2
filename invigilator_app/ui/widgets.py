"""Small pieces shared by the planning and administration areas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from invigilator_app.domain.errors import InvigilatorError

T = TypeVar("T")
RESIZE_SAMPLE = 100

# Where the keyboard is, always visible: a frame on the focused table, field or button.
FOCUS_STYLE = """
QTableView:focus, QListWidget:focus, QScrollArea:focus { border: 2px solid #0d47a1; }
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QSpinBox:focus, QDateEdit:focus, QTimeEdit:focus {
    border: 2px solid #0d47a1; border-radius: 2px; padding: 1px; }
QComboBox:focus { border: 2px solid #0d47a1; border-radius: 2px; padding: 1px 18px 1px 3px; }
QPushButton:focus, QToolButton:focus, QCheckBox:focus, QRadioButton:focus { outline: 2px solid #0d47a1; }
QPushButton:focus { border: 2px solid #0d47a1; border-radius: 3px; padding: 3px 10px; }
QCheckBox:focus, QRadioButton:focus { border: 1px dashed #0d47a1; }
"""


@contextmanager
def busy_cursor() -> Iterator[None]:
    """The wait cursor while a report is made on the GUI thread (the patterns over a year of
    a large store take a third of a second), put back as it was whatever happens."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def make_table(model: QAbstractItemModel, name: str, *, multi: bool = False) -> QTableView:
    """A read-only table of whole rows, named for screen readers and tests."""
    view = QTableView()
    view.setModel(model)
    view.setObjectName(name)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection if multi else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move inside it
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # a column can be dragged wider
    header.setResizeContentsPrecision(RESIZE_SAMPLE)
    ColumnFit(view)
    return view


class ColumnFit(QObject):
    """A table's columns fitted to its contents once per new set of rows (the model's
    reset): at once if the table is on screen, else when it is next shown. Fitted at every
    layout instead (``ResizeToContents``), each cell was measured again at each pass, a
    fifth of opening the Review area on a large store, hidden tabs included. The widths
    come from the first rows and up to RESIZE_SAMPLE more, not every row."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.pending = True
        view.model().modelReset.connect(self.fit)
        view.installEventFilter(self)

    def fit(self) -> None:
        self.pending = not self.view.isVisible()
        if not self.pending:
            self._fit()

    def _fit(self) -> None:
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)  # fitted like the others, then stretched to the edge if there is room
        self.view.resizeColumnsToContents()
        header.setStretchLastSection(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Show and self.pending:
            self.pending = False
            self._fit()
        return False


def button(text: str, slot: Callable[[], object], tip: str = "", name: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name or text.replace("&", "").replace("…", "").strip().lower().replace(" ", "_"))
    b.setAccessibleName(text.replace("&", "").replace("…", ""))
    if tip:
        b.setToolTip(tip)
    b.clicked.connect(lambda _checked=False: slot())
    return b


def selected_row(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows()  # every table here has its model from make_table
    if rows:
        return rows[0].row()
    current = view.currentIndex()
    return current.row() if current.isValid() else None


class StatusLine(QLabel):
    """What the last action did, or why it was refused (in words, never colour alone)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("status")
        self.setAccessibleName("Status")

    def done(self, text: str) -> None:
        self.setStyleSheet("")
        self.setText(text)

    def refused(self, text: str) -> None:
        self.setStyleSheet("color: #a0202a;")
        self.setText(f"Not saved: {text}")


def attempt(status: StatusLine, error: Callable[[str, str], None], title: str, call: Callable[[], T]) -> T | None:
    """Run a service call; a refusal is shown (dialog and status line), never raised."""
    try:
        return call()
    except InvigilatorError as exc:
        text = "\n".join(exc.lines())
        status.refused(text.replace("\n", "; "))
        error(title, text)
        return None


SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def form_keys(dialog: QDialog, save: Callable[[], object]) -> None:
    """Every form: Ctrl+Enter saves (from any field, a multi-line note included); Esc cancels
    (QDialog's own). The save button's tooltip says so."""
    for key in SAVE_KEYS:
        shortcut = QShortcut(QKeySequence(key), dialog)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(save)
    for box in dialog.findChildren(QDialogButtonBox):
        for b in box.buttons():
            role = box.buttonRole(b)
            if role == QDialogButtonBox.ButtonRole.AcceptRole:
                b.setToolTip("Save (Ctrl+Enter)")
            elif role == QDialogButtonBox.ButtonRole.RejectRole:
                b.setToolTip("Cancel (Esc)")
