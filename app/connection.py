"""One user's connection to Clockwork: connect, disconnect, health check and the one client.

Connecting checks the keys with one cheap request before anything is saved. The client is
built lazily and kept for the connection's lifetime (one connection pool, one rate limit);
when it meets a 401 the sync queue is paused through `ClockworkSettings.paused_reason`, so
that the UI can ask for new keys instead of failing every queued contact.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from app import events
from app.clockwork.credentials import Credentials
from app.clockwork.domain_input import loopback_origin, parse_firm
from app.clockwork.errors import AuthError, ClockworkError, FirmNotFound, ForbiddenError
from app.domain import IntegrationKind
from app.errors import EscapementError, SecretStoreUnavailable
from app.events import EventBus
from app.projects import refresh_projects
from app.secrets import ActiveKeys, SecretStore, register
from app.store import Store
from app.store.models import ClockworkSettings, User
from app.users import settings_for

if TYPE_CHECKING:
    import httpx

    from app.clockwork.client import ClockworkClient

log = logging.getLogger(__name__)

API_URL_ENV = "CLOCKWORK_API_URL"
#: Errors that mean the connection details are wrong, not that Clockwork is away.
#: Requests per second before the user sets their own (ClockworkSettings.rate_limit's default).
DEFAULT_RATE = 5.0
REJECTED = (AuthError, ForbiddenError, FirmNotFound)
_KEY_PROBLEM_TITLES = tuple(error.title for error in REJECTED)


class NotConnected(EscapementError):
    title = "Not connected to Clockwork"


class ConnectionStatus(StrEnum):
    NOT_CONNECTED = "not_connected"
    CONNECTED = "connected"
    OFFLINE = "offline"
    KEYS_REJECTED = "keys_rejected"


_LABELS = {
    ConnectionStatus.NOT_CONNECTED: "Not connected to Clockwork",
    ConnectionStatus.CONNECTED: "Connected to Clockwork",
    ConnectionStatus.OFFLINE: "Clockwork unreachable",
    ConnectionStatus.KEYS_REJECTED: "Clockwork rejected the keys",
}


@dataclass(frozen=True, slots=True)
class ConnectionState:
    status: ConnectionStatus
    firm: str | None = None
    #: Why, in words a recruiter can act on; empty when all is well.
    message: str = ""

    @property
    def label(self) -> str:
        text = _LABELS[self.status]
        return f"{text} ({self.firm})" if self.firm else text


def api_origin(override: str | None = None) -> str | None:
    """`--clockwork-url`, else CLOCKWORK_API_URL, else None (the real Clockwork API)."""
    return override or os.environ.get(API_URL_ENV) or None


class Connection:
    def __init__(
        self,
        store: Store,
        bus: EventBus,
        user_id: int,
        user_email: str,
        *,
        origin: str | None,
        secrets: SecretStore,
        transport: httpx.AsyncBaseTransport | None = None,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.store, self.bus = store, bus
        self.user_id, self.user_email = user_id, user_email
        # Checked now so that a bad override fails at start-up, not at the first request.
        self.origin = None if origin is None else loopback_origin(origin)
        self._secrets = secrets
        self._keys = ActiveKeys(secrets, user_email)
        self._transport = transport
        self._client_options = dict(client_options or {})
        self._client: ClockworkClient | None = None
        self._retired: list[ClockworkClient] = []
        self._state: ConnectionState | None = None
        # What the saved settings say, kept in memory so `state` never reads the store: the GUI
        # asks for it on its own thread. Read again after every change to those settings.
        self._saved = self._state_from_settings()
        self._unsubscribe = [
            bus.subscribe(events.SETTINGS_CHANGED, self._reread),
            bus.subscribe(events.CONNECTION_CHANGED, self._reread_if_paused),
            bus.subscribe(events.SETTINGS_CHANGED, self._apply_rate),
            bus.subscribe(events.CLOCKWORK_REACHABILITY, self._reachability),
        ]

    # -- state ----------------------------------------------------------------------------

    @property
    def firm(self) -> str | None:
        settings = self._settings()
        return settings.firm if settings else None

    @property
    def state(self) -> ConnectionState:
        """The last known state; before the first check, what the settings say. In memory
        only: safe on the GUI thread."""
        return self._state or self._saved

    def _reread(self, _event: events.Event) -> None:
        self._saved = self._state_from_settings()

    def _reread_if_paused(self, event: events.Event) -> None:
        if "paused" in event.data:
            self._reread(event)

    def _state_from_settings(self) -> ConnectionState:
        settings = self._settings()
        if settings is None or settings.firm is None:
            return ConnectionState(ConnectionStatus.NOT_CONNECTED)
        if _is_key_problem(settings.paused_reason):
            reason = settings.paused_reason or ""
            return ConnectionState(ConnectionStatus.KEYS_REJECTED, settings.firm, reason)
        return ConnectionState(ConnectionStatus.CONNECTED, settings.firm)

    def _set_state(
        self, status: ConnectionStatus, firm: str | None = None, message: str = ""
    ) -> ConnectionState:
        state = ConnectionState(status, firm, message)
        if state != self._state:
            self._state = state
            self.bus.publish(events.CONNECTION_CHANGED, state=state)
        return state

    def _settings(self) -> ClockworkSettings | None:
        # The reader keeps loaded attributes after the session ends, so this is a snapshot.
        with self.store.read() as session:
            return session.get(ClockworkSettings, self.user_id)

    # -- connect and disconnect -----------------------------------------------------------

    async def connect(
        self,
        domain: str,
        api_key: str,
        secret_key: str,
        firm_service_key: str,
        *,
        remember: bool = True,
    ) -> str:
        """Check the keys with Clockwork, then save them; returns the firm.

        Raises InvalidDomain or InvalidCredentials before any request, AuthError (key or
        secret), ForbiddenError (firm service key), FirmNotFound or Unreachable after it,
        and SecretStoreUnavailable (before any request) when `remember` and no keyring works.
        """
        keys = (api_key.strip(), secret_key.strip(), firm_service_key.strip())
        credentials = Credentials(parse_firm(domain), *keys)
        register(credentials)
        # The keyring and the store block: off the event loop's thread (the GUI's, under qasync).
        rate = await asyncio.to_thread(self._ready_to_probe, remember)
        # One request, no retries: the user is waiting, and any answer tells them something.
        async with self._build(credentials, max_retries=0, rate=rate) as probe:
            await probe.check()
        await asyncio.to_thread(self._keep, credentials, remember)
        self._set_state(ConnectionStatus.CONNECTED, credentials.firm)
        await self._refresh_quietly()
        return credentials.firm

    def _ready_to_probe(self, remember: bool) -> float:
        """Fails before any request when the keys could not be kept; the saved request rate."""
        if remember:
            self._secrets.ensure_available()
        settings = self._settings()
        return settings.rate_limit if settings else DEFAULT_RATE

    def _keep(self, credentials: Credentials, remember: bool) -> None:
        self._keys.save(credentials, remember=remember, replaces=self.firm)
        self._retire_client()
        self._link(credentials.firm)

    async def _refresh_quietly(self) -> None:
        # The keys were just accepted; a failed project list must not undo the connection.
        try:
            await self.refresh_projects()
        except ClockworkError as error:
            log.warning("project refresh after connecting failed: %s", error.title)

    def disconnect(self) -> str | None:
        """Forget the firm, then remove its keys from the keyring; other settings stay.

        The firm is unlinked first, so a keyring that is missing or locked cannot keep the
        user connected. Returns why the keys could not be deleted, or None when they were.
        """
        firm = self.firm
        self._link(None)
        self._retire_client()
        self._set_state(ConnectionStatus.NOT_CONNECTED)
        try:
            self._keys.remove(firm)
        except SecretStoreUnavailable as exc:
            self._keys.remove(None)  # the keys kept for this session only go all the same
            return exc.message
        return None

    def _link(self, firm: str | None) -> None:
        """Record the connected firm (None: disconnected); a new link starts unpaused."""
        kind = IntegrationKind.CLOCKWORK if firm else IntegrationKind.NONE
        with self.store.write() as session:
            settings = settings_for(session, self.user_id)
            settings.firm, settings.paused_reason = firm, None
            user = session.get(User, self.user_id)
            if user is not None:
                user.integration = kind.value
        self.bus.publish(events.SETTINGS_CHANGED)

    # -- the client -----------------------------------------------------------------------

    def client(self) -> ClockworkClient | None:
        """The long-lived client, or None when there are no keys (not connected)."""
        credentials = self._keys.current(self.firm)
        if credentials is None:
            return None
        if self._client is None or self._client.credentials != credentials:
            self._retire_client()
            self._client = self._build(credentials)
            self._client.on_auth_failure = self._on_auth_failure
        return self._client

    def require_client(self) -> ClockworkClient:
        client = self.client()
        if client is None:
            raise NotConnected("Connect to Clockwork first (Settings → Clockwork, or `connect`).")
        return client

    async def refresh_projects(self) -> int:
        client = await asyncio.to_thread(self.require_client)
        return await refresh_projects(self.store, client)

    def _build(self, credentials: Credentials, **overrides: Any) -> ClockworkClient:
        if "rate" in overrides:
            options = dict(self._client_options)
        else:
            settings = self._settings()
            options = {"rate": settings.rate_limit if settings else DEFAULT_RATE}
            options |= self._client_options
        # Start-up: the client module brings httpx (0.05 s of imports), not needed to paint.
        from app.clockwork.client import ClockworkClient

        return ClockworkClient(
            credentials, origin=self.origin, transport=self._transport, **options | overrides
        )

    def _retire_client(self) -> None:
        # Requests may still be running on it; it is closed in aclose(), not here.
        if self._client is not None:
            self._retired.append(self._client)
            self._client = None

    def _apply_rate(self, _event: events.Event) -> None:
        settings = self._settings() if self._client is not None else None
        if self._client is not None and settings is not None:
            self._client.rate = settings.rate_limit

    async def aclose(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._retire_client()
        retired, self._retired = self._retired, []
        for client in retired:
            await client.aclose()

    # -- health ---------------------------------------------------------------------------

    async def check(self) -> ConnectionState:
        """One cheap request: at start-up, and whenever the UI wants a fresh answer. The
        keyring and the store are used off the event loop's thread."""
        try:
            client = await asyncio.to_thread(self.client)
        except SecretStoreUnavailable as error:
            firm = await asyncio.to_thread(lambda: self.firm)
            return self._set_state(ConnectionStatus.NOT_CONNECTED, firm, error.message)
        if client is None:
            return await asyncio.to_thread(self._missing_keys)
        firm = client.credentials.firm
        try:
            await client.check()
        except REJECTED as error:
            await asyncio.to_thread(self._pause, error)
            return self._set_state(ConnectionStatus.KEYS_REJECTED, firm, error.message)
        except ClockworkError as error:
            return self._set_state(ConnectionStatus.OFFLINE, firm, error.message)
        await asyncio.to_thread(self._unpause)
        return self._set_state(ConnectionStatus.CONNECTED, firm)

    def _reachability(self, event: events.Event) -> None:
        """The sync worker's word on whether Clockwork answers: between health checks, it
        turns a working connection offline and an offline one back to connected."""
        status = self.state.status
        if event.data["reachable"] and status is ConnectionStatus.OFFLINE:
            self._set_state(ConnectionStatus.CONNECTED, self.firm)
        elif not event.data["reachable"] and status is ConnectionStatus.CONNECTED:
            self._set_state(ConnectionStatus.OFFLINE, self.firm, event.data["message"])

    def _missing_keys(self) -> ConnectionState:
        firm = self.firm
        message = f"The Clockwork keys for {firm} are not in the keyring; connect again."
        return self._set_state(ConnectionStatus.NOT_CONNECTED, firm, message if firm else "")

    def _on_auth_failure(self, error: AuthError) -> None:
        """The client's 401 hook: pause the queue and tell the UI to ask for new keys."""
        self._pause(error)
        firm = self._client.credentials.firm if self._client else self.firm
        self._set_state(ConnectionStatus.KEYS_REJECTED, firm, error.message)

    def _pause(self, error: ClockworkError) -> None:
        self._set_pause(f"{error.title}. {error.message}")

    def _unpause(self) -> None:
        settings = self._settings()
        if settings is not None and _is_key_problem(settings.paused_reason):
            self._set_pause(None)

    def _set_pause(self, reason: str | None) -> None:
        with self.store.write() as session:
            settings = settings_for(session, self.user_id)
            if settings.paused_reason == reason:
                return  # every queued request gets the same 401; say it once
            settings.paused_reason = reason
        self.bus.publish(events.SETTINGS_CHANGED)


def _is_key_problem(reason: str | None) -> bool:
    """Whether a pause is ours to lift: set for rejected keys, not by the sync worker."""
    return bool(reason) and str(reason).startswith(_KEY_PROBLEM_TITLES)
