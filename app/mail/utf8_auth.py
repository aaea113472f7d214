"""Password logins to SMTP and IMAP that also work for a non-ASCII user name or password.

smtplib and imaplib encode LOGIN and AUTH as ASCII and raise UnicodeEncodeError otherwise.
SASL PLAIN (RFC 4616) is UTF-8 by definition, so for such credentials we send AUTH PLAIN
ourselves (SMTP AUTH LOGIN as a second choice), or say in one line why we cannot.
"""

from __future__ import annotations

import base64
import imaplib
import smtplib

from app.errors import EscapementError


class LoginError(EscapementError):
    title = "Login problem"


def smtp_login(smtp: smtplib.SMTP, host: str, user: str, password: str) -> None:
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    raw_user, raw_password = _utf8(user, password, "SMTP")
    smtp.ehlo_or_helo_if_needed()
    offered = (smtp.esmtp_features.get("auth") or "").upper().split()
    if "PLAIN" in offered:
        code, reply = smtp.docmd("AUTH", "PLAIN " + _b64(b"\0" + raw_user + b"\0" + raw_password))
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN " + _b64(raw_user))
        if code == 334:
            code, reply = smtp.docmd(_b64(raw_password))
    else:
        raise LoginError(_no_utf8_mechanism("SMTP", host))
    if code not in (235, 503):  # 503: already authenticated, as smtplib.login accepts too
        raise smtplib.SMTPAuthenticationError(code, reply)


def imap_login(imap: imaplib.IMAP4, host: str, user: str, password: str) -> None:
    if user.isascii() and password.isascii():
        imap.login(user, password)
        return
    raw_user, raw_password = _utf8(user, password, "IMAP")
    if "AUTH=PLAIN" not in imap.capabilities:
        raise LoginError(_no_utf8_mechanism("IMAP", host))
    imap.authenticate("PLAIN", lambda _challenge: b"\0" + raw_user + b"\0" + raw_password)


def _utf8(user: str, password: str, protocol: str) -> tuple[bytes, bytes]:
    try:
        raw_user, raw_password = user.encode("utf-8"), password.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates, from a terminal that could not decode what was typed.
        raise LoginError(
            f"The {protocol} user name or password has characters that are not valid text. "
            "Type it again."
        ) from None
    if b"\0" in raw_user + raw_password:
        raise LoginError(f"The {protocol} user name or password contains a NUL character.")
    return raw_user, raw_password


def _no_utf8_mechanism(protocol: str, host: str) -> str:
    return (
        f"The {protocol} server {host} offers no login that accepts a user name or password "
        "with letters outside A-Z (it would need AUTH PLAIN). Use a plain ASCII password."
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
