"""Run a command of the command line in a child process under a file-size limit
(``RLIMIT_FSIZE``): every write past the limit fails as it would on a full disk."""

from __future__ import annotations

import io
import multiprocessing
from pathlib import Path

import pytest

resource = pytest.importorskip("resource", reason="RLIMIT_FSIZE is POSIX; Windows has no equivalent to test here")

LIMITS = (0, 1_000, 2_000, 8_192, 24_576, 32_768, 65_536, 131_072, 196_608, 262_144, 1_048_576, 4_194_304)
"""Bytes a file may grow to: from nothing, through the key slot file, the journal (WAL) and
its index, the database, to enough."""


def _child(limit: int, argv: list[str], stdin: str, conn) -> None:
    from invigilator_app.cli import main

    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(argv, io.StringIO(stdin), out, err)
    except BaseException as exc:
        code, err = 99, io.StringIO(f"escaped: {exc!r}")
    conn.send((code, out.getvalue(), err.getvalue()))
    conn.close()


def run_limited(limit: int, *argv: str | Path, stdin: str = "") -> tuple[int, str, str]:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(limit, [str(a) for a in argv], stdin, child))
    proc.start()
    child.close()
    result = parent.recv() if parent.poll(120) else (98, "", "no answer")
    proc.join(30)
    return result


def _call_child(limit: int, fn, args: tuple, conn) -> None:  # type: ignore[no-untyped-def]
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    try:
        result = ("ok", fn(*args))
    except BaseException as exc:  # the parent judges what escaped
        result = (type(exc).__name__, str(exc))
    conn.send(result)
    conn.close()


def call_limited(limit: int, fn, *args) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    """``fn(*args)`` in a child process under the limit: ("ok", its result) or (the name of
    the exception it raised, its message). ``fn`` must be a module-level function."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_call_child, args=(limit, fn, args, child))
    proc.start()
    child.close()
    result = parent.recv() if parent.poll(120) else ("NoAnswer", "")
    proc.join(30)
    return result
