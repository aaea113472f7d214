"""`team add|list|set|remove|clone-settings`: teammates, roles, groups and cloning settings.

Who acts is `--as EMAIL` (or ESCAPEMENT_USER); only Owners and Managers change the team or
clone, and a refusal exits with 2 like any other bad input.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.options import open_workspace
from app.domain import IntegrationKind, Role
from app.team import CLONED_SETTINGS, ClonePlan, TeamFacade, Teammate
from app.team.values import shown
from app.workspace import Workspace

ROLES = [r.value for r in Role]
INTEGRATIONS = [i.value for i in IntegrationKind]


def register(sub: Any) -> None:
    team = sub.add_parser("team", help="teammates, roles and groups; clone Clockwork settings")
    actions = team.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a teammate (Owners and Managers)")
    add.add_argument("name")
    add.add_argument("--email", required=True)
    add.add_argument("--role", choices=ROLES, default=Role.MEMBER.value)
    add.add_argument("--integration", choices=INTEGRATIONS, default=IntegrationKind.NONE.value)
    _group_option(add, default=[])
    add.set_defaults(handler=add_teammate)
    show = actions.add_parser("list", help="everyone on the team and their Clockwork settings")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=list_team)
    change = actions.add_parser("set", help="change a teammate's role, groups or integration")
    change.add_argument("email")
    change.add_argument("--name")
    change.add_argument("--email", dest="new_email", metavar="NEW_EMAIL", help="a new email")
    change.add_argument("--role", choices=ROLES)
    change.add_argument("--integration", choices=INTEGRATIONS)
    _group_option(change, default=None, replaces=True)
    change.add_argument("--no-groups", action="store_true", help="take them out of every group")
    change.set_defaults(handler=set_teammate)
    remove = actions.add_parser("remove", help="take a teammate off the team")
    remove.add_argument("email")
    remove.set_defaults(handler=remove_teammate)
    clone = actions.add_parser(
        "clone-settings", help="copy your Clockwork settings to teammates connected to Clockwork"
    )
    clone.add_argument("--group", help="only the teammates in this group")
    clone.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    clone.add_argument("--json", action="store_true")
    clone.set_defaults(handler=clone_settings)


def _group_option(parser: Any, default: list[str] | None, replaces: bool = False) -> None:
    extra = "; replaces their groups" if replaces else ""
    parser.add_argument(
        "--group",
        dest="groups",
        action="append",
        default=default,
        metavar="GROUP",
        help=f"a group; repeat for several{extra}",
    )


def _team(ws: Workspace) -> TeamFacade:
    return ws.team


def add_teammate(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        mate = _team(ws).add(
            args.name,
            args.email,
            role=Role(args.role),
            groups=args.groups,
            integration=IntegrationKind(args.integration),
        )
    print(f"Added {_who(mate)} as {mate.role.value}.")
    return 0


def list_team(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        team = _team(ws).members()
    if args.json:
        print_json([mate.as_dict() for mate in team])
        return 0
    for mate in team:
        groups = f"  groups: {', '.join(mate.groups)}" if mate.groups else ""
        print(f"{_who(mate)}  {mate.role.value}  {mate.integration.value}{groups}")
    return 0


def set_teammate(args: argparse.Namespace) -> int:
    groups: list[str] | None = [] if args.no_groups else args.groups
    with open_workspace(args) as ws:
        mate = _team(ws).update(
            args.email,
            name=args.name,
            new_email=args.new_email,
            role=Role(args.role) if args.role else None,
            groups=groups,
            integration=IntegrationKind(args.integration) if args.integration else None,
        )
    groups_text = ", ".join(mate.groups) or "no groups"
    print(f"{_who(mate)}: {mate.role.value}, {mate.integration.value}, {groups_text}.")
    return 0


def remove_teammate(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        _team(ws).remove(args.email)
    print(f"Removed {args.email.strip()} from the team (their sequences and settings too).")
    return 0


def clone_settings(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        team = _team(ws)
        plan = team.preview_clone(args.group) if args.dry_run else team.clone_settings(args.group)
    if args.json:
        print_json(plan.as_dict())
        return 0
    for line in clone_report(plan):
        print(line)
    return 0


def clone_report(plan: ClonePlan) -> list[str]:
    scope = f'in the group "{plan.group}"' if plan.group else "connected to Clockwork"
    verb = "Changed" if plan.applied else "Would change (dry run)"
    lines = [f"Your Clockwork settings, cloned to the teammates {scope}:"]
    lines += [f"  {name}: {shown(getattr(plan.source, name))}" for name in CLONED_SETTINGS]
    lines.append(f"{verb}: {len(plan.targets)}")
    for target in plan.targets:
        lines.append(f"  {target.name} <{target.email}>: " + "; ".join(map(str, target.changes)))
    lines.append(f"Skipped: {len(plan.skipped)}")
    lines += [f"  {s.name} <{s.email}>: {s.reason.label}" for s in plan.skipped]
    return lines


def _who(mate: Teammate) -> str:
    return f"{mate.name} <{mate.email}>"
