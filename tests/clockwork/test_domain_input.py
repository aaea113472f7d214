"""The Clockwork Domain parser decides which host receives the credentials."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.clockwork.domain_input import (
    InvalidApiOrigin,
    InvalidDomain,
    base_url,
    loopback_origin,
    parse_firm,
)
from app.errors import InputError

FIRM_RE = re.compile(r"^[a-z0-9](-?[a-z0-9])*$")


@pytest.mark.parametrize(
    ("text", "firm"),
    [
        ("acme", "acme"),
        ("  ACME  ", "acme"),
        ("acme/", "acme"),
        ("acme-search", "acme-search"),
        ("a1", "a1"),
        ("acme.clockworkrecruiting.com", "acme"),
        ("Acme.ClockworkRecruiting.com/", "acme"),
        ("acme.clockworkrecruiting.com/people/12", "acme"),
        ("https://acme.clockworkrecruiting.com", "acme"),
        ("https://acme.clockworkrecruiting.com/", "acme"),
        ("http://acme.clockworkrecruiting.com//", "acme"),
        ("HTTPS://ACME.CLOCKWORKRECRUITING.COM/projects/4?tab=pipeline#top", "acme"),
        ("\thttps://acme.clockworkrecruiting.com/anything\n", "acme"),
    ],
)
def test_accepted_forms(text: str, firm: str) -> None:
    assert parse_firm(text) == firm


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "acme.clockworkrecruiting.com.evil.com",
        "https://acme.clockworkrecruiting.com.evil.com/",
        "evil.com/acme.clockworkrecruiting.com",
        "https://evil.com/acme.clockworkrecruiting.com",
        "https://evil.com?acme.clockworkrecruiting.com",
        "https://evil.com#.clockworkrecruiting.com",
        "user@acme.clockworkrecruiting.com",
        "https://user:pw@acme.clockworkrecruiting.com",
        "https://acme.clockworkrecruiting.com@evil.com",
        "https://acme.clockworkrecruiting.com\\@evil.com",
        "https://acme.clockworkrecruiting.com:8443/",
        "acme.clockworkrecruiting.com:443",
        "ftp://acme.clockworkrecruiting.com",
        "javascript://acme.clockworkrecruiting.com",
        "https://clockworkrecruiting.com",
        "https://.clockworkrecruiting.com",
        "https://a.b.clockworkrecruiting.com",
        "https://[::1]/acme.clockworkrecruiting.com",
        "https://[acme.clockworkrecruiting.com",
        "acme/../x",
        "acme/x",
        "../acme",
        "acme?x=1",
        "acme#",
        "acme%2F",
        "%2Facme",
        "acme x",
        "ac\u200bme",
        "ac\nme",
        "acme\x00",
        "\u212acme",  # KELVIN SIGN lower-cases to an ASCII k
        "acmé",
        "-acme",
        "acme-",
        "ac--me",
        "ac_me",
        "ac.me",
        "a" * 64,
        "https://" + "a" * 64 + ".clockworkrecruiting.com",
        "a" * 5000,
    ],
)
def test_refused_forms(text: str) -> None:
    with pytest.raises(InvalidDomain) as info:
        parse_firm(text)
    error = info.value
    assert isinstance(error, InputError)
    assert error.exit_code == 2
    assert error.title == "Invalid Clockwork Domain"
    assert len(error.message) < 400  # a pasted novel is not echoed back


def test_refusal_messages_say_what_is_wrong() -> None:
    with pytest.raises(InvalidDomain, match="user name or password"):
        parse_firm("https://u@acme.clockworkrecruiting.com")
    with pytest.raises(InvalidDomain, match="port"):
        parse_firm("acme.clockworkrecruiting.com:8080")
    with pytest.raises(InvalidDomain, match="not a Clockwork address"):
        parse_firm("https://acme.example.com")
    with pytest.raises(InvalidDomain, match="empty"):
        parse_firm(" ")


def test_base_url_default_host() -> None:
    assert base_url("acme") == "https://api.clockworkrecruiting.com/v3.0/acme"
    assert base_url("acme", None) == "https://api.clockworkrecruiting.com/v3.0/acme"


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/v3.0/acme"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765/v3.0/acme"),
        ("http://127.5.6.7:1", "http://127.5.6.7:1/v3.0/acme"),
        ("https://localhost", "https://localhost/v3.0/acme"),
        ("http://LOCALHOST:9000", "http://localhost:9000/v3.0/acme"),
        ("http://[::1]:8765", "http://[::1]:8765/v3.0/acme"),
    ],
)
def test_loopback_override_replaces_only_the_origin(override: str, expected: str) -> None:
    assert base_url("acme", override) == expected


@pytest.mark.parametrize(
    "override",
    [
        "http://api.clockworkrecruiting.com",
        "http://evil.com:8765",
        "http://10.0.0.1:8765",
        "http://0.0.0.0:8765",
        "http://128.0.0.1",
        "http://localhost.evil.com",
        "http://127.0.0.1.evil.com",
        "http://user@127.0.0.1:8765",
        "http://127.0.0.1@evil.com",
        "http://127.0.0.1:8765/v3.0/other",
        "http://127.0.0.1:8765?x=1",
        "http://127.0.0.1:99999",
        "file:///etc/passwd",
        "127.0.0.1:8765",
        "",
        "http://[::1",
    ],
)
def test_non_loopback_override_is_refused(override: str) -> None:
    with pytest.raises(InvalidApiOrigin):
        base_url("acme", override)


def test_base_url_rechecks_the_firm() -> None:
    with pytest.raises(InvalidDomain):
        base_url("evil.com/x")
    with pytest.raises(InvalidDomain):
        base_url("../x", "http://127.0.0.1:1")


def test_loopback_origin_normalises() -> None:
    assert loopback_origin(" http://127.0.0.1:8765/ ") == "http://127.0.0.1:8765"


def _hostish() -> st.SearchStrategy[str]:
    """Text shaped like what users paste, plus hostile variations of it."""
    label = st.from_regex(r"[A-Za-z0-9\-_.%@:/?#\\ ]{0,20}", fullmatch=True)
    return st.builds(
        lambda scheme, left, host, right: f"{scheme}{left}{host}{right}",
        st.sampled_from(["", "https://", "http://", "HTTPS://", "ftp://", "//"]),
        label,
        st.sampled_from(["", ".clockworkrecruiting.com", "clockworkrecruiting.com", ".evil.com"]),
        label,
    )


@given(st.one_of(st.text(max_size=80), _hostish()))
@example("acme.clockworkrecruiting.com")
@example("https://acme.clockworkrecruiting.com.evil.com")
def test_any_text_gives_a_safe_firm_or_is_refused(text: str) -> None:
    try:
        firm = parse_firm(text)
    except InvalidDomain:
        return
    assert FIRM_RE.fullmatch(firm)
    assert len(firm) <= 63
    parts = urlsplit(base_url(firm))
    assert parts.scheme == "https"
    assert parts.netloc == "api.clockworkrecruiting.com"
    assert parts.hostname == "api.clockworkrecruiting.com"
    assert parts.path == f"/v3.0/{firm}"


@given(st.text(max_size=60))
def test_any_override_is_loopback_or_refused(text: str) -> None:
    try:
        url = base_url("acme", text)
    except InvalidApiOrigin:
        return
    host = urlsplit(url).hostname
    assert host == "localhost" or host == "::1" or (host or "").startswith("127.")
