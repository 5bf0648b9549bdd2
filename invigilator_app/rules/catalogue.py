"""Every rule in SPEC.md, in SPEC order, with what the app does about it.

``python -m invigilator_app.rules.catalogue > docs/rules.md`` regenerates the docs table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from invigilator_app.domain.enums import Severity
from invigilator_app.domain.violations import Violation

RuleSeverity = Literal["block", "warn", "authorise", "checklist", "record"]

_DOC = "IMI invigilation of online assessments (001)"
SRC_SCHEDULING = f"{_DOC}: Scheduling"
SRC_INVIGILATING = f"{_DOC}: Invigilating"
SRC_CENTRE = f"{_DOC}: Centre requirements"
SRC_RETAKE_LIST = f"{_DOC}: Centre requirements, 2-hour retake list"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    severity: RuleSeverity
    summary: str
    """What the rule asks and what the app does about it, in a sentence or two."""
    source: str


RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "ROOM-1",
        "Spacing and oversight",
        "block",
        "Workstations 1.5 m apart centre to centre, or a screen or privacy filter; nobody "
        "sees another screen and the invigilator sees everyone. The app refuses a layout "
        "with two workstations under 1.5 m apart where neither has a screen or filter "
        "(exactly 1.5 m is fine), and workstation labels must be unique.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "ROOM-2",
        "Seating, light, quiet",
        "checklist",
        "Suitable seating, adequate light, no noise or distraction: ticked on the room "
        "checklist before the session starts.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "ROOM-3",
        "Nothing on the walls",
        "checklist",
        "No charts, posters or other material that could help: ticked on the room checklist.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "ROOM-4",
        "Auto save off",
        "checklist",
        '"Auto save" disabled on every machine used for the assessments: ticked on the room checklist.',
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "ROOM-5",
        "Only the assessment pages",
        "checklist",
        "No other websites or programs unless the qualification allows them (e.g. MOT): "
        "a checklist item per qualification.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "ROOM-6",
        "No materials or devices",
        "checklist",
        "No books, papers, phones, smart watches or storage devices; calculators and "
        "dictionaries only where the assessment allows them: a checklist item per "
        "assessment.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "ROOM-7",
        "Help without leaving",
        "checklist",
        "The invigilator can summon help without leaving the room: ticked on the room checklist.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "ROOM-8",
        "Blank paper",
        "record",
        "Blank paper may be issued; its issue and collection are recorded per candidate "
        "and it is destroyed before the candidate leaves.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "ROOM-9",
        "One candidate per workstation",
        "block",
        "A workstation holds one candidate at a time: a plan or change that allocates a "
        "workstation in two sessions whose times overlap (planned start to planned "
        "finish, extra time included) is refused, naming both sessions.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "INV-1",
        "Approved invigilator logs on",
        "record",
        "Only an approved invigilator logs candidates on, with their own PIN. The record "
        "shows the invigilator's name and PIN; the password is never asked for, stored "
        "or shown.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "INV-2",
        "Assessor as invigilator",
        "authorise",
        "An assessor may invigilate only in exceptional circumstances: refused until the "
        "coordinator records an authorisation with a reason.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "INV-3",
        "Impartial for Apprenticeship Standards",
        "block",
        "A session with any assessment linked to an Apprenticeship Standard needs an "
        "invigilator recorded as impartial (no related industry qualification or "
        "background).",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "INV-4",
        "Nominated invigilator, always present",
        "block",
        "The invigilator must be nominated by the coordinator; any time the room is left "
        "without an invigilator is recorded (incident type room_unattended).",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "INV-5",
        "One room at a time",
        "block",
        "An invigilator is in one room at a time: a plan or change that makes someone the "
        "invigilator of two sessions whose times overlap is refused, naming both sessions. "
        "A relief invigilator's change-over is recorded in the log, not planned as a "
        "second session.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "CAND-1",
        "Identity checked at the allocated PC",
        "block",
        "A candidate cannot be started until their identity is checked and they are "
        "confirmed as logged on at the allocated workstation.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "CAND-2",
        "One named assessment",
        "block",
        'Every allocation names exactly one assessment, never "whatever is not '
        'completed": an allocation without an assessment id is refused.',
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "CAND-3",
        "At most two a day",
        "block",
        "No more than two non-cancelled online assessments per candidate on one calendar "
        "day in the centre's time zone, counted across all sessions, rooms and stations.",
        SRC_INVIGILATING,
    ),
    RuleInfo(
        "CAND-4",
        "Prior notice",
        "warn",
        "Warns when no notice date is recorded for an allocation, or the notice was "
        "given on the assessment day or after it.",
        SRC_SCHEDULING,
    ),
    RuleInfo(
        "CAND-5",
        "Ready for assessment",
        "warn",
        "Warns unless the candidate's readiness (learning for the unit complete) is confirmed.",
        SRC_SCHEDULING,
    ),
    RuleInfo(
        "CAND-6",
        "Spread through the programme",
        "warn",
        "Heuristic for end loading: warns when a candidate would have 4 or more "
        "non-cancelled assessments within any 7 consecutive days (centre time zone).",
        SRC_SCHEDULING,
    ),
    RuleInfo(
        "CAND-7",
        "Retake interval",
        "block",
        "A failed assessment may not be retaken within 48 hours (2 hours for IMI "
        "Accreditation assessments and the qualifications on the shipped 2-hour list, "
        "which the coordinator can extend). Real elapsed time from the failed attempt's "
        "finish (else its start plus planned duration, else its start) to the retake's "
        "start; a later pass ends the need.",
        SRC_CENTRE,
    ),
    RuleInfo(
        "CAND-8",
        "Support before re-entry",
        "block",
        "An attempt that follows a failed attempt at the same assessment needs a "
        "recorded note of how the candidate was supported.",
        SRC_CENTRE,
    ),
    RuleInfo(
        "CAND-9",
        "Resit charges",
        "warn",
        "The first resit is free; the third and later attempts at the same assessment "
        "are flagged as chargeable (Key Stage 4/5 qualifications follow their own "
        "specification). Only attempts actually sat count: absences, withdrawals before "
        "the start and cancellations are shown in the warning, never counted.",
        SRC_CENTRE,
    ),
    RuleInfo(
        "CAND-10",
        "Registered candidate, alone",
        "record",
        "Only the registered candidate takes the assessment, alone and unassisted; staff "
        "never log on as a candidate. Breaches are recorded as incidents.",
        SRC_CENTRE,
    ),
    RuleInfo(
        "CAND-11",
        "One session at a time",
        "block",
        "A candidate is never in two sessions whose times overlap (planned start to "
        "planned finish with extra time), in any room or station: refused, naming both "
        "sessions. An assessment whose planned length is not recorded counts as 90 "
        "minutes; sessions that only touch do not overlap.",
        SRC_SCHEDULING,
    ),
)

_BY_ID: dict[str, RuleInfo] = {info.id: info for info in RULES}
_ORDER: dict[str, int] = {info.id: index for index, info in enumerate(RULES)}


def rule(rule_id: str) -> RuleInfo:
    """The catalogue entry for a rule id (KeyError for an unknown id)."""
    return _BY_ID[rule_id]


def rule_order(rule_id: str) -> int:
    """Position of a rule in SPEC order (unknown ids sort last)."""
    return _ORDER.get(rule_id, len(RULES))


def violation(rule_id: str, message: str, severity: Severity | None = None) -> Violation:
    """A violation of a catalogued rule, with the rule's own severity and source."""
    info = rule(rule_id)
    if severity is None:
        severity = Severity(info.severity)
    return Violation(rule_id, severity, message, info.source)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """The rule table for docs/rules.md."""
    lines = [
        "# Rules",
        "",
        "This file is generated by `python -m invigilator_app.rules.catalogue > docs/rules.md`;"
        " do not edit it by hand. Rule ids are those of SPEC.md and appear in every message"
        " the app shows.",
        "",
        "Severity: **block** = refused, with the rule and the reason; **warn** = allowed, the"
        " warning is shown and its acknowledgement recorded; **authorise** = refused until the"
        " coordinator records an authorisation with a reason; **checklist** = ticked by the"
        " invigilator before the session starts; **record** = kept on the invigilation record.",
        "",
        "| id | rule | severity | what the app does | source |",
        "|---|---|---|---|---|",
    ]
    for info in RULES:
        cells = (info.id, info.title, info.severity, info.summary, info.source)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
