"""Classifying incoming mail without a server: replies, auto-replies, bounces."""

from __future__ import annotations

from app.mail.inbound import Bounce, Reply, classify
from tests.mail import messages

OURS = messages.OURS


def test_a_reply_lists_what_it_answers_newest_first() -> None:
    raw = messages.reply(
        "Ada <ada@x.example.com>", None, In_Reply_To="<b@firm>", References="<a@firm> <b@firm>"
    )
    found = classify(raw, OURS)
    assert isinstance(found, Reply)
    assert found.sender == "ada@x.example.com"
    assert found.refers_to[0] == "<b@firm>"
    assert "<a@firm>" in found.refers_to
    assert found.text.startswith("Yes")


def test_automatic_mail_and_our_own_copies_are_not_replies() -> None:
    assert classify(messages.reply("a@x.example.com", None, Precedence="bulk"), OURS) is None
    assert classify(messages.reply("a@x.example.com", None, X_Autoreply="yes"), OURS) is None
    assert classify(messages.reply(OURS, None), OURS) is None


def test_a_dsn_names_the_failed_recipient_and_the_original() -> None:
    found = classify(messages.dsn("Bob@Gone.example.com", "<orig@firm>"), OURS)
    assert isinstance(found, Bounce)
    assert found.failed_recipients == ("bob@gone.example.com",)
    assert found.original_ids == ("<orig@firm>",)


def test_a_delay_report_is_not_a_bounce() -> None:
    assert classify(messages.dsn("bob@x.example.com", "<o@f>", action="delayed"), OURS) is None
