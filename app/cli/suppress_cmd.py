"""`suppress add|remove|list|import|export`: the workspace's suppression list, shared by the
team; and `sequence footer|resume` (registered from `sequence_cmd`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.options import open_workspace
from app.errors import InputError
from app.optout.types import SuppressReport


def register(sub: Any) -> None:
    cmd = sub.add_parser("suppress", help="addresses never to be emailed again, by anyone")
    actions = cmd.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="suppress addresses: their sequences end")
    add.add_argument("emails", nargs="+", metavar="EMAIL")
    add.add_argument("--note", default="", help="why, kept with the entry")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_addresses)
    remove = actions.add_parser("remove", help="undo: the addresses may be emailed again")
    remove.add_argument("emails", nargs="+", metavar="EMAIL")
    remove.add_argument("--reason", required=True, help="why (kept, with who and when)")
    remove.set_defaults(handler=remove_addresses)
    listing = actions.add_parser("list", help="who is on the list, how and why")
    listing.add_argument("emails", nargs="*", metavar="EMAIL", help="only these")
    listing.add_argument("--all", action="store_true", help="undone entries too")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_addresses)
    imp = actions.add_parser("import", help='from a CSV with an "email" column')
    imp.add_argument("path", type=Path)
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=import_addresses)
    exp = actions.add_parser("export", help="the list as CSV")
    exp.add_argument("path", type=Path)
    exp.set_defaults(handler=export_addresses)


def add_addresses(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        report = ws.suppression.add(args.emails, args.note)
    return _report(report, args.json)


def import_addresses(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        report = ws.suppression.import_csv(args.path)
    return _report(report, args.json)


def _report(report: SuppressReport, as_json: bool) -> int:
    from app.cli import print_json

    if as_json:
        print_json(report.as_dict())
        return 0
    print(
        f"{len(report.added)} suppressed, {len(report.already)} already on the list, "
        f"{report.sequences_ended} sequence enrollments ended."
    )
    for line, reason in report.rejected:
        print(f"line {line}: {reason}")
    return 0


def remove_addresses(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        lifted = ws.suppression.remove(args.emails, args.reason)
    print(f"{len(lifted)} removed from the suppression list: {', '.join(lifted)}.")
    return 0


def list_addresses(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        rows = ws.suppression.listing(include_lifted=args.all)
    wanted = {e.strip().lower() for e in args.emails}
    rows = [r for r in rows if not wanted or r.email.lower() in wanted]
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    for r in rows:
        state = "" if r.active else f"  (undone by {r.lifted_by}: {r.lifted_reason})"
        print(f"{r.email}\t{r.source.value}\t{r.created_at:%Y-%m-%d %H:%M}\t{r.trigger}{state}")
    if not rows:
        print("The suppression list is empty." if not wanted else "Not on the list.")
    return 0


def export_addresses(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        count = ws.suppression.export_csv(args.path)
    print(f"{count} addresses written to {args.path}.")
    return 0


# --- sequence footer | resume --------------------------------------------------------------


def register_sequence(actions: Any) -> None:
    footer = actions.add_parser("footer", help="the opt-out line under the sequence's emails")
    footer.add_argument("name")
    footer.add_argument("state", choices=("on", "off"), nargs="?")
    footer.add_argument("--text", help="the line, e.g. \"Reply 'unsubscribe' and I won't...\"")
    footer.set_defaults(handler=set_footer)
    resume = actions.add_parser("resume", help="lift a pause for too many bounces")
    resume.add_argument("name")
    resume.set_defaults(handler=resume_sequence)


def set_footer(args: argparse.Namespace) -> int:
    enabled = None if args.state is None else args.state == "on"
    if enabled is None and args.text is None:
        raise InputError("Say on, off and/or --text TEXT.")
    with open_workspace(args) as ws:
        info = ws.sequence_by_name(args.name)
        view = ws.mail.set_footer(info.id, enabled=enabled, text=args.text)
    state = f'on: "{view.footer_text}"' if view.footer_enabled else "off"
    print(f'Footer of "{info.name}" {state}.')
    return 0


def resume_sequence(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        info = ws.sequence_by_name(args.name)
        was = ws.mail.resume_sequence(info.id)
    print(f'"{info.name}" sends again.' if was else f'"{info.name}" was not paused.')
    return 0
