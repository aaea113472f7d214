"""Keyring and environment: layout, precedence, weak stores refused, keys leaked nowhere."""

from __future__ import annotations

import json
import logging
import socket
import traceback
from pathlib import Path

import keyring
import keyring.core
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from app.clockwork.credentials import Credentials
from app.clockwork.errors import ClockworkError
from app.clockwork.redact import MASK, redact
from app.connection import Connection
from app.errors import InputError, SecretStoreUnavailable
from app.sandbox.harness import FAST
from app.sandbox.seed import demo_state
from app.sandbox.server import SandboxServer
from app.secrets import (
    ENV_NAMES,
    SERVICE,
    SecretStore,
    credentials_from_env,
    entry_name,
    is_usable,
    load_credentials,
)
from app.workspace import Workspace
from tests.keyring_fakes import MemoryKeyring, use_keyring

EMAIL = "Ada@Example.com"
KEYS = Credentials("acme", "mem-api-key-31337", "mem-secret-key-27182", "mem-firm-key-16180")


class LockedKeyring(MemoryKeyring):
    """A backend whose every call fails, like a Secret Service that cannot be unlocked."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("cannot unlock")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("cannot unlock")


class EmptyChain(chainer.ChainerBackend):
    """The chainer as keyring builds it when no backend is viable."""

    backends = ()  # type: ignore[assignment]
    viable = False  # type: ignore[assignment]


class PlaintextLookalike(MemoryKeyring):
    __module__ = "keyrings.alt.file"


def clear_clockwork_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*ENV_NAMES, "CLOCKWORK_API_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _no_clockwork_env(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_clockwork_env(monkeypatch)


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(monkeypatch, backend)
    return backend


def closed_port() -> int:
    """A loopback port nothing listens on: connecting there fails at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def set_env(monkeypatch: pytest.MonkeyPatch, creds: Credentials, domain: str | None) -> None:
    if domain is not None:
        monkeypatch.setenv("CLOCKWORK_DOMAIN", domain)
    monkeypatch.setenv("CLOCKWORK_API_KEY", creds.api_key)
    monkeypatch.setenv("CLOCKWORK_SECRET_KEY", creds.secret_key)
    monkeypatch.setenv("CLOCKWORK_FIRM_SERVICE_KEY", creds.firm_service_key)


def test_one_json_entry_per_firm_and_user(memory: MemoryKeyring) -> None:
    store = SecretStore()
    store.put(KEYS, EMAIL)
    assert list(memory.entries) == [(SERVICE, "ada@example.com@acme")]
    assert json.loads(memory.entries[(SERVICE, "ada@example.com@acme")]) == {
        "api_key": KEYS.api_key,
        "secret_key": KEYS.secret_key,
        "firm_service_key": KEYS.firm_service_key,
    }
    assert store.get("acme", "ada@example.com") == KEYS
    assert store.get("other", EMAIL) is None
    assert store.delete("acme", EMAIL) is True
    assert memory.entries == {}
    assert store.delete("acme", EMAIL) is False


def test_a_damaged_entry_reads_as_no_keys(memory: MemoryKeyring) -> None:
    memory.entries[(SERVICE, entry_name("acme", EMAIL))] = "{not json"
    assert SecretStore().get("acme", EMAIL) is None
    memory.entries[(SERVICE, entry_name("acme", EMAIL))] = '{"api_key": "has space"}'
    assert SecretStore().get("acme", EMAIL) is None


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), EmptyChain(), LockedKeyring(), PlaintextLookalike()],
    ids=["fail", "null", "empty-chain", "locked", "plaintext"],
)
def test_no_working_keyring_is_said_clearly_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, backend: KeyringBackend
) -> None:
    use_keyring(monkeypatch, backend)
    # Any fallback file would land under one of these.
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path))
    store = SecretStore()
    for attempt in (
        lambda: store.put(KEYS, EMAIL),
        lambda: store.get("acme", EMAIL),
        lambda: store.delete("acme", EMAIL),
        store.ensure_available,
    ):
        with pytest.raises(SecretStoreUnavailable) as caught:
            attempt()
        text = str(caught.value)
        assert "keyring" in text
        assert "CLOCKWORK_API_KEY" in text
        assert KEYS.api_key not in text
        assert caught.value.__cause__ is None
    assert list(tmp_path.iterdir()) == []


def test_weak_backends_are_refused_even_inside_a_chain() -> None:
    assert is_usable(MemoryKeyring())
    assert not is_usable(PlaintextLookalike())

    class MixedChain(EmptyChain):
        backends = (MemoryKeyring(), PlaintextLookalike())  # type: ignore[assignment]

    class GoodChain(EmptyChain):
        backends = (MemoryKeyring(),)  # type: ignore[assignment]

    assert not is_usable(MixedChain())
    assert is_usable(GoodChain())


def test_environment_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    assert credentials_from_env() is None
    set_env(monkeypatch, KEYS, "https://acme.clockworkrecruiting.com/dashboard")
    assert credentials_from_env() == KEYS


