"""One email made ready for SMTP: the message's bytes and its envelope, or `Unsendable` with
the reason. Everything that can fail for one contact fails here, before a byte is sent."""

from __future__ import annotations

from dataclasses import dataclass, replace
from email import policy
from email.errors import MessageError

from app.mail.addresses import Unsendable, envelope, is_one_line
from app.mail.compose import Outgoing, build


@dataclass(frozen=True, slots=True)
class Letter:
    data: bytes
    sender: str
    recipient: str
    bcc: str | None
    #: The envelope or the headers hold UTF-8 addresses: MAIL FROM must ask for SMTPUTF8.
    smtputf8: bool = False


def sender_and_bcc(sender: str, bcc: str | None, *, smtputf8: bool, host: str) -> None:
    """Raises Unsendable when the settings' own addresses cannot go: every email would fail."""
    envelope(sender, smtputf8=smtputf8, host=host)
    if bcc:
        envelope(bcc, smtputf8=smtputf8, host=host)


def prepare(mail: Outgoing, bcc: str | None, *, smtputf8: bool, host: str) -> Letter:
    sender = envelope(mail.from_address, smtputf8=smtputf8, host=host)
    recipient = envelope(mail.to_address, smtputf8=smtputf8, host=host)
    blind = envelope(bcc, smtputf8=smtputf8, host=host) if bcc else None
    utf8 = not (sender + recipient + (blind or "")).isascii()
    if not all(is_one_line(text) for text in (mail.subject, mail.to_name, mail.from_name)):
        raise Unsendable(
            f"The email to {mail.to_address} could not be made: the subject or a name has a "
            "line break or a control code. Check the step's subject and the contact's name."
        )
    try:
        msg = build(replace(mail, from_address=sender, to_address=recipient))
        data = msg.as_bytes(policy=policy.SMTPUTF8 if utf8 else msg.policy)
    except (ValueError, MessageError) as exc:
        # A header the email package refuses (a line break in a subject or a name that
        # reached the database before it was checked at input): this contact only.
        raise Unsendable(
            f"The email to {mail.to_address} could not be made ({exc}). "
            "Check the step's subject and the contact's name."
        ) from None
    return Letter(data, sender, recipient, blind, utf8)
