"""`backup list` and `backup restore [PATH]`: the local database's backups.

Neither opens the Workspace: they are what to run when the database cannot be opened.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.errors import InputError
from app.paths import data_dir, database_url
from app.store import sqlite_file
from app.store.backups import list_backups, restore_backup
from app.store.file_checks import is_intact
from app.store.urls import parse_database_url


def register(sub: Any) -> None:
    backup = sub.add_parser("backup", help="list or restore the local database's backups")
    actions = backup.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="newest first, each marked good or damaged")
    listing.set_defaults(handler=list_cmd)
    restore = actions.add_parser(
        "restore", help="put a backup in place of the database; the old file is set aside"
    )
    restore.add_argument("path", nargs="?", type=Path, help="default: the newest good backup")
    restore.set_defaults(handler=restore_cmd)


def _database(args: argparse.Namespace) -> Path:
    url = parse_database_url(database_url(data_dir(args.data_dir), args.database_url))
    path = sqlite_file(url)
    if path is None:
        raise InputError("Backups are kept for a local SQLite database only.")
    return path


def list_cmd(args: argparse.Namespace) -> int:
    found = list_backups(_database(args))
    for path in found:
        print(f"{path}  {'good' if is_intact(path) else 'damaged'}")
    if not found:
        print("No backups yet: one is made before each upgrade of the database.")
    return 0


def restore_cmd(args: argparse.Namespace) -> int:
    db = _database(args)
    if args.path is not None and not args.path.is_file():
        raise InputError(f"No such backup: {args.path}")
    aside = restore_backup(db, args.path)
    print(f"Restored {db}. The file it replaced is kept as {aside}.")
    return 0
