"""Global options shared by the GUI and every command, and opening the Workspace from them."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable

from app.connection import api_origin
from app.paths import data_dir, database_url
from app.workspace import Workspace

USER_ENV = "ESCAPEMENT_USER"


def build_parser() -> argparse.ArgumentParser:
    from app.cli import add_commands

    parser = argparse.ArgumentParser(
        prog="escapement",
        description="Outreach sequences for recruiters, synced to Clockwork Recruiting.",
    )
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
    add_commands(parser)
    return parser


def open_workspace(args: argparse.Namespace) -> Workspace:
    folder = data_dir(args.data_dir)
    user = args.as_user or os.environ.get(USER_ENV) or None
    origin = api_origin(args.clockwork_url)
    return Workspace.open(
        database_url(folder, args.database_url),
        user_email=user,
        clockwork_origin=origin,
        progress=print_progress,
    )


def print_progress(step: str, done: float) -> None:
    """A migration's progress on stderr, so stdout stays the command's own output."""
    print(f"{step}: {done:.0%}", file=sys.stderr, flush=True)


def run_async[T](ws: Workspace, work: Callable[[Workspace], Awaitable[T]]) -> T:
    """Runs `work` in a fresh event loop, closing the Clockwork client before the loop ends."""

    async def main() -> T:
        try:
            return await work(ws)
        finally:
            await ws.aclose()

    return asyncio.run(main())
