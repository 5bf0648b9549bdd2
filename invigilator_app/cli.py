"""The command line: ``invigilator-app``. With no sub-command it starts the GUI.

Names, formats and exit codes are a contract that scripts rely on (docs/cli.md):
0 done; 2 bad input; 3 refused by a rule; 4 verification failed or store damaged;
5 wrong password or not permitted. No traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from invigilator_app import __version__, cli_accounts, cli_centre, cli_io, cli_quality
from invigilator_app.cli_io import Console, open_store
from invigilator_app.domain.errors import BadInput, InvigilatorError

log = logging.getLogger("invigilator_app")

GLOBAL_HELP = {
    "data_dir": "folder of the store (default: the platform's user data folder; env INVIGILATOR_DATA_DIR)",
    "user": "the acting user's name",
    "password_stdin": "read the password from the first line of standard input (a new password from the second)",
}


class UsageError(BadInput):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: {message}")


def _session_id(text: str) -> int:
    """A session id: a whole number from 1 to 2,147,483,647."""
    if not text.strip().isdigit() or len(text.strip()) > 10 or not 1 <= int(text) <= 2**31 - 1:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise argparse.ArgumentTypeError(f"{shown!r} is not a session id (a whole number from 1 to 2147483647)")
    return int(text)


def _globals(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument("--data-dir", type=Path, default=default, help=GLOBAL_HELP["data_dir"])
    parser.add_argument("--user", default=default, help=GLOBAL_HELP["user"])
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=GLOBAL_HELP["password_stdin"],
    )


def build_parser() -> Parser:
    parser = Parser(prog="invigilator-app", description="Invigilation station for IMI online assessments.")
    parser.add_argument("--version", action="version", version=f"invigilator-app {__version__}")
    _globals(parser, top=True)
    parser.add_argument("--demo", action="store_true", help="start on a throwaway store filled with sample data")
    parser.add_argument("--screenshot", type=Path, help="render the main window to this PNG and exit")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    def command(name: str, help_text: str, parent: Any = sub) -> Parser:
        p: Parser = parent.add_parser(name, help=help_text, description=help_text)
        _globals(p, top=False)
        return p

    p = command("init", "create the encrypted store and print its recovery key")
    p.add_argument("--centre-name")
    p.add_argument("--centre-number")
    p.add_argument("--coordinator")
    p.add_argument(
        "--enrolment",
        type=Path,
        help="make this PC a station of a centre's hub from the file `station enrol` wrote "
        "(the enrolment code on standard input with --password-stdin, else asked for)",
    )
    p.add_argument("--centre-address", default="")
    p.add_argument("--site-type", default="lead")

    cands = command("candidates", "the candidate register").add_subparsers(
        dest="action", required=True, parser_class=Parser
    )
    p = command("import", "import candidates from a CSV file (all rows or none)", cands)
    p.add_argument("file", type=Path)

    sess = command("session", "plan, log and export one session").add_subparsers(
        dest="action", required=True, parser_class=Parser
    )
    p = command("plan", "plan a session from a JSON file; prints the new session id", sess)
    p.add_argument("file", type=Path)
    p = command("log", "append entries transcribed from a paper log (JSON)", sess)
    p.add_argument("session_id", type=_session_id)
    p.add_argument("file", type=Path)
    p = command("sign-off", "the session's invigilator signs off its record with the declaration", sess)
    p.add_argument("session_id", type=int)
    p.add_argument("--confirm", action="store_true", help="confirm the declaration (printed without this option)")
    p = command("export", "write the signed invigilation record PDF", sess)
    p.add_argument("session_id", type=_session_id)
    p.add_argument("--out", type=Path, required=True)

    lst = command("sessions", "list sessions").add_subparsers(dest="action", required=True, parser_class=Parser)
    command("list", "one line per session: id, date, start, room, state, candidates", lst)
    p = command("export", "all of a day's records in one PDF, for printing", lst)
    p.add_argument("--date", required=True)
    p.add_argument("--out", type=Path, required=True)

    p = command("verify", "verify a record PDF, or the store's audit trail with --audit")
    p.add_argument("file", type=Path, nargs="?")
    p.add_argument("--certificate", type=Path, help="the exact certificate the PDF must be signed with (older records)")
    p.add_argument("--trust", type=Path, help="the trusted centre certificate (centre.pem) the signer must chain to")
    p.add_argument(
        "--centre", help="the trusted centre certificate's SHA-256 fingerprint (hex; spaces or colons allowed)"
    )
    p.add_argument("--audit", action="store_true", help="check every page of the store and the audit chain")
    p.add_argument(
        "--checkpoint",
        type=Path,
        help="with --audit: an exported checkpoint file the store must still hold (implies --audit)",
    )
    p.add_argument(
        "--witness",
        type=Path,
        nargs="+",
        default=[],
        metavar="PATH",
        help="with --audit: record PDFs, inspection packs or checkpoint files the store must extend (implies --audit)",
    )

    st = command("station", "this station's identity").add_subparsers(dest="action", required=True, parser_class=Parser)
    p = command("certificate", "export the station certificate (PEM) for inspectors to pin", st)
    p.add_argument("--out", type=Path, required=True)
    p = command("checkpoint", "export a signed audit checkpoint (a coordinator signs a fresh one)", st)
    p.add_argument("--out", type=Path, required=True)
    cli_centre.add_parsers(command, Parser, st)

    users = command("users", "accounts that may unlock the station").add_subparsers(
        dest="action", required=True, parser_class=Parser
    )
    p = command("add", "add an account; its password is the second line of standard input", users)
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=["coordinator", "invigilator", "inspector"])
    p.add_argument(
        "--imi-pin", default="", help="the invigilator's IMI PIN (shown on the record; never their IMI password)"
    )
    p.add_argument("--expires", help="last day the account works (YYYY-MM-DD); required for inspectors")
    command("list", "one line per account: name, role, status, last day, has a password", users)
    p = command("disable", "stop an account from unlocking (its key slot is removed)", users)
    p.add_argument("name")
    p = command("passwd", "set a password; the new one is the second line of standard input", users)
    p.add_argument("name")

    command("recovery-key", "issue a new recovery key (coordinators); printed once, the old one stops working")
    command(
        "recovery",
        "unlock with the recovery key (first line of standard input) and set a new coordinator password (second line)",
    )

    bk = command("backup", "backups of the store (encrypted, with its key slots)").add_subparsers(
        dest="action", required=True, parser_class=Parser
    )
    p = command("create", "write a verified backup into a folder", bk)
    p.add_argument("--out", type=Path, required=True, help="the folder (a USB stick)")
    p = command("verify", "open a backup and check every page and the audit chain", bk)
    p.add_argument("file", type=Path)
    p.add_argument(
        "--recovery-key",
        action="store_true",
        help="open it with the recovery key (first line of standard input) instead of this store's password",
    )
    p = command("restore", "restore a backup into a new or empty data folder with the recovery key", bk)
    p.add_argument("file", type=Path)
    p.add_argument("--checkpoint", type=Path, help="the newest exported checkpoint: says what the backup lacks")
    p = command("folder", "choose the folder for automatic backups (after each sign-off and daily)", bk)
    p.add_argument("folder", type=Path, nargs="?")
    p.add_argument("--off", action="store_true", help="stop automatic backups")

    insp = command("inspect", "inspection by the external quality assurer").add_subparsers(
        dest="action", required=True, parser_class=Parser
    )
    p = command("export", "write the inspection pack for a date range into a new or empty folder", insp)
    p.add_argument("--from", dest="from_day", required=True, help="first day (YYYY-MM-DD, centre time)")
    p.add_argument("--to", dest="to_day", required=True, help="last day (YYYY-MM-DD, centre time)")
    p.add_argument("--out", type=Path, required=True)
    cli_quality.add_parsers(command, Parser)
    return parser


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.access import credential_store_note, init_store

    data_dir = cli_io.data_dir(args)
    if args.enrolment is not None:
        given = [f for f, v in (("--centre-name", args.centre_name), ("--coordinator", args.coordinator)) if v]
        if given:
            raise UsageError(f"invigilator-app init: {', '.join(given)} come from the enrolment file; leave them out.")
        return cli_centre.init_station(args, console, data_dir, cli_io.password(args, console, "enrolment code"))
    missing = [
        flag
        for flag, value in (
            ("--centre-name", args.centre_name),
            ("--centre-number", args.centre_number),
            ("--coordinator", args.coordinator),
        )
        if value is None
    ]
    if missing:
        raise UsageError(f"invigilator-app init: the following arguments are required: {', '.join(missing)}")
    password = cli_io.password(args, console, "new coordinator password")
    key = init_store(
        data_dir,
        centre_name=args.centre_name,
        centre_number=args.centre_number,
        coordinator=args.coordinator,
        password=password,
        address=args.centre_address,
        site_type=args.site_type,
    )
    console.err(f"Created the store in {data_dir}.")
    console.err(credential_store_note(data_dir))
    console.err("Recovery key (shown once; write it down and keep it locked away):")
    console.out(key)
    return 0


def _with_station(
    action: Callable[[Any, argparse.Namespace, Console], int],
) -> Callable[[argparse.Namespace, Console], int]:
    """Unlock the store for a command and always close it again."""

    def run(args: argparse.Namespace, console: Console) -> int:
        station = open_store(args, console)
        try:
            return action(station, args, console)
        finally:
            station.close()

    return run


def cmd_candidates_import(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.admin.candidates import import_candidates_file

    result = import_candidates_file(station, args.file)
    console.err(f"Imported {result.added} candidate(s) from {args.file}; {result.unchanged} already registered.")
    return 0


def cmd_session_plan(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.planning.plans import plan_session_file

    result = plan_session_file(station, args.file)
    console.warn(result.warnings)
    console.out(str(result.session_id))
    return 0


def cmd_session_log(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.console.transcription import transcribe_file

    count = transcribe_file(station, args.session_id, args.file)
    console.err(f"Added {count} transcribed entr{'y' if count == 1 else 'ies'} to session {args.session_id}.")
    return 0


def cmd_session_sign_off(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.console.closing import declaration_for, sign_off

    declaration = declaration_for(station, args.session_id)
    if not args.confirm:
        raise BadInput(f"Read the declaration, then run the command again with --confirm:\n{declaration}")
    sign_off(station, args.session_id, declaration)
    console.err(f"Session {args.session_id} is signed off by {station.actor.name} and closed for review.")
    return 0


def cmd_session_export(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.review.records import export_record, export_record_csv

    if args.out.suffix.lower() == ".csv":
        export_record_csv(station, args.session_id, args.out)
        console.err(f"Wrote the record of session {args.session_id} as CSV to {args.out}.")
        return 0
    export_record(station, args.session_id, args.out)
    console.err(f"Wrote the signed record of session {args.session_id} to {args.out}.")
    return 0


def cmd_sessions_export(station: Any, args: argparse.Namespace, console: Console) -> int:
    from datetime import date

    from invigilator_app.services.review.records import export_day

    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        raise BadInput(f"--date {args.date!r} is not a date (YYYY-MM-DD).") from None
    count = export_day(station, day, args.out, progress=console.progress("Building records"))
    console.err(f"Wrote {count} record(s) of {day:%a %d %b %Y} to {args.out}.")
    return 0


def cmd_sessions_list(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.console.sessions import list_sessions

    for s in list_sessions(station):
        console.out(f"{s.id}\t{s.day.isoformat()}\t{s.start}\t{s.room}\t{s.state}\t{s.candidates}")
    return 0


def cmd_station_certificate(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.files import write_atomically
    from invigilator_app.services.review.records import station_certificate

    write_atomically(args.out, station_certificate(station))
    console.err(f"Wrote this station's certificate to {args.out}.")
    return 0


def cmd_inspect_export(station: Any, args: argparse.Namespace, console: Console) -> int:
    from datetime import date

    from invigilator_app.services.review.inspection import export_inspection_pack

    days = []
    for option, value in (("--from", args.from_day), ("--to", args.to_day)):
        try:
            days.append(date.fromisoformat(value))
        except ValueError:
            raise BadInput(f"inspect export {option} {value!r}: give a date as YYYY-MM-DD.") from None
    result = export_inspection_pack(station, days[0], days[1], args.out, progress=console.progress("Inspection pack"))
    console.err(
        f"Wrote the inspection pack to {result.out_dir}: {result.sessions} session record(s), "
        f"{result.register_rows} register row(s), patterns.pdf, checkpoint.txt."
    )
    return 0


def cmd_station_checkpoint(station: Any, args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.services.files import write_atomically
    from invigilator_app.services.trust.checkpoints import export_checkpoint

    checkpoint = export_checkpoint(station)
    try:
        write_atomically(args.out, checkpoint.to_text().encode("utf-8"))
    except OSError as exc:
        from invigilator_app.domain.errors import NoSpace
        from invigilator_app.store import faults

        if not faults.is_no_space(exc):
            raise
        raise NoSpace(
            f"No space: the disk holding {args.out} is full, or a quota or file-size limit was reached. "
            f"The checkpoint ({checkpoint.describe()}) was signed and recorded in the store, but "
            f"{args.out} was not written; run `station checkpoint` again when there is space."
        ) from None
    console.err(f"Wrote the audit checkpoint ({checkpoint.describe()}) to {args.out}.")
    return 0


def cmd_verify(args: argparse.Namespace, console: Console) -> int:
    if args.audit or args.checkpoint is not None or args.witness:
        from invigilator_app.services.trust.integrity import verify_store

        station = open_store(args, console)
        try:
            report = verify_store(station, args.checkpoint, args.witness)
        finally:
            station.close()
        console.out(report)
        return 0
    if args.file is None:
        raise BadInput("verify: give a record PDF, or --audit to check the store.")
    from invigilator_app.services.review.records import verify_file

    summary = verify_file(
        args.file, args.certificate, trust=args.trust, centre=args.centre, data_dir=cli_io.data_dir(args)
    )
    console.out(f"OK: {args.file} is signed and unaltered, by a certificate of the trusted centre.")
    console.out(f"Centre: {summary.centre} ({summary.centre_number})")
    console.out(f"Session: {summary.session_id}, {summary.date}, {summary.room}")
    console.out(f"Candidates: {summary.candidates}")
    console.out(f"Entries: {summary.entries}")
    console.out(f"State: {summary.draft or 'signed off (final record)'}")
    console.out(f"Signer: {summary.signer}{' (pinned certificate)' if summary.pinned else ''}")
    console.out(f"Signed at: {summary.signing_time}")
    console.out(f"Certificate fingerprint: {summary.certificate_fingerprint}")
    console.out(f"Centre fingerprint: {summary.centre_fingerprint} (trusted: {summary.origin})")
    return 0


COMMANDS: dict[tuple[str, str | None], Callable[[argparse.Namespace, Console], int]] = {
    ("init", None): cmd_init,
    ("candidates", "import"): _with_station(cmd_candidates_import),
    ("session", "plan"): _with_station(cmd_session_plan),
    ("session", "log"): _with_station(cmd_session_log),
    ("session", "sign-off"): _with_station(cmd_session_sign_off),
    ("session", "export"): _with_station(cmd_session_export),
    ("sessions", "list"): _with_station(cmd_sessions_list),
    ("sessions", "export"): _with_station(cmd_sessions_export),
    ("station", "certificate"): _with_station(cmd_station_certificate),
    ("inspect", "export"): _with_station(cmd_inspect_export),
    ("verify", None): cmd_verify,
    ("station", "checkpoint"): _with_station(cmd_station_checkpoint),
}
COMMANDS.update({key: _with_station(action) for key, action in cli_accounts.WITH_STATION.items()})
COMMANDS.update(cli_accounts.ON_THEIR_OWN)
COMMANDS.update({key: _with_station(action) for key, action in cli_quality.COMMANDS.items()})
COMMANDS.update({key: _with_station(action) for key, action in cli_centre.COMMANDS.items()})


def run_gui(args: argparse.Namespace, console: Console) -> int:
    from invigilator_app.ui.app import run

    return run(data_dir=args.data_dir, demo=args.demo, screenshot=args.screenshot, user=args.user)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """A polite kill (SIGTERM: a shutdown, a task manager) ends a command like Ctrl+C, so
    an export removes its half-written files instead of leaving personal data behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(
    argv: Sequence[str] | None = None,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    console = Console(stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr)
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        if args.command is None:
            return run_gui(args, console)
        handler = COMMANDS[(args.command, getattr(args, "action", None))]
        with _terminate_as_interrupt():
            return handler(args, console)
    except InvigilatorError as exc:
        for line in exc.lines():
            console.err(line)
        return exc.exit_code
    except KeyboardInterrupt:
        console.err("Cancelled; nothing half-written was kept.")
        return 130
    except OSError as exc:
        from invigilator_app.store import faults

        if not faults.is_no_space(exc):
            return _unexpected(console, exc)
        where = f" writing {exc.filename}" if exc.filename else ""
        console.err(
            f"No space: the disk is full, or a quota or file-size limit was reached{where}. "
            "The command stopped at that step; what it had not yet written was not written."
        )
        return 6
    except Exception as exc:  # the last guard: never a traceback for the user
        return _unexpected(console, exc)


def _unexpected(console: Console, exc: BaseException) -> int:
    from invigilator_app.store import faults

    low = getattr(exc, "orig", None) or exc
    if faults.is_no_space(low):
        console.err(
            "No space: the disk is full, or a quota or file-size limit was reached. The step that failed was not saved."
        )
        return 6
    log.error("unexpected error: %s", exc.__class__.__name__)
    console.err(f"Unexpected error ({exc.__class__.__name__}). Nothing was changed by the failed step.")
    return 1
