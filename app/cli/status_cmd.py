"""`status [--json] [--contacts]`."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.options import open_workspace


def register(sub: Any) -> None:
    status = sub.add_parser("status", help="contacts by sync state and the sync queue")
    status.add_argument("--json", action="store_true")
    status.add_argument("--contacts", action="store_true", help="list every contact too")
    status.set_defaults(handler=show_status)


def show_status(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        data = ws.status(with_contacts=args.contacts)
    if args.json:
        print_json(data)
        return 0
    counts: dict[str, int] = data["contacts_by_state"]  # type: ignore[assignment]
    for state, n in counts.items():
        print(f"{state:>22}: {n}")
    print(f"{'outbox pending':>22}: {data['outbox_pending']}")
    mail: dict[str, object] = data["mail"]  # type: ignore[assignment]
    who = f" {mail['provider']} {mail['account']}" if mail["account"] else ""
    print(f"{'mail':>22}: {mail['auth']}{who}, {mail['state']}")
    for contact in data.get("contacts", []):  # type: ignore[attr-defined]
        print(f"{contact['email']}  {contact['state']}  {', '.join(contact['sequences'])}")
    return 0
