"""One sequence email as an RFC 5322 message: headers, threading and the Message-ID."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


@dataclass(frozen=True, slots=True)
class Outgoing:
    from_name: str
    from_address: str
    to_name: str
    to_address: str
    subject: str
    body: str
    message_id: str
    date: datetime
    #: Message-IDs of the earlier emails of the thread, oldest first; empty for a new thread.
    thread: tuple[str, ...] = ()


def new_message_id(from_address: str) -> str:
    # The sender's domain, not this machine's host name, which make_msgid would otherwise leak.
    return make_msgid(domain=from_address.rpartition("@")[2] or "escapement.invalid")


def build(mail: Outgoing) -> EmailMessage:
    """The message as sent. There is deliberately no Bcc header: the BCC goes in the SMTP
    envelope only, so the contact never sees the Pendulum address."""
    msg = EmailMessage()
    msg["From"] = _address(mail.from_name, mail.from_address)
    msg["To"] = _address(mail.to_name, mail.to_address)
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(mail.date)
    msg["Message-ID"] = mail.message_id
    # RFC 2369: mail programs offer an "unsubscribe" button that writes to us; the inbox pass
    # reads that as an opt-out. No RFC 8058 one-click: a desktop app has no web server.
    msg["List-Unsubscribe"] = f"<mailto:{mail.from_address}?subject=unsubscribe>"
    if mail.thread:
        msg["In-Reply-To"] = mail.thread[-1]
        msg["References"] = " ".join(mail.thread)
    msg.set_content(mail.body)
    return msg


def _address(name: str, address: str) -> Address:
    local, _, domain = address.partition("@")
    return Address(display_name=name, username=local, domain=domain)


def reply_subject(subject: str) -> str:
    """ "Re: " once, however many the thread's first subject already had."""
    stripped = subject
    while stripped[:3].lower() == "re:":
        stripped = stripped[3:].lstrip()
    return f"Re: {stripped}"
