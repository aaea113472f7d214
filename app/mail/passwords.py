"""SMTP and IMAP passwords: the environment first (headless use), then the OS keyring.

Entries: service `escapement-smtp` or `escapement-imap` (the workspace's keyring service plus
the protocol), username `user@host`. Like the Clockwork keys, a password never goes in the
database, a log line or a message, and there is no fallback to a weaker store.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from app.clockwork.redact import register_secret
from app.errors import InputError
from app.front_end import mail_password_here
from app.secrets import SecretStore, on_keyring

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

Protocol = Literal["smtp", "imap"]
ENV = {"smtp": "SMTP_PASSWORD", "imap": "IMAP_PASSWORD"}


def _unavailable(protocol: Protocol) -> str:
    return (
        f"No usable system keyring to keep your {protocol.upper()} password in, and Escapement "
        f"will not store it anywhere less safe. Set {ENV[protocol]} in the environment instead."
    )


def missing(protocol: Protocol, user: str) -> str:
    """What to do when no password is saved, in the words of the front end showing it."""
    name = protocol.upper()
    return (
        f"No {name} password saved for {user}: {mail_password_here(protocol)}, "
        f"or set {ENV[protocol]}."
    )


class MailPasswords:
    def __init__(self, secrets: SecretStore, environ: Mapping[str, str] | None = None) -> None:
        self._base = secrets.service
        self._environ = environ

    def service(self, protocol: Protocol) -> str:
        return f"{self._base}-{protocol}"

    def get(self, protocol: Protocol, user: str, host: str) -> str | None:
        if not user:
            return None  # a server without a login (a relay) needs no password
        env = os.environ if self._environ is None else self._environ
        value = env.get(ENV[protocol]) or self._call(
            protocol, lambda kr: kr.get_password(self.service(protocol), entry(user, host))
        )
        if value:
            _check_text(value, f"The {protocol.upper()} password ({ENV[protocol]} or the keyring)")
            register_secret(value)
        return value or None

    def put(self, protocol: Protocol, user: str, host: str, password: str) -> None:
        _check_text(password, f"The {protocol.upper()} password")
        register_secret(password)
        name = entry(user, host)
        self._call(protocol, lambda kr: kr.set_password(self.service(protocol), name, password))

    def delete(self, protocol: Protocol, user: str, host: str) -> bool:
        name, service = entry(user, host), self.service(protocol)
        if self._call(protocol, lambda kr: kr.get_password(service, name)) is None:
            return False
        self._call(protocol, lambda kr: kr.delete_password(service, name))
        return True

    def _call(self, protocol: Protocol, operation: Callable[[KeyringBackend], Any]) -> Any:
        return on_keyring(operation, f"for the {protocol} password", _unavailable(protocol))


def _check_text(password: str, what: str) -> None:
    """Any Unicode text logs in (utf8_auth.py); bytes that were not text (a terminal or an
    environment in another encoding) cannot, and no line break or NUL fits in a login."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{what} has bytes that are not UTF-8 text: type it again.") from None
    if any(c in password for c in "\r\n\0"):
        raise InputError(f"{what} cannot contain a line break or a NUL character.")


def entry(user: str, host: str) -> str:
    return f"{user.strip().lower()}@{host.strip().lower()}"
