"""`clockwork check [--json]` and `clockwork refresh [--json]`."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.options import open_workspace, run_async


def register(sub: Any) -> None:
    clockwork = sub.add_parser("clockwork", help="check Clockwork's API; read candidate statuses")
    actions = clockwork.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="compare every readable endpoint with our table")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=run_check)
    refresh = actions.add_parser("refresh", help="read candidate statuses now; stop by status")
    refresh.add_argument("--json", action="store_true")
    refresh.set_defaults(handler=run_refresh)


def run_check(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        report = run_async(ws, lambda w: w.clockwork.check())
    if args.json:
        print_json(report.as_dict())
    else:
        for row in report.endpoints:
            print(f"{row.name:>18}  {row.certainty:<9}  {row.result:<9}  {row.detail}")
        print("Compatible." if report.compatible else "Not compatible: see the rows above.")
    return 0 if report.compatible else 1


def run_refresh(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        result = run_async(ws, lambda w: w.clockwork.refresh_statuses())
    if args.json:
        print_json(result.as_dict())
    else:
        print(
            f"Read {result.projects} project(s) in {result.pages} request(s): "
            f"{result.updated} status change(s), {result.stopped} sequence(s) stopped."
        )
    return 0
