"""The refresh token in the OS keyring: service `escapement`, one token per entry, never the
database, a log line or a message. The access token is never stored: it lives in memory.

Windows Credential Manager holds at most 2,560 bytes per entry, and keyring writes the value
as UTF-16, so an entry holds 1,280 characters. Microsoft's refresh tokens come close, so a
token longer than `PART_CHARS` is split over numbered entries (`name#1`, `name#2`, ...) and
the main entry says how many; a token longer than `MAX_PARTS` entries is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.clockwork.redact import register_secret
from app.errors import EscapementError, SecretStoreUnavailable
from app.secrets import SERVICE, on_keyring

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

#: 1,200 UTF-16 characters are 2,400 bytes: under Credential Manager's 2,560 with room to spare.
PART_CHARS = 1200
MAX_PARTS = 8
#: '*' is not in the token alphabet (RFC 6749 A.17 allows it, but no provider uses it), so a
#: main entry that starts with this cannot be a token itself.
_SPLIT = "*split*"
_UNAVAILABLE = (
    "No usable system keyring to keep your mail sign-in in, and Escapement will not store it "
    "anywhere less safe. Sign-in needs the system keyring (Windows Credential Manager, macOS "
    "Keychain, GNOME Keyring or KWallet)."
)


class TokenTooLong(EscapementError):
    title = "Sign-in too large to keep"


class KeyringTokens:
    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def get(self, name: str) -> str | None:
        head = self._call(lambda kr: kr.get_password(self.service, name))
        if head is None or not head.startswith(_SPLIT):
            value: str | None = head
        else:
            parts = [self._call(_getter(self.service, _part(name, i))) for i in _count(head)]
            # A missing part means a damaged entry: it reads as "not signed in".
            value = None if any(p is None for p in parts) else "".join(parts)
        if value:
            register_secret(value)
        return value or None

    def put(self, name: str, value: str) -> None:
        register_secret(value)
        pieces = [value[i : i + PART_CHARS] for i in range(0, len(value), PART_CHARS)] or [""]
        if len(pieces) > MAX_PARTS:
            raise TokenTooLong(
                "The provider's sign-in token is longer than the system keyring can hold "
                f"({MAX_PARTS * PART_CHARS:,} characters): nothing was saved."
            )
        old = self._call(lambda kr: kr.get_password(self.service, name))
        if len(pieces) == 1:
            self._call(_setter(self.service, name, value))
        else:
            # Parts first: a reader never finds a main entry naming parts not yet written.
            for i, piece in enumerate(pieces, start=1):
                self._call(_setter(self.service, _part(name, i), piece))
            self._call(_setter(self.service, name, f"{_SPLIT}{len(pieces)}"))
        stale = _count(old) if old and old.startswith(_SPLIT) else range(0)
        for i in stale:
            if len(pieces) == 1 or i > len(pieces):
                self._delete(_part(name, i))

    def delete(self, name: str) -> bool:
        head = self._call(lambda kr: kr.get_password(self.service, name))
        if head is None:
            return False
        if head.startswith(_SPLIT):
            for i in _count(head):
                self._delete(_part(name, i))
        self._delete(name)
        return True

    def _delete(self, name: str) -> None:
        try:
            self._call(lambda kr: kr.delete_password(self.service, name))
        except SecretStoreUnavailable:
            if self._call(lambda kr: kr.get_password(self.service, name)) is not None:
                raise  # gone already is fine; still there is not

    def _call(self, operation: Callable[[KeyringBackend], Any]) -> Any:
        return on_keyring(operation, "for the mail sign-in", _UNAVAILABLE)


def refresh_entry(provider: str, account: str) -> str:
    return f"oauth-refresh:{provider}:{account.strip().lower()}"


def secret_entry(provider: str, client_id: str) -> str:
    return f"oauth-client-secret:{provider}:{client_id}"


def _part(name: str, index: int) -> str:
    return f"{name}#{index}"


def _count(head: str) -> range:
    try:
        n = int(head.removeprefix(_SPLIT))
    except ValueError:
        n = 0
    return range(1, min(max(n, 0), MAX_PARTS) + 1)


def _getter(service: str, name: str) -> Callable[[KeyringBackend], Any]:
    return lambda kr: kr.get_password(service, name)


def _setter(service: str, name: str, value: str) -> Callable[[KeyringBackend], Any]:
    return lambda kr: kr.set_password(service, name, value)
