"""Strict address and header checks (app/mail/addresses.py) and the message made from them
(app/mail/letter.py): what is refused at input, and that what is accepted builds safely."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InputError
from app.mail.addresses import (
    Unsendable,
    envelope,
    import_note,
    is_loopback,
    is_one_line,
    one_line,
    one_mailbox,
)
from app.mail.compose import Outgoing
from app.mail.letter import prepare

ATTACKS = [
    # The display name looks like an address; the address in brackets is someone else's.
    "pendulum-1@firm.clockworkrecruiting.com <attacker@evil.com>",
    "Ada <ada@firm.com>, Eve <eve@evil.com>",
    "ada@firm.com, eve@evil.com",
    "ada@firm.com eve@evil.com",
    "Ada <ada@firm.com> eve@evil.com",
    "Ada <ada@firm.com",
    "team: ada@firm.com, eve@evil.com;",
    "ada@firm.com\r\nBcc: eve@evil.com",
    "ada@firm.com\nBcc: eve@evil.com",
    "Ada\u2028<ada@firm.com>",
    "ada@firm.com\x00",
    "Ada <@evil.com:ada@firm.com>",
    "",
    "Ada Lovelace",
    "josé@firm.com",
    '"',  # the stdlib parser raises IndexError on it
]


@pytest.mark.parametrize("text", ATTACKS)
def test_anything_but_exactly_one_address_is_refused(text: str) -> None:
    with pytest.raises(InputError) as refused:
        one_mailbox(text, "The BCC address", "is not an email address.")
    message = str(refused.value)
    assert message.startswith("The BCC address")
    assert "\n" not in message
    assert "\r" not in message


@pytest.mark.parametrize(
    ("text", "name", "address"),
    [
        ("ada@firm.com", "", "ada@firm.com"),
        ("  Ada@Firm.COM ", "", "ada@firm.com"),
        ("<ada@firm.com>", "", "ada@firm.com"),
        ("Ada Lovelace <ada@firm.com>", "Ada Lovelace", "ada@firm.com"),
        ('"Lovelace, Ada" <ada@firm.com>', "Lovelace, Ada", "ada@firm.com"),
        ("José Núñez <jose@bücher.example>", "José Núñez", "jose@bücher.example"),
        ("ada@xn--bcher-kva.example", "", "ada@bücher.example"),
    ],
)
def test_one_address_is_stored_as_parsed(text: str, name: str, address: str) -> None:
    mailbox = one_mailbox(text, "The from address", "has no usable address.")
    assert (mailbox.name, mailbox.address) == (name, address)


@given(st.text(max_size=80))
@settings(max_examples=400)
def test_a_typed_address_is_refused_or_is_the_one_in_the_text(text: str) -> None:
    mailbox, refusal = attempt(
        lambda: one_mailbox(text, "The from address", "has no usable address.")
    )
    if mailbox is None:
        assert "\n" not in refusal
        return
    assert is_one_line(mailbox.name)
    # No second address hides anywhere in what was typed.
    assert text.count("@") == 1
    local, _domain = mailbox.address.split("@")
    assert local.isascii()
    assert local in text.lower()


def attempt[T](work: Callable[[], T]) -> tuple[T | None, str]:
    """The result, or None and the one-line message of the InputError or Unsendable."""
    try:
        return work(), ""
    except InputError as exc:
        return None, exc.message
    except Unsendable as exc:
        return None, exc.reason


@given(st.text(max_size=60))
@settings(max_examples=400)
def test_one_line_accepts_only_what_cannot_break_a_header(text: str) -> None:
    accepted, _ = attempt(lambda: one_line(text, "A subject"))
    if accepted is None:
        assert not is_one_line(text)
        return
    assert "\r" not in text
    assert "\n" not in text
    assert "\0" not in text
    assert len(f"x{text}x".splitlines()) == 1


def outgoing(**changes: str) -> Outgoing:
    values = {
        "from_name": "Rita Recruiter",
        "from_address": "rita@firm.example.com",
        "to_name": "Ada Lovelace",
        "to_address": "ada@contacts.example.com",
        "subject": "A CFO role",
        "body": "Hello",
    }
    values.update(changes)
    return Outgoing(
        **values, message_id="<1.2@firm.example.com>", date=datetime(2030, 1, 7, tzinfo=UTC)
    )


@given(subject=st.text(max_size=120), name=st.text(max_size=40))
@settings(max_examples=400)
def test_a_message_is_made_whole_or_refused_for_that_contact(subject: str, name: str) -> None:
    """Whatever reached the database before input was checked: the message either parses back
    with one of each header and nothing injected, or the contact fails with a reason."""
    mail = outgoing(subject=subject, to_name=name)
    letter, refusal = attempt(lambda: prepare(mail, None, smtputf8=False, host="smtp.example"))
    if letter is None:
        assert "\n" not in refusal
        return
    parsed = message_from_bytes(letter.data, policy=policy.default)
    head = letter.data.split(b"\n\n", 1)[0]
    assert b"\0" not in head
    assert b"\r" not in head
    for header in ("From", "To", "Subject", "Message-ID", "Date"):
        assert len(parsed.get_all(header) or []) == 1, header
    assert parsed.get_all("Bcc") is None
    assert " ".join(str(parsed["Subject"]).split()) == " ".join(subject.split())
    assert parsed["To"].addresses[0].addr_spec == "ada@contacts.example.com"


def test_an_idn_domain_goes_in_ascii_and_a_non_ascii_local_part_needs_smtputf8() -> None:
    assert envelope("bob@bücher.example", smtputf8=False, host="h") == "bob@xn--bcher-kva.example"
    assert envelope("josé@bücher.example", smtputf8=True, host="h") == "josé@bücher.example"
    with pytest.raises(Unsendable, match="does not offer SMTPUTF8"):
        envelope("josé@bücher.example", smtputf8=False, host="smtp.firm.example")


def test_the_import_accepts_idn_domains_flags_utf8_local_parts_and_refuses_the_unsendable() -> None:
    assert import_note("ada@firm.example") == (True, None)
    assert import_note("bob@bücher.example") == (True, None)
    ok, note = import_note("josé@bücher.example")
    assert ok
    assert "SMTPUTF8" in (note or "")
    ok, note = import_note("bob@x\u00adz.com")  # a soft hyphen: no server can route it
    assert not ok
    assert "invalid email" in (note or "")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("mail.localhost", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("smtp.firm.example.com", False),
        ("10.0.0.5", False),
        ("localhost.evil.com", False),
        ("127.0.0.1.evil.com", False),
    ],
)
def test_loopback_is_this_computer_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
