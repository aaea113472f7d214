"""Strict checks for what goes into a mail header or the SMTP envelope: the from and BCC
addresses, subjects, user names, and the contact addresses a message is sent to.

A value is refused where it is typed (an `InputError`), so one bad value cannot reach the
mail pass. Parsing is the standard library's RFC 5322 header parser (`email.headerregistry`)
for "Name <address>", then `email-validator` for the address itself and its IDNA form.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from email import policy
from email.errors import MessageError, NonASCIILocalPartDefect
from typing import TYPE_CHECKING

from app.errors import InputError

if TYPE_CHECKING:
    from email_validator import ValidatedEmail


class Unsendable(Exception):
    """A message that cannot go to this contact as things are; `reason` is user-ready."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Mailbox:
    name: str
    #: Lower-cased, as the app stores every address; the domain in its Unicode form.
    address: str


def one_line(text: str, what: str) -> str:
    """`text` unchanged, or an InputError when it would break a header or a protocol line:
    any line break Python's email package folds on, NUL, another control character, or a
    lone surrogate (undecodable bytes from a terminal, which no database or server takes)."""
    if not is_one_line(text):
        raise InputError(f"{what} must be one line of text, without line breaks or control codes.")
    return text


def is_one_line(text: str) -> bool:
    if text.isprintable():
        return True
    # splitlines() knows every separator the email package splits headers on (\x1c, \u2028...).
    if len(f"x{text}x".splitlines()) > 1:
        return False
    return not any(
        (ord(c) < 32 and c != "\t") or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in text
    )


def one_mailbox(text: str, what: str, unusable: str, *, smtputf8: bool = False) -> Mailbox:
    """Exactly one address, optionally with a name: "Jane Doe <jane@firm.com>" or a bare
    address. Two addresses, a group, or text outside the angle brackets are refused, so what
    is stored is what was typed. `what` names the field ("The BCC address"); `unusable` ends
    the refusal of text with no usable address in it. `smtputf8`: a non-ASCII local part is
    allowed."""
    one_line(text, what)
    shown = text.strip()
    try:
        header = policy.default.header_factory("to", shown)
        groups = header.groups
        found = [a for g in groups for a in g.addresses]
        addr_spec = found[0].addr_spec if found else ""
    except (IndexError, ValueError, MessageError):
        # The stdlib parser fails on some malformed text (a lone '"' raises IndexError).
        raise InputError(f'{what}: "{shown}" {unusable}') from None
    defects = [d for d in header.defects if not isinstance(d, NonASCIILocalPartDefect)]
    if len(found) > 1:
        raise InputError(f'{what}: give exactly one address, not "{shown}".')
    if defects or len(found) != 1 or len(groups) != 1 or groups[0].display_name is not None:
        raise InputError(f'{what}: "{shown}" {unusable}')
    one = found[0]
    checked = _validate(addr_spec, f'{what}: "{shown}" {unusable}', smtputf8=smtputf8)
    return Mailbox(" ".join(one.display_name.split())[:200], checked.normalized.lower())


def _checked(address: str, *, smtputf8: bool) -> ValidatedEmail:
    """Syntax, length and IDNA only: no DNS. Imported here because compiling its patterns
    takes about 70 ms, which the window's first paint should not wait for."""
    from email_validator import validate_email

    return validate_email(address, check_deliverability=False, allow_smtputf8=smtputf8)


def _validate(address: str, refusal: str, *, smtputf8: bool) -> ValidatedEmail:
    from email_validator import EmailNotValidError

    try:
        return _checked(address, smtputf8=smtputf8)
    except EmailNotValidError as exc:
        if not smtputf8 and not address.partition("@")[0].isascii():
            raise InputError(
                f"{refusal.partition(':')[0]}: {address} has letters outside A-Z before the @, "
                "which many mail servers cannot take. Use an address in plain ASCII letters."
            ) from None
        raise InputError(f"{refusal} {exc}") from None


def envelope(address: str, *, smtputf8: bool, host: str) -> str:
    """How `address` is written in the SMTP envelope and the To header: an IDN domain in its
    ASCII (IDNA) form; a non-ASCII local part only when the server offers SMTPUTF8."""
    if address.isascii():
        return address
    from email_validator import EmailNotValidError

    try:
        checked = _checked(address, smtputf8=True)
    except EmailNotValidError as exc:
        raise Unsendable(f"{address} is not a usable address: {exc}") from None
    if checked.ascii_email is not None:
        return checked.ascii_email
    if smtputf8:
        return checked.normalized
    raise Unsendable(
        f"{address} has letters outside A-Z before the @, and the SMTP server {host} does not "
        "offer SMTPUTF8, which such an address needs. Ask the contact for another address."
    )


def import_note(address: str) -> tuple[bool, str | None]:
    """For a CSV row's (already cleaned) address: (ok, note). Not ok: it can never be sent;
    a note: it can be sent only through a server that offers SMTPUTF8."""
    if address.isascii():
        return True, None
    from email_validator import EmailNotValidError

    try:
        checked = _checked(address, smtputf8=True)
    except EmailNotValidError as exc:
        return False, f'invalid email "{address}": {exc}'
    if checked.ascii_email is not None:
        return True, None  # an IDN domain only: sent in its ASCII form, by every server
    return True, (
        f"{address} has letters outside A-Z before the @: it is mailed only if your SMTP "
        "server offers SMTPUTF8 (Gmail and Microsoft 365 do); otherwise that contact's "
        "emails fail with that reason."
    )


def is_loopback(host: str) -> bool:
    """This computer only: nothing sent to it crosses a network. Names are not looked up."""
    name = host.strip().lower().rstrip(".").strip("[]")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
