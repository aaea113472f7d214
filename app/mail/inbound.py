"""What an incoming message is to a sequence: a reply, a bounce (a delivery status
notification), or nothing. Pure parsing, no database: `replies.py` matches the result."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import HeaderParser
from email.utils import parseaddr

_MSGID = re.compile(r"<[^<>\s]+>")
_MAILER_DAEMONS = ("mailer-daemon@", "postmaster@")
#: Header values by which auto-responders (out of office, vacation) mark their mail.
_AUTO_PRECEDENCE = ("auto_reply", "bulk", "junk", "list")
BODY_LIMIT = 4000


@dataclass(frozen=True, slots=True)
class Reply:
    message_id: str | None
    sender: str
    subject: str
    #: Message-IDs it answers (In-Reply-To, then References), newest first.
    refers_to: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Bounce:
    message_id: str | None
    subject: str
    #: Message-IDs of the mail that bounced, when the report quotes it.
    original_ids: tuple[str, ...]
    failed_recipients: tuple[str, ...]


def classify(raw: bytes, own_address: str) -> Reply | Bounce | None:
    msg = message_from_bytes(raw, policy=policy.compat32)
    sender = parseaddr(str(msg.get("From", "")))[1].strip().lower()
    if _is_report(msg) or sender.startswith(_MAILER_DAEMONS):
        return _bounce(msg)
    if not sender or sender == own_address.lower() or _is_automatic(msg):
        # Out-of-office answers must not stop a sequence; our own copies are not replies.
        return None
    refs = _ids(msg.get("In-Reply-To")) + tuple(reversed(_ids(msg.get("References"))))
    return Reply(
        message_id=_first_id(msg.get("Message-ID")),
        sender=sender,
        subject=_header(msg, "Subject"),
        refers_to=tuple(dict.fromkeys(refs)),
        text=_text(msg)[:BODY_LIMIT],
    )


def _is_report(msg: Message) -> bool:
    return msg.get_content_type() == "multipart/report" and (
        str(msg.get_param("report-type", "")).lower() == "delivery-status"
    )


def _is_automatic(msg: Message) -> bool:
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(msg.get("Precedence", "")).strip().lower()
    return (
        auto != "no"
        or precedence in _AUTO_PRECEDENCE
        or any(msg.get(h) for h in ("X-Autoreply", "X-Autorespond"))
    )


def _bounce(msg: Message) -> Bounce | None:
    failed: list[str] = []
    originals: list[str] = []
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            failed.extend(_failed_recipients(part))
        elif kind == "text/rfc822-headers":
            quoted = HeaderParser().parsestr(_decoded(part))
            originals.extend(_ids(quoted.get("Message-ID")))
        elif kind == "message/rfc822":
            for quoted_msg in _parts(part):
                originals.extend(_ids(quoted_msg.get("Message-ID")))
    if _is_report(msg) and not failed:
        return None  # a "delayed" or "delivered" report: nothing bounced yet
    if not failed and not originals:
        return None
    return Bounce(
        message_id=_first_id(msg.get("Message-ID")),
        subject=_header(msg, "Subject"),
        original_ids=tuple(dict.fromkeys(originals)),
        failed_recipients=tuple(dict.fromkeys(failed)),
    )


def _failed_recipients(part: Message) -> list[str]:
    """Final-Recipient of each per-recipient block whose Action is "failed"."""
    found: list[str] = []
    for block in _parts(part):
        if str(block.get("Action", "")).strip().lower() != "failed":
            continue
        recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
        address = recipient.rpartition(";")[2].strip().strip("<>").lower()
        if "@" in address:
            found.append(address)
    return found


def _parts(part: Message) -> list[Message]:
    """The messages inside a message/* part: the quoted original, or a report's blocks."""
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _ids(value: object) -> tuple[str, ...]:
    return tuple(_MSGID.findall(str(value))) if value else ()


def _first_id(value: object) -> str | None:
    found = _ids(value)
    return found[0] if found else None


def _header(msg: Message, name: str) -> str:
    value = msg.get(name)
    if value is None:
        return ""
    return " ".join(str(make_header(decode_header(str(value)))).split())[:500]


def _text(msg: Message) -> str:
    """The first text/plain part, decoded; the reply's own words for an opted-in note."""
    for part in msg.walk():
        if (
            part.get_content_type() == "text/plain"
            and part.get_content_disposition() != "attachment"
        ):
            return _decoded(part).strip()
    return ""


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload())
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")
