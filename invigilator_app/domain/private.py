"""Files the station writes are private to the user who runs it.

On POSIX the data folder (and every folder the station makes for personal data) is 0700
and every file 0600, whatever the umask. On Windows the data folder lies in the user's
profile (platformdirs' local AppData) and inherits its ACL, which grants only the user,
SYSTEM and administrators; nothing is changed there. Paths only, no other module: every
layer that writes a file uses these.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
POSIX = os.name == "posix"


def make_private(path: Path) -> None:
    """0600 for a file, 0700 for a folder (POSIX only; never follows a symbolic link)."""
    if not POSIX or path.is_symlink() or not path.exists():
        return
    os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)


def private_folder(path: Path) -> Path:
    """Make the folder (and missing parents) and make it private."""
    path.mkdir(parents=True, exist_ok=True)
    make_private(path)
    return path


def create_private_file(path: Path) -> None:
    """Create an empty file with mode 0600 from the start (never readable by others, not
    even for a moment); an existing file is only made private."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        make_private(path)
        return
    os.close(fd)
