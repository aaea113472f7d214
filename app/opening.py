"""Opening the Workspace that the global options name, for the CLI and the GUI alike."""

from __future__ import annotations

import argparse
import os
import sys

from app.connection import api_origin
from app.paths import data_dir, database_url
from app.store.progress import Progress
from app.workspace import Workspace

USER_ENV = "ESCAPEMENT_USER"


def print_progress(step: str, done: float) -> None:
    """A migration's progress on stderr, so stdout stays the command's own output."""
    print(f"{step}: {done:.0%}", file=sys.stderr, flush=True)


def open_workspace(args: argparse.Namespace, progress: Progress = print_progress) -> Workspace:
    """--data-dir, --database-url, --as and --clockwork-url, or their environment variables.

    `progress` hears of a migration's long steps (a backup, indexing a million contacts)."""
    folder = data_dir(args.data_dir)
    user = args.as_user or os.environ.get(USER_ENV) or None
    origin = api_origin(args.clockwork_url)
    return Workspace.open(
        database_url(folder, args.database_url),
        user_email=user,
        clockwork_origin=origin,
        progress=progress,
    )
