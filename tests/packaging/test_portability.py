"""The application must run on Windows: no POSIX-only module or call anywhere in it.

The Windows bundle is not built here, so a POSIX-only call would only fail on an exam-room
PC. Qt handles the signals the GUI needs; the standard library's portable ones (SIGINT,
SIGTERM, SIG_DFL, SIG_IGN, signal.signal) are allowed. A line that guards its own use (for
example ``if hasattr(os, "fchmod"):``) may say so with ``# posix-only: <reason>``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import invigilator_app

PACKAGE = Path(invigilator_app.__file__).resolve().parent
PRAGMA = "# posix-only:"

POSIX_MODULES = {
    "fcntl",
    "termios",
    "tty",
    "pty",
    "pwd",
    "grp",
    "resource",
    "posix",
    "crypt",
    "spwd",
    "syslog",
    "curses",
    "readline",
    "nis",
    "ossaudiodev",
}
POSIX_ATTRIBUTES = {
    "os": {
        "fork",
        "forkpty",
        "getuid",
        "geteuid",
        "getgid",
        "getegid",
        "getgroups",
        "setuid",
        "seteuid",
        "setgid",
        "setegid",
        "setsid",
        "getsid",
        "setpgid",
        "getpgid",
        "setpgrp",
        "getpgrp",
        "killpg",
        "chown",
        "fchown",
        "lchown",
        "fchmod",
        "lchmod",
        "chroot",
        "mkfifo",
        "mknod",
        "statvfs",
        "fstatvfs",
        "getloadavg",
        "uname",
        "nice",
        "sync",
        "wait3",
        "wait4",
        "openpty",
        "ttyname",
        "getpwnam",
        "sched_getaffinity",
        "sched_setaffinity",
        "posix_fadvise",
        "pread",
        "pwrite",
        "sysconf",
        "pathconf",
        "fpathconf",
        "O_NOFOLLOW",
        "O_CLOEXEC",
        "O_DIRECTORY",
    },
    "signal": {
        "SIGKILL",
        "SIGHUP",
        "SIGUSR1",
        "SIGUSR2",
        "SIGALRM",
        "SIGCHLD",
        "SIGPIPE",
        "SIGQUIT",
        "SIGSTOP",
        "SIGCONT",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGWINCH",
        "SIGVTALRM",
        "SIGPROF",
        "alarm",
        "setitimer",
        "getitimer",
        "pause",
        "pthread_kill",
        "pthread_sigmask",
        "sigwait",
        "sigwaitinfo",
        "sigtimedwait",
        "siginterrupt",
        "sigpending",
    },
    "shutil": {"chown"},
    "time": {"tzset", "clock_gettime", "clock_settime", "pthread_getcpuclockid"},
    "select": {"poll", "epoll", "kqueue", "devpoll"},
}


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local names bound to the modules we watch (``import os as _os`` -> {"_os": "os"})."""
    names = {module: module for module in POSIX_ATTRIBUTES}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in POSIX_ATTRIBUTES and alias.asname:
                    names[alias.asname] = alias.name
    return names


def posix_only_uses(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    aliases = _aliases(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name.split(".")[0] in POSIX_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            top = node.module.split(".")[0]
            if top in POSIX_MODULES:
                found.append((node.lineno, f"from {node.module} import ..."))
            bad = POSIX_ATTRIBUTES.get(node.module, set())
            found += [(node.lineno, f"from {node.module} import {a.name}") for a in node.names if a.name in bad]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if module and node.attr in POSIX_ATTRIBUTES[module]:
                found.append((node.lineno, f"{module}.{node.attr}"))
    rel = path.relative_to(root)
    return [f"{rel}:{line}: {what}" for line, what in sorted(found) if PRAGMA not in lines[line - 1]]


def test_the_application_has_no_posix_only_calls() -> None:
    problems = [p for path in sorted(PACKAGE.rglob("*.py")) for p in posix_only_uses(path)]
    assert not problems, "POSIX-only calls would break the Windows build:\n" + "\n".join(problems)


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, fcntl\nimport signal as sig\nfrom os import fork\nfrom pwd import getpwnam\n"
        "os.getuid()\nsig.SIGKILL\nos.killpg(1, 2)\nsig.signal(sig.SIGTERM, sig.SIG_DFL)\n"
        "os.geteuid()  # posix-only: guarded by hasattr on the line above\nos.fsync(3)\n",
        encoding="utf-8",
    )
    found = posix_only_uses(sample, root=tmp_path)
    assert found[0] == "sample.py:1: import fcntl"
    assert [line.split(": ", 1)[1] for line in found] == [
        "import fcntl",
        "from os import fork",
        "from pwd import ...",
        "os.getuid",
        "signal.SIGKILL",
        "os.killpg",
    ]
