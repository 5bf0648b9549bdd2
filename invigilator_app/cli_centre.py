"""Command-line commands of a centre with several rooms (docs/cli.md, docs/bundles.md):
``station enrol NAME --out FILE`` and ``station list`` on the hub, ``init --enrolment FILE``
on a room PC, ``bundle export --to STATION|hub --out FILE`` and ``bundle import FILE``
(a file, or a drop folder) on either. Registered by ``cli``, which unlocks and maps errors
to exit codes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_parsers(command: Callable[..., Any], parser_class: type[argparse.ArgumentParser], station: Any) -> None:
    """``station``: the ``station`` sub-command's sub-parsers (enrol and list are added there)."""
    p = command(
        "enrol", "enrol a room PC as a station of this hub; prints its enrolment code and recovery key", station
    )
    p.add_argument("name", help="the station's name (for example its room)")
    p.add_argument("--out", type=Path, required=True, help="the enrolment file to write (a new file)")
    command(
        "list",
        "one line per enrolled station: number, name, last bundle in, last bundle out, records in up to, sessions out",
        station,
    )
    bundle = command("bundle", "bundles between the hub and its stations").add_subparsers(
        dest="action", required=True, parser_class=parser_class
    )
    p = command("export", "write the next bundle for a station (on the hub) or for the hub (on a station)", bundle)
    p.add_argument("--to", required=True, help="the station's name, or 'hub' on a station")
    p.add_argument("--out", type=Path, required=True, help="the bundle file, or a drop folder")
    p.add_argument(
        "--session",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="on the hub: a planned session to hand to the station (repeatable)",
    )
    p = command("import", "import a bundle file, or every bundle for this PC in a drop folder", bundle)
    p.add_argument("file", type=Path, help="the bundle file or drop folder")


def init_station(args: argparse.Namespace, console: Any, data_dir: Path, code: str) -> int:
    """``init --enrolment FILE``: this PC becomes a station of the centre."""
    from invigilator_app.services.stations.enrol import init_from_enrolment

    done = init_from_enrolment(data_dir, args.enrolment, code)
    console.err(f"This PC is now station {done.name} (number {done.number}) of the centre; store in {data_dir}.")
    console.err("The centre's people log in here with their usual passwords.")
    return 0


def cmd_station_enrol(station: Any, args: argparse.Namespace, console: Any) -> int:
    from invigilator_app.services.stations.enrol import enrol_station

    done = enrol_station(station, args.name, args.out)
    console.err(f"Enrolled station {done.name} (number {done.number}); enrolment file {done.path}.")
    console.err("Type this enrolment code on the room PC (`invigilator-app init --enrolment FILE`):")
    console.out(done.code)
    console.err("The station's recovery key (shown once; write it down and keep it locked away):")
    console.out(done.recovery_key)
    for note in done.notes:
        console.err(f"note: {note}")
    return 0


def cmd_station_list(station: Any, args: argparse.Namespace, console: Any) -> int:
    from invigilator_app.services.stations.centre import stations_overview

    for s in stations_overview(station):
        out = ",".join(str(i) for i in s.sessions_out) or "-"
        console.out("\t".join([str(s.number), s.name, s.last_in, s.last_out, s.records_as_of, out]))
    return 0


def cmd_bundle_export(station: Any, args: argparse.Namespace, console: Any) -> int:
    from invigilator_app.services.stations.exchange import export_bundle

    done = export_bundle(station, args.to, args.out, args.session, progress=console.progress("Bundle"))
    console.out(str(done.path))
    console.err(f"Bundle {done.seq} for {done.to}: {done.summary}.")
    for note in done.notes:
        console.err(f"note: {note}")
    return 0


def cmd_bundle_import(station: Any, args: argparse.Namespace, console: Any) -> int:
    from invigilator_app.domain.errors import VerificationFailed
    from invigilator_app.services.stations.exchange import import_bundle, import_folder

    if args.file.is_dir():
        others: list[Path] = []
        results = import_folder(station, args.file, progress=console.progress("Bundles"), skipped=others)
        refused = 0
        for r in results:
            if isinstance(r, str):
                console.err(f"not imported: {r}")
                refused += 1
            else:
                _report(console, r)
        console.err(f"{len(results) - refused} bundle(s) imported from {args.file}, {refused} not.")
        if others:
            console.err(f"{len(others)} bundle(s) for other PCs left in the folder for them.")
        if refused:
            raise VerificationFailed(f"{refused} bundle(s) in {args.file} were not imported (see above).")
        return 0
    _report(console, import_bundle(station, args.file, progress=console.progress("Bundle")))
    return 0


def _report(console: Any, result: Any) -> None:
    console.out(f"imported\t{result.path}\t{result.seq}\t{result.sender}")
    console.err(f"Bundle {result.seq} from {result.sender}: {result.summary}.")
    for flag in result.flagged:
        console.err(f"flagged {flag}")
    for note in result.notes:
        console.err(f"note: {note}")


COMMANDS = {
    ("station", "enrol"): cmd_station_enrol,
    ("station", "list"): cmd_station_list,
    ("bundle", "export"): cmd_bundle_export,
    ("bundle", "import"): cmd_bundle_import,
}
