"""Global options shared by the GUI and every command, and opening the Workspace from them."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Sequence

from app.opening import USER_ENV, open_workspace
from app.workspace import Workspace

__all__ = ["USER_ENV", "build_parser", "gui_arguments", "open_workspace", "run_async"]
DESCRIPTION = "Outreach sequences for recruiters, synced to Clockwork Recruiting."


def build_parser() -> argparse.ArgumentParser:
    from app.cli import add_commands

    parser = _global_options(argparse.ArgumentParser(prog="escapement", description=DESCRIPTION))
    add_commands(parser)
    return parser


def gui_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The global options when `argv` names no command and asks for no help, else None.

    The window starts without building the full parser, whose commands import modules the
    GUI never uses (the sandbox server among them); anything else is left to build_parser,
    which also words every usage error."""
    parser = _global_options(
        argparse.ArgumentParser(prog="escapement", add_help=False, exit_on_error=False)
    )
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:
        return None
    args.command = None
    return args


def _global_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "--data-dir", help="where the database and logs live (or ESCAPEMENT_DATA_DIR)"
    )
    parser.add_argument("--database-url", help="a team database, e.g. postgresql+psycopg://host/db")
    parser.add_argument(
        "--as", dest="as_user", metavar="EMAIL", help="act as this teammate (or ESCAPEMENT_USER)"
    )
    parser.add_argument(
        "--sandbox", action="store_true", help="open the app against the built-in Clockwork sandbox"
    )
    parser.add_argument(
        "--clockwork-url", help="loopback origin replacing api.clockworkrecruiting.com (testing)"
    )
    return parser


def run_async[T](ws: Workspace, work: Callable[[Workspace], Awaitable[T]]) -> T:
    """Runs `work` in a fresh event loop, closing the Clockwork client before the loop ends."""

    async def main() -> T:
        try:
            return await work(ws)
        finally:
            await ws.aclose()

    return asyncio.run(main())
