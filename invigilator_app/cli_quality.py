"""Command-line commands of the centre's quality file (docs/cli.md): ``visits list``,
``actions list [--due-within DAYS]`` and ``complaints list``, one tab-separated line per
row on standard output, exit 0. Registered by ``cli``, which handles unlocking and errors."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_parsers(command: Callable[..., Any], parser_class: type[argparse.ArgumentParser]) -> None:
    """``command(name, help, parent)`` is ``cli.build_parser``'s helper."""
    visits = command("visits", "EQA monitoring visits").add_subparsers(
        dest="action", required=True, parser_class=parser_class
    )
    command(
        "list",
        "one line per visit: id, date, EQA, kind, period, inspector account, plan looked at, open actions",
        visits,
    )
    actions = command("actions", "actions raised at EQA visits").add_subparsers(
        dest="action", required=True, parser_class=parser_class
    )
    p = command("list", "one line per open action, overdue first: id, due, days left, state, visit, text", actions)
    p.add_argument(
        "--due-within",
        type=int,
        metavar="DAYS",
        help="only actions not yet done that are due within DAYS days or overdue",
    )
    complaints = command("complaints", "the complaints and appeals register").add_subparsers(
        dest="action", required=True, parser_class=parser_class
    )
    command(
        "list",
        "one line per complaint or appeal: id, received, incident, stage, as received, "
        "6-month limit, open or closed, sessions",
        complaints,
    )


def _clean(text: str) -> str:
    return " ".join(text.split())


def cmd_visits_list(station: Any, args: argparse.Namespace, console: Any) -> int:
    from invigilator_app.services.quality.actions import list_actions
    from invigilator_app.services.quality.visits import list_visits

    open_by_visit: dict[int, int] = {}
    for a in list_actions(station):
        open_by_visit[a.visit_id] = open_by_visit.get(a.visit_id, 0) + 1
    for v in list_visits(station):
        console.out(
            "\t".join(
                [
                    str(v.id),
                    v.planned_on.isoformat(),
                    _clean(v.eqa_name),
                    v.kind.replace(", ", "/"),
                    f"{v.period_from.isoformat()}..{v.period_to.isoformat()}",
                    v.inspector or "-",
                    f"looked-at {v.looked_at}/{len(v.samples)}",
                    f"open-actions {open_by_visit.get(v.id, 0)}",
                ]
            )
        )
    return 0


def cmd_actions_list(station: Any, args: argparse.Namespace, console: Any) -> int:
    from invigilator_app.services.quality.actions import list_actions

    for a in list_actions(station, due_within=args.due_within):
        console.out(
            "\t".join(
                [
                    str(a.id),
                    a.due_on.isoformat(),
                    str(a.days_left),
                    a.state.replace(" ", "-"),
                    str(a.visit_id),
                    _clean(a.text),
                ]
            )
        )
    return 0


def cmd_complaints_list(station: Any, args: argparse.Namespace, console: Any) -> int:
    from invigilator_app.services.quality.complaints import list_complaints

    for c in list_complaints(station):
        standing = c.standing.split(":")[0].replace(" ", "-")
        console.out(
            "\t".join(
                [
                    str(c.id),
                    c.received_on.isoformat(),
                    c.incident_on.isoformat(),
                    c.stage,
                    standing,
                    c.last_day.isoformat(),
                    "open" if c.open else f"closed {c.closed_on.isoformat()}" if c.closed_on else "",
                    ",".join(str(i) for i in c.session_ids) or "-",
                ]
            )
        )
    return 0


COMMANDS: dict[tuple[str, str], Callable[[Any, argparse.Namespace, Any], int]] = {
    ("visits", "list"): cmd_visits_list,
    ("actions", "list"): cmd_actions_list,
    ("complaints", "list"): cmd_complaints_list,
}
