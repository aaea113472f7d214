"""The two parsers a recruiter types into: step templates and the sending window."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InputError
from app.mail import templates
from app.mail.window import SendingWindow, parse_window

VALUES = {"first_name": "Ada", "last_name": "Lovelace", "company": "", "title": "CFO"}


def test_placeholders_fallbacks_and_braces() -> None:
    out = templates.render("Hi {first_name}, {{not a field}} at {company|your company}", VALUES)
    assert out.text == "Hi Ada, {not a field} at your company"
    assert out.missing == ()
    assert templates.render("{title} at {company}", VALUES).missing == ("company",)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("Hi {firstname}", "Did you mean {first_name}"),
        ("Hi {first_name.upper}", "Unknown placeholder"),
        ("Hi {0}", "Unknown placeholder"),
        ("Hi {first_name", 'lone "{"'),
        ("Hi }", 'lone "}"'),
    ],
)
def test_unknown_placeholders_and_stray_braces_are_refused(template: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        templates.check(template, "body")


@given(st.text())
def test_any_text_either_renders_or_is_refused_cleanly(text: str) -> None:
    try:
        templates.check(text, "body")
    except InputError:
        return
    full = dict.fromkeys(templates.PLACEHOLDERS, "x")
    assert templates.render(text, full).missing == ()
    assert set(templates.render(text, {}).missing) <= set(templates.PLACEHOLDERS)


@given(st.text(alphabet=st.characters(blacklist_characters="{}")))
def test_text_without_braces_renders_as_itself(text: str) -> None:
    assert templates.render(text, VALUES).text == text


windows = st.builds(
    SendingWindow,
    days=st.frozensets(st.integers(0, 6), min_size=1),
    start=st.integers(0, 23 * 60),
    end=st.integers(1, 24 * 60),
    zone=st.sampled_from(["UTC", "Europe/London", "America/New_York", "Asia/Kolkata"]),
).filter(lambda w: w.start < w.end)


@given(windows)
def test_a_window_reads_back_as_itself(window: SendingWindow) -> None:
    assert parse_window(str(window)) == window


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("ALWAYS", "always"),
        ("monday-friday 9:00-17:30 UTC", "Mon-Fri 09:00-17:30 UTC"),
        ("Sat-Mon 10:00-12:00 UTC", "Mon,Sat-Sun 10:00-12:00 UTC"),
        ("Mon,Wed,Fri 08:00-24:00 Europe/Paris", "Mon,Wed,Fri 08:00-24:00 Europe/Paris"),
    ],
)
def test_windows_are_stored_in_one_form(text: str, canonical: str) -> None:
    assert str(parse_window(text)) == canonical


def test_always_allows_any_moment() -> None:
    assert parse_window("always").allows(datetime(2030, 1, 5, 3, 0, tzinfo=UTC))
