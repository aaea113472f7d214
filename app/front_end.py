"""Which front end is showing the core's messages, so that a message telling the user where to
act names what they can use: a pane of the window, or a command of the CLI.

The GUI is the default; `app.cli.run` switches to the CLI for the life of the process.
"""

from __future__ import annotations

_state = {"cli": False}


def use_cli(on: bool = True) -> None:
    _state["cli"] = on


def is_cli() -> bool:
    return _state["cli"]


def connect_here() -> str:
    """Where to connect to Clockwork (or enter new keys)."""
    if is_cli():
        return "run: escapement connect --domain YOUR-DOMAIN"
    return "on the Integration pane"


def mail_password_here(protocol: str) -> str:
    """Where to save the SMTP or IMAP password."""
    if is_cli():
        return f"run: escapement settings set {protocol} --save-password"
    return "enter it on the Email pane"
