"""Escapement: with no command, the window; with a command, the CLI (see --help)."""

from __future__ import annotations

import sys

from app.cli import process_guards, report_error, run
from app.cli.options import build_parser, gui_arguments
from app.errors import EscapementError
from app.logs import setup_logging


def main(argv: list[str] | None = None) -> int:
    # No command: the global options alone, so the window's start does not import every
    # command's modules only to build their parsers.
    args = gui_arguments(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        setup_logging(args.data_dir, console=args.command is not None)
    except EscapementError as exc:
        return report_error(exc)
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args)
    return run(args)


if __name__ == "__main__":
    process_guards.install()
    sys.exit(main())
