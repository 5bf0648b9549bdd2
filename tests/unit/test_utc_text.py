"""The UTC time text the lean writers bind themselves is SQLAlchemy's own, to the character."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.dialects.sqlite import pysqlite

from invigilator_app.store.types import UTCDateTime, utc_text

TIMES = [
    datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, 5, 123, tzinfo=ZoneInfo("Europe/London")),
    datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")),
    datetime(2026, 6, 1, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),
]


@pytest.mark.parametrize("moment", TIMES, ids=str)
def test_the_text_bound_for_a_time_is_what_sqlalchemy_binds(moment: datetime) -> None:
    dialect = pysqlite.dialect()
    bind = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert bind is not None
    assert utc_text(moment) == bind(moment)


def test_a_naive_time_is_refused_as_on_the_orm_path() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        utc_text(datetime(2026, 12, 1, 9, 30))
    with pytest.raises(TypeError, match="expected datetime"):
        utc_text("2026-12-01 09:30")
    assert utc_text(None) is None
