"""Files only their owner may read: the database, its backups and the logs hold contacts' mail.

Directories are made 0700 and files 0600 when Escapement creates them; a database file found
more open than that is narrowed on open. SQLite gives its -wal and -shm files the mode of the
database file, so creating that one 0600 covers all three.
"""

from __future__ import annotations

import logging.handlers
import os
import stat
from io import TextIOWrapper
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Make `path` (and missing parents) 0700; an existing folder keeps its mode."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        path.chmod(DIR_MODE)  # mkdir's mode goes through the umask
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 if it is missing; narrow it to 0600 if it is ours."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file, the first and each one after a rollover, is 0600."""

    def _open(self) -> TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()
