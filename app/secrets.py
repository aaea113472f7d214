"""Clockwork keys in the OS keyring, or in environment variables for headless use.

Layout: one keyring entry per firm and user, service `escapement`, username
`{user_email}@{firm}`, and as the value a JSON object with `api_key`, `secret_key` and
`firm_service_key`. One entry rather than three, so that saving or deleting is one step
that cannot leave half a key set behind, and a locked keyring asks to be unlocked once.

Keys never go anywhere else. When no keyring backend works this module raises
`SecretStoreUnavailable` and never falls back to a weaker store; the caller may offer the
environment variables instead. Every key that is loaded is registered with the log
redactor, and no message or log line here ever includes one.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from app.clockwork.credentials import Credentials
from app.clockwork.domain_input import parse_firm
from app.clockwork.redact import register_secret
from app.errors import InputError, SecretStoreUnavailable

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "escapement"
ENV_DOMAIN = "CLOCKWORK_DOMAIN"
ENV_API_KEY = "CLOCKWORK_API_KEY"
ENV_SECRET_KEY = "CLOCKWORK_SECRET_KEY"
ENV_FIRM_SERVICE_KEY = "CLOCKWORK_FIRM_SERVICE_KEY"
ENV_KEY_NAMES = (ENV_API_KEY, ENV_SECRET_KEY, ENV_FIRM_SERVICE_KEY)
ENV_NAMES = (ENV_DOMAIN, *ENV_KEY_NAMES)
_FIELDS = ("api_key", "secret_key", "firm_service_key")
_PROBE_ENTRY = "availability-check"

_NO_KEYRING = (
    "Escapement found no secure place to keep your Clockwork keys: no system keyring "
    "(such as GNOME Keyring, KWallet, macOS Keychain or Windows Credential Manager) is "
    "available. Escapement will not store them anywhere less safe. You can set "
    f"{', '.join(ENV_NAMES)} in the environment instead."
)
_KEYRING_FAILED = (
    "The system keyring could not be used (it may be locked, or its service is not "
    "running), so Escapement cannot keep your Clockwork keys there, and it will not store "
    f"them anywhere less safe. You can set {', '.join(ENV_NAMES)} in the environment instead."
)
# keyrings.alt holds the plaintext and "encrypted file" backends: weaker than the OS store.
_WEAK_MODULES = ("keyrings.alt",)


class SecretStore:
    """The keyring entries of this app; every failure becomes SecretStoreUnavailable."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def get(self, firm: str, user_email: str) -> Credentials | None:
        raw = self._call(lambda kr: kr.get_password(self.service, entry_name(firm, user_email)))
        if raw is None:
            return None
        credentials = _decode(firm, raw)
        if credentials is not None:
            register(credentials)
        return credentials

    def put(self, credentials: Credentials, user_email: str) -> None:
        register(credentials)
        value = json.dumps({name: getattr(credentials, name) for name in _FIELDS})
        name = entry_name(credentials.firm, user_email)
        self._call(lambda kr: kr.set_password(self.service, name, value))

    def delete(self, firm: str, user_email: str) -> bool:
        """Removes the entry; False when there was none."""
        name = entry_name(firm, user_email)
        if self._call(lambda kr: kr.get_password(self.service, name)) is None:
            return False
        self._call(lambda kr: kr.delete_password(self.service, name))
        return True

    def ensure_available(self) -> None:
        """Raises SecretStoreUnavailable now, before the caller does work it would waste."""
        # A read is what makes a locked keyring ask to be unlocked, or fail.
        self._call(lambda kr: kr.get_password(self.service, _PROBE_ENTRY))

    def _call(self, operation: Callable[[KeyringBackend], Any]) -> Any:
        return on_keyring(operation, "", _NO_KEYRING, _KEYRING_FAILED)


def entry_name(firm: str, user_email: str) -> str:
    return f"{user_email.strip().lower()}@{firm}"


def keyring_backend() -> KeyringBackend:
    """The process's keyring. The library is imported at its first use, not at start-up: the
    window opens without it (its import alone is 0.01 to 0.04 s)."""
    import keyring

    return keyring.get_keyring()


def on_keyring[T](
    operation: Callable[[KeyringBackend], T], purpose: str, missing: str, failed: str = ""
) -> T:
    """`operation` on the process's keyring. SecretStoreUnavailable(`missing`) when there is
    no keyring that keeps secrets safely, SecretStoreUnavailable(`failed` or `missing`) when
    the keyring fails; a failure is logged by its type and `purpose` only, as a backend's
    message is not ours to vouch for."""
    try:
        backend = keyring_backend()
        if not is_usable(backend):
            raise SecretStoreUnavailable(missing)
        return operation(backend)
    except backend_errors() as exc:
        log.warning("keyring failed%s: %s", f" {purpose}" if purpose else "", type(exc).__name__)
        raise SecretStoreUnavailable(failed or missing) from None


