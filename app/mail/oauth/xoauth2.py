"""XOAUTH2, the SASL mechanism Microsoft 365 and Google take for SMTP and IMAP.

A `Bearer` is what the SMTP and IMAP code log in with instead of a password: it fetches a
token when asked, and a fresh one when the server refused the last. A bearer token goes
over TLS only, except to this computer (the tests' servers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.clockwork.domain_input import is_loopback_host
from app.errors import EscapementError
from app.mail.settings import ServerConfig
from app.mail.types import Security


@dataclass(frozen=True, slots=True)
class Bearer:
    user: str
    #: force=True asks for a new token even if the cached one looks valid.
    fetch: Callable[[bool], str]

    def sasl(self, *, fresh: bool) -> str:
        return f"user={self.user}\x01auth=Bearer {self.fetch(fresh)}\x01\x01"


def check_channel(config: ServerConfig, error: type[EscapementError]) -> None:
    if config.security == Security.NONE and not is_loopback_host(config.host):
        raise error(
            f"Escapement sends a sign-in token to {config.host} only over an encrypted "
            "connection: choose SSL or STARTTLS.",
            title="Unencrypted connection",
        )


def refused(config: ServerConfig, user: str) -> str:
    name = config.protocol.upper()
    return (
        f"The {name} server {config.host}:{config.port} refused the sign-in for {user}, even "
        f"with a fresh token. Check that {name} access is enabled for this mailbox "
        "(docs/mail.md), or sign in again."
    )
