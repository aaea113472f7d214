"""Database URLs: the PostgreSQL password comes from the environment or the keyring, never the
URL. No server needed."""

from __future__ import annotations

import pytest
from keyring.backends import fail

from app.errors import InputError
from app.store.urls import (
    KEYRING_SERVICE,
    PASSWORD_ENV,
    keyring_entry,
    keyring_password,
    resolve_database_url,
)
from tests.keyring_fakes import MemoryKeyring, use_keyring

TEAM = "postgresql+psycopg://ana@db.firm.local/escapement"


def no_keyring(_service: str, _username: str) -> None:
    return None


def test_sqlite_urls_pass_through() -> None:
    url = resolve_database_url("sqlite:////tmp/x/escapement.db", environ={})
    assert (url.drivername, url.database) == ("sqlite", "/tmp/x/escapement.db")


def test_a_password_in_the_url_is_refused_without_repeating_it() -> None:
    with pytest.raises(InputError) as refused:
        resolve_database_url("postgresql://ana:hunter2@db.firm.local:6543/escapement", environ={})
    message = refused.value.message
    assert "hunter2" not in message
    assert "Use postgresql+psycopg://ana@db.firm.local:6543/escapement and" in message
    assert f'python -m keyring set {KEYRING_SERVICE} "ana@db.firm.local:6543/escapement"' in message
    assert PASSWORD_ENV in message


def test_the_environment_password_is_used() -> None:
    url = resolve_database_url(TEAM, environ={PASSWORD_ENV: "s3cret"}, lookup=no_keyring)
    assert url.password == "s3cret"
    assert "s3cret" not in str(url)


def test_the_keyring_password_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = MemoryKeyring()
    backend.set_password(KEYRING_SERVICE, "ana@db.firm.local/escapement", "from-keyring")
    use_keyring(monkeypatch, backend)
    assert resolve_database_url(TEAM, environ={}).password == "from-keyring"


def test_no_password_anywhere_connects_without_one(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keyring(monkeypatch, fail.Keyring())
    assert keyring_password(KEYRING_SERVICE, "ana@db.firm.local/escapement") is None
    assert resolve_database_url(TEAM, environ={}).password is None


def test_plain_postgresql_urls_get_the_shipped_driver() -> None:
    url = resolve_database_url("postgresql://ana@db/escapement", environ={}, lookup=no_keyring)
    assert url.drivername == "postgresql+psycopg"
    assert keyring_entry(url) == "ana@db/escapement"


@pytest.mark.parametrize("raw", ["mysql://ana@db/escapement", "not a url"])
def test_other_databases_are_refused(raw: str) -> None:
    with pytest.raises(InputError):
        resolve_database_url(raw, environ={})
