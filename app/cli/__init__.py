"""The command line: the same Workspace façade as the GUI, with plain-text or JSON answers.

Exit codes: 0 success, 2 bad usage or input, 1 any other failure; a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from app.cli.process_guards import silence_stdout
from app.clockwork.redact import redact
from app.errors import EscapementError
from app.front_end import is_cli, use_cli

Handler = Callable[[argparse.Namespace], int]
#: The command modules, in the order --help lists them. Imported by add_commands, not here:
#: the GUI imports this package too, and the commands pull in the sandbox server and more.
COMMANDS = (
    "sequence_cmd",
    "contacts_cmd",
    "status_cmd",
    "connect_cmd",
    "projects_cmd",
    "settings_cmd",
    "sync_cmd",
    "sandbox_cmd",
    "team_cmd",
    "mail_cmd",
    "backup_cmd",
    "suppress_cmd",
    "clockwork_cmd",
)


def add_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"app.cli.{name}").register(sub)


def run(args: argparse.Namespace) -> int:
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        print("escapement: choose a command; see --help", file=sys.stderr)
        return 2
    was_cli = is_cli()
    use_cli()
    try:
        return handler(args)
    except EscapementError as exc:
        return report_error(exc)
    except BrokenPipeError:
        return silence_stdout()
    except KeyboardInterrupt:
        print("escapement: interrupted", file=sys.stderr)
        return 1
    finally:
        use_cli(was_cli)  # in-process callers (tests) get the GUI's wording back


def report_error(exc: EscapementError) -> int:
    """The one line on stderr, secrets masked, and the exit code."""
    print(f"escapement: {redact(exc.message)}", file=sys.stderr)
    return exc.exit_code


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    from app.cli.options import build_parser

    return run(build_parser().parse_args(argv))
