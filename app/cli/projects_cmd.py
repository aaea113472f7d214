"""`projects [--json] [--refresh]`: the Clockwork projects contacts can be synced into."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.options import open_workspace, run_async
from app.projects import ProjectInfo
from app.workspace import Workspace


def register(sub: Any) -> None:
    projects = sub.add_parser("projects", help="list the Clockwork projects (cached locally)")
    projects.add_argument("--json", action="store_true")
    projects.add_argument(
        "--refresh", action="store_true", help="fetch the list from Clockwork first"
    )
    projects.set_defaults(handler=show_projects)


def show_projects(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        if args.refresh:
            run_async(ws, _refresh)
        found = ws.projects()
    if args.json:
        print_json([p.as_dict() for p in found])
        return 0
    for line in _table(found):
        print(line)
    return 0


async def _refresh(ws: Workspace) -> int:
    return await ws.refresh_projects()


def _table(found: list[ProjectInfo]) -> list[str]:
    if not found:
        return ["No projects. Connect to Clockwork, then run: projects --refresh"]
    width = max(len(p.status) for p in found)
    # A dash marks projects contacts cannot be synced into (closed ones).
    return [
        f"{'+' if p.syncable else '-'} {p.id:>6}  {p.status:<{width}}  {p.name}"
        + (f"  ({p.company})" if p.company else "")
        for p in found
    ]
