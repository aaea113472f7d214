"""Connect, disconnect, health check and projects, against the sandbox in process."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from keyring.backends import fail

from app import events
from app.clockwork.credentials import Credentials
from app.clockwork.domain_input import InvalidDomain
from app.clockwork.errors import AuthError, FirmNotFound, ForbiddenError, Unreachable
from app.connection import Connection, ConnectionStatus
from app.domain import IntegrationKind, SyncMode
from app.errors import SecretStoreUnavailable
from app.projects import list_projects
from app.sandbox.harness import FAST, sandbox_transport
from app.sandbox.knobs import Knobs
from app.sandbox.seed import DEMO_CREDENTIALS as GOOD
from app.sandbox.seed import demo_state
from app.sandbox.state import SandboxState
from app.secrets import SERVICE, SecretStore, entry_name
from app.store.models import ClockworkSettings
from app.workspace import Workspace
from tests.test_secrets import (
    MemoryKeyring,
    clear_clockwork_env,
    closed_port,
    set_env,
    use_keyring,
)

SYNCABLE = {"Active", "Pitch", "On Hold"}


@pytest.fixture(autouse=True)
def _no_clockwork_env(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_clockwork_env(monkeypatch)


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(monkeypatch, backend)
    return backend


@pytest.fixture
def sandbox() -> SandboxState:
    return demo_state()


@pytest.fixture
def knobs() -> Knobs:
    return Knobs()


@pytest.fixture
def seen(workspace: Workspace) -> list[events.Event]:
    found: list[events.Event] = []
    workspace.bus.subscribe(events.CONNECTION_CHANGED, found.append)
    return found


@pytest.fixture
async def conn(
    workspace: Workspace, memory: MemoryKeyring, sandbox: SandboxState, knobs: Knobs
) -> AsyncIterator[Connection]:
    connection = make_connection(workspace, sandbox_transport(sandbox, knobs))
    yield connection
    await connection.aclose()


def make_connection(ws: Workspace, transport: Any, origin: str | None = None) -> Connection:
    return Connection(
        ws.store,
        ws.bus,
        ws.user_id,
        ws.me().email,
        origin=origin,
        secrets=SecretStore(),
        transport=transport,
        client_options=FAST,
    )


async def connect(conn: Connection, creds: Credentials = GOOD, domain: str = "demo") -> str:
    return await conn.connect(domain, creds.api_key, creds.secret_key, creds.firm_service_key)


def settings(ws: Workspace) -> ClockworkSettings:
    with ws.store.read() as session:
        found = session.get(ClockworkSettings, ws.user_id)
        assert found is not None
        return found


async def test_connect_checks_then_saves_keys_firm_and_projects(
    conn: Connection, workspace: Workspace, memory: MemoryKeyring, seen: list[events.Event]
) -> None:
    with workspace.store.write() as session:
        row = session.get(ClockworkSettings, workspace.user_id)  # made when the Workspace opened
        assert row is not None
        row.paused_reason = "old reason"
    assert await connect(conn, domain="https://demo.clockworkrecruiting.com/") == "demo"
    saved = memory.entries[(SERVICE, entry_name("demo", workspace.me().email))]
    assert json.loads(saved)["api_key"] == GOOD.api_key
    assert settings(workspace).firm == "demo"
    assert settings(workspace).paused_reason is None
    assert workspace.me().integration is IntegrationKind.CLOCKWORK
    projects = list_projects(workspace.store)
    assert len(projects) == 8
    assert {p.status for p in projects if p.syncable} == SYNCABLE
    assert {p.status for p in projects if not p.syncable} == {"Closed"}
    assert conn.state.status is ConnectionStatus.CONNECTED
    assert conn.state.label == "Connected to Clockwork (demo)"
    assert [e.data["state"].status for e in seen] == [ConnectionStatus.CONNECTED]


@pytest.mark.parametrize(
    ("creds", "domain", "error", "words"),
    [
        (Credentials("demo", "wrong-key", GOOD.secret_key, GOOD.firm_service_key), "demo",
         AuthError, "API key or secret key is wrong"),
        (Credentials("demo", GOOD.api_key, "wrong-secret", GOOD.firm_service_key), "demo",
         AuthError, "API key or secret key is wrong"),
        (Credentials("demo", GOOD.api_key, GOOD.secret_key, "wrong-service"), "demo",
         ForbiddenError, "firm service key is wrong"),
        (GOOD, "nosuchfirm", FirmNotFound, "no firm called “nosuchfirm”"),
    ],
    ids=["api-key", "secret-key", "firm-service-key", "unknown-firm"],
)  # fmt: skip
async def test_a_failed_connect_says_what_was_wrong_and_saves_nothing(
    conn: Connection,
    workspace: Workspace,
    memory: MemoryKeyring,
    sandbox: SandboxState,
    creds: Credentials,
    domain: str,
    error: type[Exception],
    words: str,
) -> None:
    with pytest.raises(error, match=words):
        await connect(conn, creds, domain)
    assert len(sandbox.journal.entries()) == 1  # one cheap request, no retries
    assert memory.entries == {}
    assert workspace.clockwork_settings().firm is None
    assert list_projects(workspace.store) == []
    assert conn.state.status is ConnectionStatus.NOT_CONNECTED


async def test_unreachable_clockwork(workspace: Workspace, memory: MemoryKeyring) -> None:
    conn = make_connection(workspace, None, origin=f"http://127.0.0.1:{closed_port()}")
    try:
        with pytest.raises(Unreachable, match="could not connect"):
            await connect(conn)
    finally:
        await conn.aclose()
    assert memory.entries == {}
    assert workspace.clockwork_settings().firm is None


async def test_bad_input_is_refused_before_any_request(
    conn: Connection, sandbox: SandboxState
) -> None:
    with pytest.raises(InvalidDomain):
        await connect(conn, domain="evil.example.com")
    assert sandbox.journal.entries() == []


async def test_without_a_keyring_nothing_is_sent_unless_the_caller_opts_out(
    conn: Connection, workspace: Workspace, sandbox: SandboxState, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keyring(monkeypatch, fail.Keyring())
    with pytest.raises(SecretStoreUnavailable):
        await connect(conn)
    assert sandbox.journal.entries() == []
    await conn.connect("demo", GOOD.api_key, GOOD.secret_key, GOOD.firm_service_key, remember=False)
    assert workspace.clockwork_settings().firm == "demo"
    client = conn.client()
    assert client is not None
    assert client.credentials == GOOD  # kept in memory for this session only


async def test_the_environment_wins_over_the_keyring(
    conn: Connection, workspace: Workspace, sandbox: SandboxState, monkeypatch: pytest.MonkeyPatch
) -> None:
    await connect(conn)
    assert (await conn.check()).status is ConnectionStatus.CONNECTED
    stale = Credentials("demo", "env-wrong-key", GOOD.secret_key, GOOD.firm_service_key)
    set_env(monkeypatch, stale, None)
    conn2 = make_connection(workspace, sandbox_transport(sandbox))
    try:
        client = conn2.client()
        assert client is not None
        assert client.credentials == stale
        assert (await conn2.check()).status is ConnectionStatus.KEYS_REJECTED
    finally:
        await conn2.aclose()


async def test_disconnect_removes_the_keys_and_keeps_other_settings(
    conn: Connection, workspace: Workspace, memory: MemoryKeyring
) -> None:
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, rate_limit=3.0)
    await connect(conn)
    conn.disconnect()
    assert memory.entries == {}
    view = workspace.clockwork_settings()
    assert view.firm is None
    assert (view.sync_mode, view.rate_limit) == (SyncMode.ON_ADD, 3.0)
    assert workspace.me().integration is IntegrationKind.NONE
    assert conn.client() is None
    assert conn.state.status is ConnectionStatus.NOT_CONNECTED


async def test_a_401_during_use_pauses_the_queue_until_the_keys_work(
    conn: Connection, workspace: Workspace, sandbox: SandboxState, seen: list[events.Event]
) -> None:
    await connect(conn)
    client = conn.client()
    assert client is not None
    sandbox.credentials = Credentials("demo", "rotated", "rotated", GOOD.firm_service_key)
    with pytest.raises(AuthError):
        await client.list_projects()
    reason = settings(workspace).paused_reason
    assert reason is not None
    assert reason.startswith("Clockwork rejected the API key")
    assert conn.state.status is ConnectionStatus.KEYS_REJECTED
    assert seen[-1].data["state"].status is ConnectionStatus.KEYS_REJECTED
    sandbox.credentials = GOOD
    assert (await conn.check()).status is ConnectionStatus.CONNECTED
    assert settings(workspace).paused_reason is None


async def test_a_new_process_sees_the_pause_before_any_request(
    conn: Connection, workspace: Workspace, sandbox: SandboxState
) -> None:
    assert conn.state.status is ConnectionStatus.NOT_CONNECTED
    with workspace.store.read() as session:  # reading the state wrote nothing
        row = session.get(ClockworkSettings, workspace.user_id)
        assert row is not None
        assert (row.firm, row.paused_reason) == (None, None)
    await connect(conn)
    sandbox.credentials = Credentials("demo", GOOD.api_key, GOOD.secret_key, "revoked")
    assert (await conn.check()).status is ConnectionStatus.KEYS_REJECTED
    later = make_connection(workspace, None)
    assert later.state.status is ConnectionStatus.KEYS_REJECTED
    assert "firm service key" in later.state.message
    await later.aclose()


async def test_check_reports_offline_missing_keys_and_no_keyring(
    conn: Connection,
    workspace: Workspace,
    knobs: Knobs,
    memory: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (await conn.check()).status is ConnectionStatus.NOT_CONNECTED
    await connect(conn)
    knobs.fault_rate = 1.0
    offline = await conn.check()
    assert offline.status is ConnectionStatus.OFFLINE
    assert offline.label == "Clockwork unreachable (demo)"
    assert settings(workspace).paused_reason is None
    memory.entries.clear()
    fresh = make_connection(workspace, None)
    missing = await fresh.check()
    assert missing.status is ConnectionStatus.NOT_CONNECTED
    assert "not in the keyring" in missing.message
    await fresh.aclose()
    use_keyring(monkeypatch, fail.Keyring())
    unavailable = await make_connection(workspace, None).check()
    assert unavailable.status is ConnectionStatus.NOT_CONNECTED
    assert "no secure place" in unavailable.message


async def test_one_long_lived_client_that_follows_the_rate_setting(
    conn: Connection, workspace: Workspace
) -> None:
    await connect(conn)
    client = conn.client()
    assert client is not None
    assert conn.client() is client
    workspace.update_clockwork_settings(rate_limit=2.5)
    assert client.rate == 2.5
    await connect(conn)
    assert conn.client() is not client


async def test_switching_firm_removes_the_old_firms_keys(
    conn: Connection, workspace: Workspace, memory: MemoryKeyring
) -> None:
    email = workspace.me().email
    SecretStore().put(Credentials("oldfirm", "a1", "b2", "c3"), email)
    with workspace.store.write() as session:
        row = session.get(ClockworkSettings, workspace.user_id)  # made when the Workspace opened
        assert row is not None
        row.firm = "oldfirm"
    await connect(conn)
    assert list(memory.entries) == [(SERVICE, entry_name("demo", email))]
