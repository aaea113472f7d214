"""No password anywhere in a PostgreSQL URL, and no URL echoed with one."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import make_url

from app.clockwork.redact import redact
from app.errors import InputError
from app.store.urls import describe, resolve_database_url, secrets_in_url
from main import main
from tests.redaction import secrets_forgotten_after

SECRET = "Hunter2-s3cret!"
_KEYS = ["password", "PASSWORD", "Password", "sslpassword", "SSLPassword", " password"]


def _percent_encoded(key: str) -> str:
    return "".join(f"%{ord(c):02X}" if i % 2 else c for i, c in enumerate(key))


URLS = [
    f"postgresql://ana:{quote(SECRET, safe='')}@db.example.com/escapement",
    *(f"postgresql://ana@db.example.com/escapement?{quote(k)}={quote(SECRET)}" for k in _KEYS),
    f"postgresql://ana@h/escapement?{_percent_encoded('password')}={quote(SECRET)}",
    f"postgresql://ana@h/escapement?sslmode=require&password={quote(SECRET)}",
    f"postgresql://ana@h/escapement?password=x&password={quote(SECRET)}",
    f"postgresql://ana@h/escapement?dbname={quote('host=h password=' + SECRET)}",
    f"postgresql://ana@h/escapement?dbname={quote('postgresql://ana:' + SECRET + '@h/db')}",
    f"postgres://ana@h/escapement?service=x&Password={quote(SECRET)}",
]


@pytest.fixture(autouse=True, scope="module")
def forget_test_secrets() -> Iterator[None]:
    with secrets_forgotten_after():
        yield


def no_keyring(_service: str, _user: str) -> str | None:
    return None


@pytest.mark.parametrize("url", URLS)
def test_a_password_anywhere_in_the_url_is_refused_and_never_echoed(url: str) -> None:
    with pytest.raises(InputError) as caught:
        resolve_database_url(url, environ={}, lookup=no_keyring)
    assert caught.value.exit_code == 2
    assert "Do not put the database password in the URL" in caught.value.message
    assert SECRET not in caught.value.message
    assert quote(SECRET, safe="") not in caught.value.message
    # Registered as a secret: masked wherever it shows up later.
    assert redact(f"connecting with {SECRET}") == "connecting with ***"


@pytest.mark.parametrize("url", URLS[:4])
def test_the_cli_gives_one_line_without_the_secret(
    url: str, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(tmp_path), "--database-url", url, "status"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert SECRET not in err
    assert quote(SECRET, safe="") not in err


def test_harmless_parameters_are_kept_and_shown() -> None:
    url = resolve_database_url(
        "postgresql://ana@h/escapement?sslmode=require&passfile=/home/ana/.pgpass",
        environ={},
        lookup=no_keyring,
    )
    assert secrets_in_url(url) == []
    assert describe(url) == (
        "postgresql+psycopg://ana@h/escapement?passfile=%2Fhome%2Fana%2F.pgpass&sslmode=require"
    )


def test_describe_masks_every_secret_it_finds() -> None:
    url = make_url(f"postgresql://ana:{SECRET}@h/db?sslpassword={SECRET}&sslmode=require")
    shown = describe(url)
    assert SECRET not in shown
    assert "sslmode=require" in shown


@settings(max_examples=60)
@given(
    key=st.sampled_from(["password", "sslpassword"]).map(
        lambda k: "".join(c.upper() if flip else c for c, flip in zip(k, [1, 0] * 8, strict=False))
    ),
    value=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=8,
        max_size=30,
    ),
)
def test_any_case_and_value_is_refused(key: str, value: str) -> None:
    def refusal(secret: str) -> str:
        url = f"postgresql://ana@h/escapement?{quote(key)}={quote(secret, safe='')}"
        with pytest.raises(InputError) as caught:
            resolve_database_url(url, environ={}, lookup=no_keyring)
        return caught.value.message

    # The message does not depend on the secret at all, so no part of it can leak. (A plain
    # "not in" fails when the value happens to be words of the message, such as "the data".)
    assert refusal(value) == refusal("0" * 8)
