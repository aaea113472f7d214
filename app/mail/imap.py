"""Reading the mailbox over IMAP (stdlib imaplib, run in a worker thread).

Only reads: folders are opened read-only and bodies fetched with BODY.PEEK, so polling never
marks the recruiter's mail as seen.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from types import TracebackType

from app.mail import passwords, tls, utf8_auth
from app.mail.oauth.xoauth2 import Bearer, check_channel, refused
from app.mail.settings import ServerConfig
from app.mail.smtp import MailServerError
from app.mail.types import Security

TIMEOUT_S = 60.0
#: Enough of a message for its headers, a reply's text and a bounce's report parts.
FETCH_BYTES = 128 * 1024
_BATCH = 50
_SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail")
_LIST_LINE = re.compile(rb'\((?P<flags>[^)]*)\) (?:"[^"]*"|NIL) (?P<name>.+)')
_UID = re.compile(rb"UID (\d+)")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Fetched:
    uidvalidity: int
    messages: list[tuple[int, bytes]]


class ImapMailbox:
    def __init__(self, config: ServerConfig, password: str | Bearer | None) -> None:
        self.config = config
        self._password = password
        self._imap: imaplib.IMAP4 | None = None

    def __enter__(self) -> ImapMailbox:
        self._imap = _connect(self.config, self._password)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        imap, self._imap = self._imap, None
        if imap is not None:
            try:
                imap.logout()
            except (imaplib.IMAP4.error, OSError):
                imap.shutdown()

    @property
    def imap(self) -> imaplib.IMAP4:
        if self._imap is None:
            raise RuntimeError("use ImapMailbox as a context manager")
        return self._imap

    def sent_folder(self) -> str | None:
        """The folder flagged \\Sent (RFC 6154), else the first one with a usual name."""
        typ, lines = self.imap.list()
        names: list[str] = []
        for line in lines if typ == "OK" else []:
            found = _LIST_LINE.match(line) if isinstance(line, bytes) else None
            if found is None:
                continue
            name = found["name"].decode("utf-8", "replace").strip('"')
            if b"\\sent" in found["flags"].lower():
                return name
            names.append(name)
        by_lower = {n.lower(): n for n in names}
        for wanted in _SENT_NAMES:
            for candidate in (wanted, f"INBOX.{wanted}", f"INBOX/{wanted}"):
                if candidate.lower() in by_lower:
                    return by_lower[candidate.lower()]
        return None

    def has_message(self, folder: str, message_id: str) -> bool:
        self._select(folder)
        typ, data = self.imap.uid("SEARCH", "HEADER", "Message-ID", _quote(message_id))
        return typ == "OK" and bool(data and data[0] and data[0].split())

    def fetch_new(
        self, folder: str, uidvalidity: int | None, after_uid: int | None, since: date
    ) -> Fetched:
        """Messages after `after_uid`, or, when the UIDs are unknown or were renumbered,
        those that arrived since `since`."""
        current = self._select(folder)
        if uidvalidity == current and after_uid is not None:
            criteria: tuple[str, ...] = ("UID", f"{after_uid + 1}:*")
        else:
            criteria, after_uid = ("SINCE", _imap_date(since)), 0
        typ, data = self.imap.uid("SEARCH", *criteria)
        uids = sorted(int(u) for u in (data[0] or b"").split()) if typ == "OK" and data else []
        # "n:*" always matches the newest message, even when its UID is below n.
        uids = [u for u in uids if u > after_uid]
        messages: list[tuple[int, bytes]] = []
        for start in range(0, len(uids), _BATCH):
            messages.extend(self._fetch(uids[start : start + _BATCH]))
        return Fetched(current, messages)

    def _fetch(self, uids: list[int]) -> list[tuple[int, bytes]]:
        wanted = ",".join(str(u) for u in uids)
        typ, data = self.imap.uid("FETCH", wanted, f"(UID BODY.PEEK[]<0.{FETCH_BYTES}>)")
        found: list[tuple[int, bytes]] = []
        for item in data if typ == "OK" else []:
            if isinstance(item, tuple) and (uid := _UID.search(item[0])) is not None:
                found.append((int(uid.group(1)), item[1]))
        return found

    def _select(self, folder: str) -> int:
        typ, _ = self.imap.select(_quote(folder), readonly=True)
        if typ != "OK":
            raise MailServerError(f'The IMAP server has no folder "{folder}".')
        _, values = self.imap.response("UIDVALIDITY")
        return int(values[0]) if values and values[0] else 0


def _connect(config: ServerConfig, password: str | Bearer | None) -> imaplib.IMAP4:
    where = f"{config.host}:{config.port}"
    if isinstance(password, Bearer):
        check_channel(config, MailServerError)
    try:
        imap = _open(config)
    except ssl.SSLCertVerificationError as exc:
        raise MailServerError(tls.unverified(config, exc), title=tls.UNTRUSTED_TITLE) from None
    except (imaplib.IMAP4.error, OSError) as exc:
        if isinstance(exc, ssl.SSLError) and tls.is_plain_port(exc):
            raise MailServerError(tls.wrong_mode(config), title=tls.WRONG_MODE_TITLE) from None
        raise MailServerError(f"Could not reach the IMAP server {where}: {exc}.") from None
    try:
        if isinstance(password, Bearer):
            _xoauth2(imap, config, password)
            return imap
        if not password:
            raise MailServerError(
                passwords.missing("imap", config.user),
                title="Missing password",
            )
        utf8_auth.imap_login(imap, config.host, config.user, password)
    except imaplib.IMAP4.error:
        imap.shutdown()
        raise MailServerError(
            f"The IMAP server {where} refused the user name or password.", title="Login refused"
        ) from None
    except BaseException:
        imap.shutdown()
        raise
    return imap


def _xoauth2(imap: imaplib.IMAP4, config: ServerConfig, bearer: Bearer) -> None:
    """A refused token that looked valid gets one fresh token and one more try, then stops."""
    for fresh in (False, True):
        sasl = bearer.sasl(fresh=fresh).encode()
        try:
            # A failure comes as a JSON challenge first; the empty answer ends the exchange.
            imap.authenticate("XOAUTH2", _answer(sasl))
            return
        except imaplib.IMAP4.error:
            if fresh:
                raise MailServerError(
                    refused(config, bearer.user), title="Sign-in refused"
                ) from None


def _answer(sasl: bytes) -> Callable[[bytes], bytes]:
    return lambda challenge: b"" if challenge else sasl


def _open(config: ServerConfig) -> imaplib.IMAP4:
    if config.security == Security.SSL:
        return imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=tls.client_context(), timeout=TIMEOUT_S
        )
    imap = imaplib.IMAP4(config.host, config.port, timeout=TIMEOUT_S)
    if config.security == Security.STARTTLS:
        try:
            if "STARTTLS" not in imap.capabilities:
                # Never carry on in plain text: the login would expose the password.
                raise MailServerError(tls.no_starttls(config), title=tls.NO_STARTTLS_TITLE)
            imap.starttls(tls.client_context())
        except BaseException:
            # A failed handshake has already closed the socket: shutdown() then raises EBADF,
            # which must not hide why the handshake failed.
            with suppress(OSError):
                imap.shutdown()
            raise
    return imap


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _imap_date(day: date) -> str:
    # IMAP wants English month names whatever the machine's locale, so no strftime.
    return f"{day.day:02d}-{_MONTHS[day.month - 1]}-{day.year}"
