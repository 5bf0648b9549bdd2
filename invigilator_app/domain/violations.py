"""What a rule check returns."""

from __future__ import annotations

from dataclasses import dataclass

from invigilator_app.domain.enums import Severity


@dataclass(frozen=True, order=True)
class Violation:
    rule_id: str
    severity: Severity
    message: str
    source: str = ""
    """Where the rule comes from, e.g. "001 Invigilating online assessments"."""

    def line(self) -> str:
        return f"{self.rule_id}: {self.message}"

    @property
    def blocks(self) -> bool:
        return self.severity is Severity.BLOCK
