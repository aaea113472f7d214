"""`contacts import FILE --sequence NAME [--json]`, `contacts add EMAIL... --sequence NAME
[--json]` (stored contacts into another sequence) and `contacts reply EMAIL --sequence NAME`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.options import open_workspace
from app.errors import InputError, NotFoundError
from app.opening import print_progress


def register(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help="import contacts and record replies")
    actions = contacts.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="import a CSV file into a sequence")
    imp.add_argument("file", type=Path)
    imp.add_argument("--sequence", required=True)
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=import_contacts)
    add = actions.add_parser("add", help="add stored contacts to a sequence, by email")
    add.add_argument("emails", nargs="+", metavar="EMAIL")
    add.add_argument("--sequence", required=True)
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_to_sequence)
    reply = actions.add_parser("reply", help="record that a contact replied")
    reply.add_argument("email")
    reply.add_argument("--sequence", required=True)
    reply.set_defaults(handler=record_reply)


def import_contacts(args: argparse.Namespace) -> int:
    from app.cli import print_json

    if not args.file.is_file():
        raise InputError(f"No such file: {args.file}")
    with open_workspace(args) as ws:
        report = ws.import_csv(args.file, ws.sequence_by_name(args.sequence).id)
        # The import left its new contacts to the search index's catch-up, which no GUI will
        # run for this process: leave the store fully indexed.
        ws.finish_search_backlog(print_progress)
    if args.json:
        print_json(report.as_dict())
        return 0
    print(
        f"Added {report.added}, updated {report.updated}, merged {report.merged},"
        f" rejected {len(report.rejected)}."
    )
    for row in report.rejected:
        print(f"  line {row.line}: {row.reason}")
    for warning in report.warnings:
        print(f"  note: {warning}")
    return 0


def add_to_sequence(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        ids, unknown = [], []
        for email in args.emails:
            try:
                ids.append(ws.contact_id(email))
            except NotFoundError:
                unknown.append(email)
        if unknown:
            addresses = "address" if len(unknown) == 1 else "addresses"
            raise InputError(
                f"No stored contact has the {addresses} {', '.join(unknown)}: import first "
                "(contacts import). Nothing was added."
            )
        sequence = ws.sequence_by_name(args.sequence)
        report = ws.add_to_sequence(sequence.id, ids)
    if args.json:
        print_json(report.as_dict())
        return 0
    were = "was" if report.already == 1 else "were"
    print(f"Added {report.added} to “{sequence.name}”; {report.already} {were} in it already.")
    for email in report.suppressed:
        print(f"  not added: {email} is on the suppression list")
    return 0


def record_reply(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        ws.record_reply(args.email, args.sequence)
    print(f"Recorded a reply from {args.email}.")
    return 0
