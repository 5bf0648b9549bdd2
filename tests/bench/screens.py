"""Every screen on the large store, each beside the bare SQL it runs.

Each operation is timed as a user sees it: the widget built (or refreshed), shown, and
its events processed (painted) on an offscreen QApplication. The SQL statements the
operation sent are captured (SQLAlchemy ``before_cursor_execute``) and replayed on a raw
sqlcipher connection as its baseline: the same statements with the same parameters,
fetched, without the ORM, the services or Qt. The row's count is the number of
statements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

READS = ("SELECT", "WITH", "PRAGMA QUICK_CHECK", "PRAGMA INTEGRITY_CHECK", "PRAGMA CIPHER_INTEGRITY_CHECK")
"""What a screen sends that is replayed as its baseline: reads and the integrity checks."""


@contextmanager
def captured(engine: Any) -> Iterator[list[tuple[str, Any]]]:
    """The statements sent through ``engine`` meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool) -> None:
        seen.append((statement, parameters if not executemany else None))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def replayer(conn: Any, statements: list[tuple[str, Any]]) -> Callable[[], None]:
    """The reads among ``statements``, run again on a raw connection."""
    reads = [(s, p) for s, p in statements if s.lstrip().upper().startswith(READS)]

    def replay() -> None:
        for statement, parameters in reads:
            conn.execute(statement, parameters or ()).fetchall()

    return replay


def bench_screens(info: dict[str, Any], repeat: int, *, Row: Any, timed: Any) -> list[Any]:  # noqa: N803
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from invigilator_app.security.keyslots import SlotFile, user_owner
    from invigilator_app.services.access import open_station
    from invigilator_app.store.database import StorePaths
    from invigilator_app.store.engine import connect
    from invigilator_app.ui.app import application
    from invigilator_app.ui.areas import available_areas
    from invigilator_app.ui.main_window import MainWindow

    app = application()
    data_dir = Path(info["data_dir"])
    paths = StorePaths(data_dir)
    key = bytes(SlotFile.load(paths.slots).open(user_owner(info["coordinator"]), info["password"].encode("utf-8")))
    raw = connect(paths.db, key)
    station = open_station(data_dir, info["password"], user=info["coordinator"])
    window = MainWindow(station)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    runs = max(3, repeat // 3)
    rows: list[Any] = []

    def measure(
        key_: str, label: str, op: Callable[[], Any], note: str | Callable[[], str] = "", warmup: int = 1
    ) -> None:
        for _ in range(warmup):
            op()
        with captured(station.db.engine) as statements:
            op()
        samples = timed(op, runs, 0)
        base = timed(replayer(raw, statements), runs, 1)
        reads = sum(1 for s, _ in statements if s.lstrip().upper().startswith(READS))
        rows.append(
            Row(
                key_,
                label,
                samples,
                "the same SQL replayed on a raw sqlcipher connection",
                base,
                note() if callable(note) else note,
                count=f"{reads} statements",
            )
        )

    def painted() -> None:
        app.processEvents()

    try:
        # Opening each area: built, shown and painted (what its first showing costs).
        for area in available_areas(station):
            built: list[Any] = []

            def open_area(area: Any = area, built: list[Any] = built) -> None:
                widget = area.build(station, window.dialogs)
                widget.resize(1400, 860)
                widget.show()
                painted()
                built.append(widget)

            measure(f"screen_{area.key}", f"open the {area.title} area (build, show, paint)", open_area)
            for widget in built:
                if hasattr(widget, "shutdown"):
                    widget.shutdown()
                widget.close()
                widget.deleteLater()
            painted()

        # Switching sessions in the console: the two most recent sessions in turn.
        count = window.sessions.rowCount()
        if count >= 2:
            turn = [0]

            def switch() -> None:
                turn[0] ^= 1
                window.session_view.selectRow(turn[0])
                painted()

            measure(
                "screen_switch",
                "switch sessions in the console (seating, candidates, log)",
                switch,
                f"{count} sessions listed",
                warmup=2,
            )

        from invigilator_app.ui.planning.day import DayArea
        from invigilator_app.ui.review.patterns import PatternsArea
        from invigilator_app.ui.review.queue import ReviewArea

        review = ReviewArea(station)
        review.resize(1400, 860)
        review.show()
        painted()
        measure(
            "screen_review_refresh",
            "review queue: refresh (sessions waiting, details of the first)",
            lambda: (review.refresh(), painted()),
        )
        review.close()

        patterns = PatternsArea(station)
        patterns.resize(1400, 860)
        patterns.show()
        today = patterns.to_day.date()
        patterns.from_day.setDate(today.addDays(-365))
        painted()
        measure(
            "screen_patterns_year",
            "patterns over a year: report, three charts, findings",
            lambda: (patterns.refresh(), painted()),
            lambda: f"{patterns.report.attempts if patterns.report else 0} attempts in the year",
        )
        patterns.close()

        day = DayArea(station)
        day.resize(1400, 860)
        day.show()
        busy = today.addDays(-1)
        while busy.dayOfWeek() > 5:
            busy = busy.addDays(-1)
        day.day.setDate(QDate(busy))
        painted()
        measure(
            "screen_day",
            "day view of a full weekday: timeline, sessions, candidates",
            lambda: (day.refresh(), painted()),
            f"{day.sessions.rowCount()} sessions that day",
        )
        day.close()
    finally:
        window.close()
        painted()
        station.close()
        raw.close()
        QApplication.processEvents()
    return rows
