"""How the command line talks: the Console (stdout for results, stderr for messages), and
the secrets it reads (passwords, recovery keys, enrolment codes) from standard input or a
terminal, never from an argument. Shared by ``cli`` and its topic modules."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.violations import Violation


class Console:
    """Where a command speaks: stdout for results, stderr for messages."""

    def __init__(self, stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self._lines: list[str] | None = None

    def out(self, text: str) -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)

    def progress(self, what: str) -> Callable[..., None]:
        """A progress line on a terminal; nothing when stderr is piped or a file. The
        reporter takes (done, total) and, optionally, what is being done now."""
        interactive = hasattr(self.stderr, "isatty") and self.stderr.isatty()

        def report(done: int, total: int, step: str = "") -> None:
            if interactive:
                end = "\n" if done >= total else ""
                text = f"{what}: {done}/{total} {step[:60]}".rstrip()
                print(f"\r{text:<80}", end=end, file=self.stderr, flush=True)

        return report

    def warn(self, violations: Sequence[Violation]) -> None:
        for v in violations:
            self.err(f"warning {v.rule_id}: {v.message}")

    def stdin_line(self, index: int, what: str) -> str:
        if self._lines is None:
            self._lines = self.stdin.read().splitlines()
        if index >= len(self._lines):
            raise BadInput(f"--password-stdin: standard input has no line {index + 1} ({what}).")
        return self._lines[index].rstrip("\r\n")


def password(args: argparse.Namespace, console: Console, what: str = "password", index: int = 0) -> str:
    if args.password_stdin:
        return console.stdin_line(index, what)
    if console.stdin.isatty():
        return getpass.getpass(f"{what.capitalize()}: ")
    raise BadInput(f"No {what} given: pass --password-stdin and write it on standard input.")


def data_dir(args: argparse.Namespace) -> Path:
    from invigilator_app.services.locations import default_data_dir

    folder: Path = args.data_dir or default_data_dir()
    return folder


def open_store(args: argparse.Namespace, console: Console) -> Any:
    from invigilator_app.services.access import open_station

    station = open_station(data_dir(args), password(args, console), user=args.user)
    for warning in getattr(station, "warnings", []):
        console.err(f"warning: {warning}")
    return station


def new_password(args: argparse.Namespace, console: Console, what: str) -> str:
    """The second line of standard input (the first is the acting user's password)."""
    return password(args, console, what, index=1)


def stdin_secret(args: argparse.Namespace, console: Console, what: str, index: int) -> str:
    """From standard input (whether or not --password-stdin was given), or typed at a terminal."""
    if args.password_stdin or not console.stdin.isatty():
        return console.stdin_line(index, what)
    return getpass.getpass(f"{what.capitalize()}: ")