def test_the_domain_variable_may_be_left_out_once_connected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_env(monkeypatch, KEYS, None)
    assert credentials_from_env("acme") == KEYS
    with pytest.raises(InputError, match="CLOCKWORK_DOMAIN"):
        credentials_from_env()


def test_half_an_environment_is_an_error_naming_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOCKWORK_DOMAIN", "acme")
    monkeypatch.setenv("CLOCKWORK_API_KEY", KEYS.api_key)
    with pytest.raises(InputError) as caught:
        credentials_from_env()
    assert "CLOCKWORK_SECRET_KEY" in str(caught.value)
    assert "CLOCKWORK_FIRM_SERVICE_KEY" in str(caught.value)
    assert KEYS.api_key not in str(caught.value)


def test_the_environment_wins_over_the_keyring(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SecretStore()
    store.put(KEYS, EMAIL)
    assert load_credentials(store, "acme", EMAIL) == KEYS
    env_keys = Credentials("acme", "env-api-key-1", "env-secret-key-2", "env-firm-key-3")
    set_env(monkeypatch, env_keys, "acme")
    assert load_credentials(store, "acme", EMAIL) == env_keys
    assert load_credentials(store, None, EMAIL) == env_keys


def test_not_connected_needs_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keyring(monkeypatch, fail.Keyring())
    assert load_credentials(SecretStore(), None, EMAIL) is None


def test_loaded_keys_are_registered_with_the_redactor(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Credentials("acme", "fresh-api-key-9001", "fresh-secret-9002", "fresh-firm-9003")
    memory.entries[(SERVICE, entry_name("acme", EMAIL))] = json.dumps(
        {"api_key": fresh.api_key, "secret_key": fresh.secret_key, "firm_service_key": "ff-1"}
    )
    assert SecretStore().get("acme", EMAIL) is not None
    assert redact(f"key {fresh.api_key} secret {fresh.secret_key}") == f"key {MASK} secret {MASK}"
    from_env = Credentials("acme", "envonly-api-77", "envonly-secret-78", "envonly-firm-79")
    set_env(monkeypatch, from_env, "acme")
    credentials_from_env()
    assert redact(f"{from_env.firm_service_key} {from_env.token}") == f"{MASK} {MASK}"


async def test_keys_reach_no_log_no_error_text_and_no_database_byte(
    memory: MemoryKeyring, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    good = Credentials("demo", "LEAK-api-5b1f0e", "LEAK-secret-9c2e4d", "LEAK-firm-3d7a6b")
    wrong = Credentials("demo", "LEAK-wrong-8e4b2c", good.secret_key, "LEAK-wrong-7f1a3e")
    ws = Workspace.open(f"sqlite:///{tmp_path / 'escapement.db'}")
    try:
        errors = await _connect_and_fail(ws, good, wrong)
        # Read while the WAL holds the latest writes, and again after the checkpoint.
        stored = _database_bytes(tmp_path)
    finally:
        ws.close()
    stored += _database_bytes(tmp_path)
    assert [type(e).__name__ for e in errors] == ["AuthError", "ForbiddenError", "AuthError"]
    texts = [r.getMessage() for r in caplog.records]
    texts += [logging.Formatter().formatException(r.exc_info) for r in caplog.records if r.exc_info]
    texts += ["".join(traceback.format_exception(e)) + repr(e) + e.title for e in errors]
    assert b"LEAK" not in stored
    assert b"demo" in stored  # the firm is there, so a key would have been found too
    assert good.api_key in str(memory.entries)  # and where the keys belong, they are
    for secret in (*good.secrets(), *wrong.secrets()):
        assert [t for t in texts if secret in t] == []
        assert secret.encode() not in stored


def _database_bytes(folder: Path) -> bytes:
    return b"".join(f.read_bytes() for f in sorted(folder.glob("escapement.db*")))


async def _connect_and_fail(
    ws: Workspace, good: Credentials, wrong: Credentials
) -> list[ClockworkError]:
    """Connect over a real socket, then two failed re-connects and a 401 during use."""
    errors: list[ClockworkError] = []
    with SandboxServer(state=demo_state(credentials=good)) as server:
        origin, secrets = server.url, SecretStore()
        conn = Connection(ws.store, ws.bus, ws.user_id, "ada@example.com", origin=origin,
                          secrets=secrets, client_options=FAST)  # fmt: skip
        await conn.connect("demo", good.api_key, good.secret_key, good.firm_service_key)
        for keys in ((wrong.api_key, good.secret_key, good.firm_service_key),
                     (good.api_key, good.secret_key, wrong.firm_service_key)):  # fmt: skip
            with pytest.raises(ClockworkError) as failed:
                await conn.connect("demo", *keys)
            errors.append(failed.value)
        server.state.credentials = wrong
        with pytest.raises(ClockworkError) as during_use:
            await conn.require_client().list_projects()
        errors.append(during_use.value)
        await conn.aclose()
    return errors
