"""`sequence create NAME`."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.options import open_workspace


def register(sub: Any) -> None:
    seq = sub.add_parser("sequence", help="create and configure sequences")
    actions = seq.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a sequence")
    create.add_argument("name")
    create.set_defaults(handler=create_sequence)


def create_sequence(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        info = ws.create_sequence(args.name)
    print(f'Created sequence "{info.name}".')
    return 0
