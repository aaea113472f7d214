"""What the CLI process does about its own output: secrets masked on stderr, including in a
traceback, and a closed stdout pipe (`... --json | head`) ending the command quietly."""

from __future__ import annotations

import os
import sys
import traceback
from types import TracebackType
from typing import TextIO

from app.clockwork.redact import redact

#: The shell's code for a process ended by SIGPIPE (128 + 13), as `yes | head` reports it.
EXIT_BROKEN_PIPE = 141


class RedactingStream:
    """A text stream that masks every registered secret in what is written through it.

    A secret split across two write() calls is not seen; print() and traceback write whole
    lines, which is what reaches stderr here.
    """

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(redact(text))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def redacting_excepthook(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """A traceback with every registered secret masked, for bugs that reach the top."""
    text = "".join(traceback.format_exception(kind, value, tb))
    if sys.__stderr__ is not None:
        sys.__stderr__.write(redact(text))


def install() -> None:
    """For a real process only (tests keep pytest's own streams)."""
    sys.stderr = RedactingStream(sys.stderr)
    sys.excepthook = redacting_excepthook


def silence_stdout() -> int:
    """After a BrokenPipeError: point stdout at /dev/null so the exit flush cannot raise."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (pytest's capture)
        pass
    finally:
        os.close(devnull)
    return EXIT_BROKEN_PIPE
