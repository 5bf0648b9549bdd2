"""Every importer, fuzzed (seeded, a few hundred cases each): accepted within the limits or
refused as bad input, never another error. The longer run is tests/bench/fuzz_importers.py."""

from __future__ import annotations

from hypothesis import HealthCheck, given, seed, settings

from tests.reliability import fuzzing

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@seed(17)
@FUZZ
@given(fuzzing.csv_texts())
def test_candidates_csv(text: str) -> None:
    fuzzing.check_candidates_csv(text)


@seed(17)
@FUZZ
@given(fuzzing.csv_texts())
def test_spreadsheet_export(text: str) -> None:
    fuzzing.check_spreadsheet(text)


@seed(17)
@FUZZ
@given(fuzzing.plan_texts())
def test_plan_json(text: str) -> None:
    fuzzing.check_plan(text)


@seed(17)
@FUZZ
@given(fuzzing.log_texts())
def test_paper_log_json(text: str) -> None:
    fuzzing.check_paper_log(text)


@seed(17)
@FUZZ
@given(fuzzing.layouts())
def test_room_layouts(case) -> None:
    fuzzing.check_layout(*case)
