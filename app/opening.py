"""Opening the Workspace that the global options name, for the CLI and the GUI alike."""

from __future__ import annotations

import argparse
import os

from app.connection import api_origin
from app.paths import data_dir, database_url
from app.workspace import Workspace

USER_ENV = "ESCAPEMENT_USER"


def open_workspace(args: argparse.Namespace) -> Workspace:
    """--data-dir, --database-url, --as and --clockwork-url, or their environment variables."""
    folder = data_dir(args.data_dir)
    user = args.as_user or os.environ.get(USER_ENV) or None
    origin = api_origin(args.clockwork_url)
    return Workspace.open(
        database_url(folder, args.database_url), user_email=user, clockwork_origin=origin
    )
