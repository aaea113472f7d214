"""Incoming mail as the tests place it in the IMAP inbox: replies, auto-replies and bounces."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

OURS = "recruiter@firm.example.com"


def reply(
    sender: str,
    in_reply_to: str | None,
    subject: str = "Re: Hello",
    text: str = "Yes, let's talk.",
    **headers: str,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = OURS
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="contact.example.com")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(text)
    return msg.as_bytes()


def dsn(
    failed: str | None, original_id: str | None, *, action: str = "failed", quote: str = "headers"
) -> bytes:
    """A Postfix-style delivery status notification (RFC 3464)."""
    recipient = (
        f"Final-Recipient: rfc822; {failed}\r\nAction: {action}\r\nStatus: 5.1.1\r\n"
        if failed
        else ""
    )
    original = f"From: {OURS}\r\nTo: {failed}\r\nSubject: Hello\r\n"
    if original_id:
        original += f"Message-ID: {original_id}\r\n"
    kind = "text/rfc822-headers" if quote == "headers" else "message/rfc822"
    if quote != "headers":
        original += "\r\nHi there\r\n"
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.firm.example.com>\r\n"
        f"To: {OURS}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.firm.example.com')}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.firm.example.com\r\n\r\n"
        f"{recipient}"
        f"\r\n--B\r\nContent-Type: {kind}\r\n\r\n{original}"
        "--B--\r\n"
    ).encode()
