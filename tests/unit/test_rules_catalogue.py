"""The rule catalogue covers SPEC.md and docs/rules.md is generated from it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from invigilator_app.domain.enums import Severity
from invigilator_app.rules.catalogue import RULES, rule, rule_order, rules_markdown, violation

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "SPEC.md"


def spec_rule_ids() -> list[str]:
    text = SPEC.read_text(encoding="utf-8")
    return re.findall(r"^\|\s*((?:ROOM|INV|CAND)-\d+)\s*\|", text, flags=re.MULTILINE)


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()


def test_markdown_says_how_it_is_generated() -> None:
    text = rules_markdown()
    assert text.startswith("# ")
    assert "python -m invigilator_app.rules.catalogue > docs/rules.md" in text
    for info in RULES:
        assert f"| {info.id} |" in text


def test_module_prints_the_markdown() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "invigilator_app.rules.catalogue"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert out == rules_markdown()


def test_every_spec_rule_is_catalogued_in_spec_order() -> None:
    if not SPEC.exists():
        pytest.skip("SPEC.md not beside the repository")
    ids = spec_rule_ids()
    assert len(ids) == 25
    assert [info.id for info in RULES] == ids


def test_ids_unique_and_fields_filled() -> None:
    ids = [info.id for info in RULES]
    assert len(ids) == len(set(ids))
    for info in RULES:
        assert info.title and info.summary and info.source
        assert info.severity in {"block", "warn", "authorise", "checklist", "record"}


@pytest.mark.parametrize(
    ("rule_id", "severity"),
    [
        ("ROOM-1", "block"),
        ("INV-2", "authorise"),
        ("INV-3", "block"),
        ("INV-4", "block"),
        ("CAND-1", "block"),
        ("CAND-2", "block"),
        ("CAND-3", "block"),
        ("CAND-4", "warn"),
        ("CAND-5", "warn"),
        ("CAND-6", "warn"),
        ("CAND-7", "block"),
        ("CAND-8", "block"),
        ("CAND-9", "warn"),
        ("ROOM-2", "checklist"),
        ("INV-1", "record"),
    ],
)
def test_severities_match_spec(rule_id: str, severity: str) -> None:
    assert rule(rule_id).severity == severity


def test_cand6_summary_states_the_heuristic() -> None:
    assert "4 or more" in rule("CAND-6").summary and "7" in rule("CAND-6").summary


def test_violation_helper_uses_rule_severity_and_source() -> None:
    v = violation("CAND-9", "x")
    assert v.severity is Severity.WARN
    assert v.source == rule("CAND-9").source
    assert rule_order("ROOM-1") < rule_order("CAND-10") < rule_order("NOPE-1")
