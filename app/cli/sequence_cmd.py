"""`sequence create NAME`."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.options import open_workspace
from app.errors import InputError


def register(sub: Any) -> None:
    seq = sub.add_parser("sequence", help="create and configure sequences")
    actions = seq.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a sequence")
    create.add_argument("name")
    create.set_defaults(handler=create_sequence)
    set_cmd = actions.add_parser("set", help="the sequence's Syncing settings")
    set_cmd.add_argument("name")
    set_cmd.add_argument("--sync", choices=("on", "off"), help='the "Sync to Clockwork" toggle')
    set_cmd.add_argument("--project", metavar="ID|none", help="project override; none = default")
    set_cmd.set_defaults(handler=set_sequence)


def create_sequence(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        info = ws.create_sequence(args.name)
    print(f'Created sequence "{info.name}".')
    return 0


def set_sequence(args: argparse.Namespace) -> int:
    if args.sync is None and args.project is None:
        raise InputError("Say what to change: --sync on|off and/or --project ID|none.")
    behind = 0
    with open_workspace(args) as ws:
        info = ws.sequence_by_name(args.name)
        if args.sync is not None:
            ws.set_sequence_sync(info.id, args.sync == "on")
        if args.project is not None:
            ws.set_sequence_project(
                info.id, None if args.project.lower() == "none" else args.project
            )
            behind = ws.sync.synced_outside_project(info.id)
    print(f'Updated sequence "{info.name}".')
    if behind:
        print(
            f"{behind} contacts already synced are not in this project. To add them: "
            f'resync --sequence "{info.name}" --apply-project'
        )
    return 0
