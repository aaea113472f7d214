"""`settings set NAME ...`: the acting user's Clockwork sync and email settings.

Each setting is its own subcommand: most take one VALUE, while `smtp` and `imap` take options
(registered from `mail_cmd`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.cli import mail_cmd
from app.cli.options import open_workspace
from app.domain import SyncMode
from app.errors import InputError
from app.workspace import Workspace


def _on_off(value: str) -> bool:
    if value.lower() not in ("on", "off"):
        raise InputError(f'Say on or off, not "{value}".')
    return value.lower() == "on"


def _none_or(value: str) -> str | None:
    return None if value.lower() == "none" else value


SETTERS: dict[str, Callable[[Workspace, str], object]] = {
    "sync-mode": lambda ws, v: ws.update_clockwork_settings(sync_mode=_sync_mode(v)),
    "dedup": lambda ws, v: ws.update_clockwork_settings(dedup=_on_off(v)),
    "default-project": lambda ws, v: ws.set_default_project(_none_or(v)),
    "activity-tracking": lambda ws, v: ws.update_clockwork_settings(activity_tracking=_on_off(v)),
    "rate-limit": lambda ws, v: ws.update_clockwork_settings(rate_limit=_number(v)),
    "bcc": lambda ws, v: ws.set_bcc_address(_none_or(v)),
    "from": lambda ws, v: ws.mail.set_from(v),
    "sending-window": lambda ws, v: ws.mail.set_sending_window(v),
    "daily-cap": lambda ws, v: ws.mail.set_daily_cap(_whole(v)),
    "include-body": lambda ws, v: ws.mail.set_include_body(_on_off(v)),
    "pacing": lambda ws, v: ws.mail.set_pacing(v),
    "domain-cap": lambda ws, v: ws.mail.set_domain_cap(v),
    "opt-out-to-clockwork": lambda ws, v: ws.mail.set_opt_out_to_clockwork(_on_off(v)),
    "stop-statuses": lambda ws, v: ws.clockwork.set_stop_statuses(v),
    "reply-status": lambda ws, v: ws.clockwork.set_reply_status(_none_or(v)),
}
_VALUES = {
    "sync-mode": "off, on-add or on-reply",
    "dedup": "on or off",
    "default-project": "a project id, or none",
    "activity-tracking": "on or off",
    "rate-limit": "requests per second",
    "bcc": "the Pendulum address, or none",
    "from": '"Name <address>"',
    "sending-window": 'always, or like "Mon-Fri 09:00-17:00 Europe/London"',
    "daily-cap": "emails per day",
    "include-body": "on or off: copy email bodies into Clockwork notes",
    "pacing": "MIN-MAX seconds between two sends (default 30-90), or off",
    "domain-cap": "emails an hour to one recipient domain (default 10), or off",
    "opt-out-to-clockwork": "on or off: an opt-out sets doNotContact in Clockwork, with a note",
    "stop-statuses": '"Placed,Withdrew,…": candidate statuses that stop a sequence, or default',
    "reply-status": "the candidate status a reply moves the candidacy to, or none",
}
#: Settings after which the email warnings (e.g. Pendulum and the from address) are shown.
_MAIL = ("bcc", "from", "sending-window", "daily-cap", "include-body")


def _sync_mode(value: str) -> SyncMode:
    try:
        return SyncMode(value.lower())
    except ValueError:
        raise InputError("The sync mode is off, on-add or on-reply.") from None


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise InputError(f'"{value}" is not a number.') from None


def _whole(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError(f'"{value}" is not a whole number.') from None


def register(sub: Any) -> None:
    settings = sub.add_parser("settings", help="change your Clockwork and email settings")
    actions = settings.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_cmd = actions.add_parser("set", help="set one setting")
    names = set_cmd.add_subparsers(dest="name", metavar="NAME", required=True)
    for name in sorted(SETTERS):
        one = names.add_parser(name, help=_VALUES[name])
        one.add_argument("value", help=_VALUES[name])
        one.set_defaults(handler=set_setting)
    mail_cmd.register_servers(names)


def _stored(ws: Workspace, name: str) -> str | None:
    """For addresses, what was kept, which is not always what was typed (names, case)."""
    if name == "from":
        view = ws.mail.settings()
        return f"{view.from_name} <{view.from_address}>" if view.from_name else view.from_address
    if name == "bcc":
        return ws.email_settings().bcc_address or "none"
    return None


def set_setting(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        SETTERS[args.name](ws, args.value)
        stored = _stored(ws, args.name)
        warning = ws.double_recording_warning()
        if args.name == "from":
            ws.mail.check_sender_domain()  # SPF and DMARC, once per change; shown in warnings
        mail_warnings = ws.mail.warnings() if args.name in _MAIL else []
    print(f"{args.name} set to {stored or args.value}.")
    if warning and args.name in ("activity-tracking", "bcc"):
        print(f"Warning: {warning}")
    for line in mail_warnings:
        print(f"Warning: {line}")
    return 0
