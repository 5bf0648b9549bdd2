"""Coordinator review: queue, comment, return with a query and its answer, sign-off,
follow-up list with ages, marking an entry notified; inspectors only read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from invigilator_app.domain.errors import BadInput, NotPermitted
from invigilator_app.services.console.sessions import list_sessions, session_detail
from invigilator_app.services.review import queue as review
from tests.review_helpers import close, coordinator, demo_store, inspector


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str, int]:
    data_dir, password = demo_store(tmp_path)
    station = coordinator(data_dir, password)
    try:
        past = list_sessions(station)[0].id
        close(station, past)
    finally:
        station.close()
    return data_dir, password, past


def test_a_closed_session_waits_in_the_queue_and_sign_off_takes_it_out(store: tuple[Path, str, int]) -> None:
    data_dir, password, past = store
    station = coordinator(data_dir, password)
    try:
        queue = review.review_queue(station)
        assert [q.session_id for q in queue] == [past]
        assert queue[0].status == "to review" and queue[0].outstanding == 1  # the IT issue not yet reported
        review.comment(station, past, "Seating plan matches the room.")
        review.sign_off_review(station, past, "Checked against the paper log.")
        assert review.review_queue(station) == []
        detail = session_detail(station, past)
        assert detail.summary.state == "signed_off"
        history = review.review_history(station, past)
        assert [h.action for h in history] == ["comment", "signed_off"]
        assert history[-1].by == "Helen Ward"
        with pytest.raises(BadInput, match="signed off"):
            review.comment(station, past, "too late")
    finally:
        station.close()


def test_a_returned_record_cannot_be_signed_off_until_answered(store: tuple[Path, str, int]) -> None:
    data_dir, password, past = store
    station = coordinator(data_dir, password)
    try:
        review.return_with_query(station, past, "PC-04: how long was the connection lost?")
        assert review.review_queue(station)[0].status == "returned"
        assert [q.session_id for q in review.returned_to_me(station)] == [past]
        with pytest.raises(BadInput, match="not answered"):
            review.sign_off_review(station, past)
        review.answer_query(station, past, "Three minutes; the candidate resumed.")
        assert review.review_queue(station)[0].status == "answered"
        with pytest.raises(BadInput, match="no query"):
            review.answer_query(station, past, "again")
        review.sign_off_review(station, past)
    finally:
        station.close()


def test_empty_texts_and_unclosed_sessions_are_refused(store: tuple[Path, str, int]) -> None:
    data_dir, password, past = store
    station = coordinator(data_dir, password)
    try:
        running = next(s for s in list_sessions(station) if s.state == "running").id
        with pytest.raises(BadInput, match="needs some text"):
            review.return_with_query(station, past, "   ")
        with pytest.raises(BadInput, match="running"):
            review.sign_off_review(station, running)
    finally:
        station.close()


def test_follow_ups_list_what_is_outstanding_with_its_age_and_notified_clears_it(store: tuple[Path, str, int]) -> None:
    data_dir, password, _past = store
    station = coordinator(data_dir, password)
    try:
        items = review.follow_ups(station)
        kinds = {(i.kind, i.what.split(" in session")[0]) for i in items}
        assert ("notify", "IT issue") in kinds and ("notify", "Question or diagram issue") in kinds
        it_issue = next(i for i in items if i.what.startswith("IT issue"))
        assert it_issue.age >= timedelta(days=7) and it_issue.age_text == "7 days"
        assert items == sorted(items, key=lambda i: i.since), "oldest first"
        review.mark_notified(station, it_issue.entry_id, "IMI-CH-20931")
        assert all(i.entry_id != it_issue.entry_id for i in review.follow_ups(station))
        with pytest.raises(BadInput, match="already marked notified"):
            review.mark_notified(station, it_issue.entry_id, "again")
        with pytest.raises(BadInput, match="no log entry"):
            review.mark_notified(station, 99999, "ref")
    finally:
        station.close()


def test_inspectors_read_but_every_write_is_refused(store: tuple[Path, str, int]) -> None:
    data_dir, _password, past = store
    station = inspector(data_dir)
    try:
        assert [q.session_id for q in review.review_queue(station)] == [past]
        assert review.follow_ups(station)
        for write in (
            lambda: review.comment(station, past, "x"),
            lambda: review.return_with_query(station, past, "x"),
            lambda: review.sign_off_review(station, past),
            lambda: review.answer_query(station, past, "x"),
            lambda: review.mark_notified(station, 1, "x"),
        ):
            with pytest.raises(NotPermitted):
                write()
    finally:
        station.close()
