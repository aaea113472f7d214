"""`connect --domain DOMAIN` and `disconnect`.

The keys come from CLOCKWORK_API_KEY, CLOCKWORK_SECRET_KEY and CLOCKWORK_FIRM_SERVICE_KEY,
or are typed without echo when stdin is a terminal; they are never command-line arguments,
which other users can read from the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from app.cli.options import open_workspace, run_async
from app.connection import REJECTED
from app.errors import InputError, SecretStoreUnavailable
from app.secrets import ENV_DOMAIN, ENV_KEY_NAMES, SERVICE, env_keys
from app.workspace import Workspace

_PROMPTS = ("Clockwork API key: ", "Clockwork secret key: ", "Clockwork firm service key: ")


def register(sub: Any) -> None:
    connect = sub.add_parser("connect", help="check Clockwork keys and keep them in the keyring")
    connect.add_argument(
        "--domain", help=f"your Clockwork Domain, e.g. acme (or {ENV_DOMAIN})", default=None
    )
    connect.set_defaults(handler=run_connect)
    disconnect = sub.add_parser("disconnect", help="remove the Clockwork keys from the keyring")
    disconnect.set_defaults(handler=run_disconnect)


def run_connect(args: argparse.Namespace) -> int:
    domain = args.domain or os.environ.get(ENV_DOMAIN, "").strip()
    if not domain:
        raise InputError(
            f"Name your Clockwork Domain: connect --domain acme (or set {ENV_DOMAIN})."
        )
    keys, from_env = read_keys()
    with open_workspace(args) as ws:
        firm, saved = run_async(ws, lambda w: _connect(w, domain, keys, from_env))
        projects = len(ws.projects())
    print(f"Connected to Clockwork firm {firm} ({projects} projects).")
    if not saved:
        print(
            "No system keyring is available, so the keys were not saved: keep the "
            "CLOCKWORK_* variables set for every command.",
            file=sys.stderr,
        )
    return 0


async def _connect(
    ws: Workspace, domain: str, keys: tuple[str, str, str], from_env: bool
) -> tuple[str, bool]:
    """The firm, and whether the keys went into the keyring."""
    try:
        try:
            return await ws.connect_clockwork(domain, *keys), True
        except SecretStoreUnavailable:
            if not from_env:
                raise  # typed keys that cannot be kept would be lost at exit
        return await ws.connect_clockwork(domain, *keys, remember=False), False
    except REJECTED as error:
        # Wrong keys or domain are the user's input: exit 2, with which one was wrong.
        raise InputError(error.message, title=error.title) from None


def read_keys() -> tuple[tuple[str, str, str], bool]:
    """The three keys and whether they came from the environment."""
    keys = env_keys()
    if keys is not None:
        return keys, True
    if not sys.stdin.isatty():
        raise InputError(
            f"No Clockwork keys: set {', '.join(ENV_KEY_NAMES)}, or run connect in a "
            "terminal to type them."
        )
    typed = tuple(getpass.getpass(prompt).strip() for prompt in _PROMPTS)
    return (typed[0], typed[1], typed[2]), False


def run_disconnect(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        firm = ws.connection.firm
        keys_left = ws.disconnect_clockwork()
    if firm is None:
        print("Not connected to Clockwork.")
    elif keys_left is None:
        print(f"Disconnected from Clockwork firm {firm}; its keys were removed from the keyring.")
    else:
        print(f"Disconnected from Clockwork firm {firm}.")
        # Exit 0: the firm is unlinked, which is what was asked; the keys are a warning.
        print(f"escapement: warning: {keys_left_warning(keys_left)}", file=sys.stderr)
    if env_keys() is not None:
        print("The CLOCKWORK_* environment variables are still set and still apply.")
    return 0


def keys_left_warning(reason: str) -> str:
    return (
        "the keyring could not be used, so any Clockwork keys saved there were not deleted "
        f'(service "{SERVICE}"); run disconnect again once it works. {reason}'
    )
