"""`settings set NAME VALUE`: the Clockwork sync settings of the acting user."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

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
}


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


def register(sub: Any) -> None:
    settings = sub.add_parser("settings", help="change your Clockwork sync settings")
    actions = settings.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_cmd = actions.add_parser("set", help="set one setting")
    set_cmd.add_argument("name", choices=sorted(SETTERS))
    set_cmd.add_argument("value")
    set_cmd.set_defaults(handler=set_setting)


def set_setting(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        SETTERS[args.name](ws, args.value)
        warning = ws.double_recording_warning()
    print(f"{args.name} set to {args.value}.")
    if warning and args.name in ("activity-tracking", "bcc"):
        print(f"Warning: {warning}")
    return 0
