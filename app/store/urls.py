"""Database URLs: a SQLite file, or a team's PostgreSQL whose password never sits in the clear.

The password of a PostgreSQL URL comes from ESCAPEMENT_DATABASE_PASSWORD or from the keyring
(service `escapement-db`, username `user@host[:port]/database`), never from the URL itself:
a URL is typed on command lines, kept in shell history and shown in process lists.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping

from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.clockwork.redact import register_secret
from app.errors import InputError
from app.secrets import is_usable

log = logging.getLogger(__name__)

PASSWORD_ENV = "ESCAPEMENT_DATABASE_PASSWORD"
KEYRING_SERVICE = "escapement-db"
#: SQLAlchemy names psycopg 3, the driver Escapement ships, explicitly.
_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}
_SUPPORTED = ("sqlite", "postgresql")

#: libpq parameters whose value is a secret (passfile and sslkey are paths, not secrets).
_SECRET_PARAMS = frozenset({"password", "sslpassword"})
_CONNINFO_PASSWORD = re.compile(r"(?i)\b(ssl)?password\s*=")
_URI_PASSWORD = re.compile(r"(?i)^postgres(ql)?://[^/@]*:[^/@]*@")

PasswordLookup = Callable[[str, str], str | None]


def resolve_database_url(
    url: str | URL,
    *,
    environ: Mapping[str, str] | None = None,
    lookup: PasswordLookup | None = None,
) -> URL:
    """The URL to connect with: PostgreSQL gets psycopg and its password from env/keyring."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() != "postgresql":
        return parsed
    secrets = secrets_in_url(parsed)
    if secrets:
        for secret in secrets:
            for part in _with_passwords_inside(secret):
                register_secret(part)  # masked in any log line or message from here on
        raise InputError(_password_in_url(parsed), title="Password in the database URL")
    env = os.environ if environ is None else environ
    password = env.get(PASSWORD_ENV) or (lookup or keyring_password)(
        KEYRING_SERVICE, keyring_entry(parsed)
    )
    if not password:
        return parsed
    register_secret(password)
    return parsed.set(password=password)


def parse_database_url(url: str | URL) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(
            "That database URL is not valid; use e.g. postgresql+psycopg://user@host/escapement."
        ) from None
    parsed = parsed.set(drivername=_DRIVERS.get(parsed.drivername, parsed.drivername))
    if parsed.get_backend_name() not in _SUPPORTED:
        raise InputError(
            f"Escapement works with SQLite and PostgreSQL, not {parsed.get_backend_name()}."
        )
    return parsed


def secrets_in_url(url: URL) -> list[str]:
    """Every password the URL carries: in its user-info, or in a query parameter under any
    spelling (libpq's `password` and `sslpassword`, in any case; SQLAlchemy has already
    decoded percent-encoded names), or inside a value libpq expands as a connection string
    (`dbname=host=... password=...`, `dbname=postgresql://user:pw@...`)."""
    found = [url.password] if url.password else []
    for key, values in url.query.items():
        for value in _values(values):
            if (
                key.strip().lower() in _SECRET_PARAMS
                or _CONNINFO_PASSWORD.search(value)
                or _URI_PASSWORD.search(value)
            ):
                found.append(value)
    return [value for value in found if value]


def keyring_entry(url: URL) -> str:
    """The keyring username of a PostgreSQL URL's password: `user@host[:port]/database`."""
    port = f":{url.port}" if url.port else ""
    return f"{url.username or ''}@{url.host or 'localhost'}{port}/{url.database or ''}"


def describe(url: URL) -> str:
    """The URL with any password masked, in user-info or query, fit for messages and logs."""
    masked = {
        key: "***" if any(secret in _values(value) for secret in secrets_in_url(url)) else value
        for key, value in url.query.items()
    }
    return url.set(query=masked).render_as_string(hide_password=True)


def _with_passwords_inside(secret: str) -> list[str]:
    """The secret, and the passwords inside it when it is a connection string libpq expands
    (`host=h password=pw`, `postgresql://u:pw@h/db`): those may later show up alone."""
    import psycopg  # here, not at the top: a SQLite start never loads the PostgreSQL driver
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(secret)
    except psycopg.Error:
        return [secret]  # a plain password, not a connection string
    return [secret, *(str(params[key]) for key in sorted(_SECRET_PARAMS) if params.get(key))]


def _values(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value


def keyring_password(service: str, username: str) -> str | None:
    """The stored password, or None when there is none or no usable keyring."""
    import keyring  # here, not at the top: only a PostgreSQL URL needs it
    import keyring.errors

    try:
        backend = keyring.get_keyring()
        if not is_usable(backend):
            return None
        return backend.get_password(service, username)
    except (keyring.errors.KeyringError, OSError, RuntimeError) as exc:
        # Only the type: a backend's message is not ours to vouch for.
        log.warning("keyring failed while reading the database password: %s", type(exc).__name__)
        return None


def _password_in_url(url: URL) -> str:
    entry = keyring_entry(url)
    return (
        "Do not put the database password in the URL: it would show in shell history and "
        f"process lists. Use {describe(_without_secrets(url))} and store the password in "
        f'the keyring with: python -m keyring set {KEYRING_SERVICE} "{entry}" '
        f"(or set {PASSWORD_ENV})."
    )


def _without_secrets(url: URL) -> URL:
    secrets = secrets_in_url(url)
    kept = {
        key: value
        for key, value in url.query.items()
        if not any(secret in _values(value) for secret in secrets)
    }
    return url.set(query=kept)._replace(password=None)