def backend_errors() -> tuple[type[Exception], ...]:
    """What a keyring call may raise: D-Bus and platform libraries leak their own errors
    past keyring's wrappers."""
    import keyring.errors  # start-up: see keyring_backend

    return (keyring.errors.KeyringError, OSError, RuntimeError)


def is_usable(backend: KeyringBackend) -> bool:
    """False for the fail and null backends, an empty chain, and weak (file) backends."""
    from keyring.backends import chainer, fail, null  # start-up: see keyring_backend

    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        return bool(chained) and all(is_usable(b) for b in chained)
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if type(backend).__module__.startswith(_WEAK_MODULES):
        return False
    return float(backend.priority) > 0


def env_keys(environ: Mapping[str, str] | None = None) -> tuple[str, str, str] | None:
    """API key, secret key and firm service key from the environment; None when none is set."""
    env = os.environ if environ is None else environ
    values = {name: env.get(name, "").strip() for name in ENV_KEY_NAMES}
    missing = [name for name, value in values.items() if not value]
    if len(missing) == len(ENV_KEY_NAMES):
        return None
    if missing:
        # Half a set is a mistake; quietly using the keyring instead would hide it.
        raise InputError(
            f"Set all three Clockwork key variables or none: {', '.join(missing)} missing.",
            title="Incomplete Clockwork environment",
        )
    return values[ENV_API_KEY], values[ENV_SECRET_KEY], values[ENV_FIRM_SERVICE_KEY]


def credentials_from_env(
    default_firm: str | None = None, environ: Mapping[str, str] | None = None
) -> Credentials | None:
    """The CLOCKWORK_* variables as Credentials; None when no key variable is set.

    CLOCKWORK_DOMAIN may be left out once a firm is connected (`default_firm`), so that
    `connect --domain acme` with the keys in the environment keeps working afterwards.
    """
    env = os.environ if environ is None else environ
    keys = env_keys(env)
    if keys is None:
        return None
    domain = env.get(ENV_DOMAIN, "").strip() or default_firm
    if not domain:
        raise InputError(
            f"{ENV_DOMAIN} is missing: set it to your Clockwork Domain, such as acme.",
            title="Incomplete Clockwork environment",
        )
    credentials = Credentials(parse_firm(domain), *keys)
    register(credentials)
    return credentials


def load_credentials(store: SecretStore, firm: str | None, user_email: str) -> Credentials | None:
    """The environment wins; else the keyring entry of `firm` (None when not connected)."""
    from_env = credentials_from_env(firm)
    if from_env is not None:
        return from_env
    return store.get(firm, user_email) if firm else None


class ActiveKeys:
    """The keys one connection uses: the environment wins, then keys kept for this session
    only (the user chose not to store them), then the keyring, which is read once because
    each read can be a D-Bus round trip or an unlock prompt."""

    def __init__(self, store: SecretStore, user_email: str) -> None:
        self.store, self.user_email = store, user_email
        self._session: Credentials | None = None
        self._current: Credentials | None = None
        self._loaded = False

    def current(self, firm: str | None) -> Credentials | None:
        if not self._loaded:
            # Short-circuits: with keys in the environment the keyring is never touched.
            self._current = credentials_from_env(firm) or self._session or self._stored(firm)
            self._loaded = True
        return self._current

    def _stored(self, firm: str | None) -> Credentials | None:
        return self.store.get(firm, self.user_email) if firm else None

    def save(self, credentials: Credentials, *, remember: bool, replaces: str | None) -> None:
        if remember:
            self.store.put(credentials, self.user_email)
            if replaces and replaces != credentials.firm:
                # One firm per user at a time; the old entry would sit unused forever.
                self.store.delete(replaces, self.user_email)
        self._session = None if remember else credentials
        self._loaded = False

    def remove(self, firm: str | None) -> None:
        if firm:
            self.store.delete(firm, self.user_email)
        self._session = None
        self._loaded = False


def register(credentials: Credentials) -> None:
    for secret in credentials.secrets():
        register_secret(secret)


def _decode(firm: str, raw: str) -> Credentials | None:
    try:
        data = json.loads(raw)
        return Credentials(firm, *(str(data[name]) for name in _FIELDS))
    except (ValueError, KeyError, TypeError, InputError):
        # A damaged entry reads as "no keys": the user is asked for them again.
        log.warning("the saved Clockwork keys for %s are unreadable", firm)
        return None
