"""Access tokens for XOAUTH2: kept in memory, refreshed before they expire, and the refresh
token's rotation saved to the keyring at once.

A refused refresh token (`invalid_grant`) raises NeedsSignIn: the caller pauses mail and
shows "sign in again". No other error changes the account's state.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping

from app.errors import EscapementError
from app.mail.oauth.account import Account
from app.mail.oauth.keyring_tokens import KeyringTokens, refresh_entry, secret_entry
from app.mail.oauth.providers import PROVIDERS, Client, client
from app.mail.oauth.token_endpoint import SignInFailed, TokenError, TokenSet, request

#: Refresh this long before the provider's expiry, so a token never dies during a login.
REFRESH_MARGIN_S = 300.0


class NeedsSignIn(EscapementError):
    title = "Sign in again"


def needs_signin(account: Account) -> NeedsSignIn:
    label = PROVIDERS[account.provider].label
    return NeedsSignIn(
        f"{label} no longer accepts the sign-in for {account.address}: sign in again "
        "(Email pane, or mail signin). Sending and reading replies wait until then."
    )


class TokenKeeper:
    def __init__(
        self,
        tokens: KeyringTokens,
        now: Callable[[], float] = time.time,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.tokens, self.now, self._environ = tokens, now, environ
        self._lock = threading.Lock()
        self._cache: dict[Account, TokenSet] = {}

    def client(self, account: Account) -> Client:
        provider = PROVIDERS[account.provider]
        env = os.environ if self._environ is None else self._environ
        secret = None
        if provider.env_secret and not env.get(provider.env_secret):
            secret = self.tokens.get(secret_entry(provider.name, account.client_id))
        return client(provider, account.client_id, account.tenant, secret, env)

    def access_token(self, account: Account, *, force: bool = False) -> str:
        """A token good for at least REFRESH_MARGIN_S; `force` refreshes even so (the server
        refused one that looked valid)."""
        with self._lock:
            cached = self._cache.get(account)
            if cached and not force and cached.expires_at - REFRESH_MARGIN_S > self.now():
                return cached.access_token
            fresh = self._refresh(account)
            self._cache[account] = fresh
            return fresh.access_token

    def _refresh(self, account: Account) -> TokenSet:
        name = refresh_entry(account.provider, account.address)
        refresh = self.tokens.get(name)
        if refresh is None:
            raise needs_signin(account)
        chosen = self.client(account)
        try:
            fresh = request(
                chosen,
                "refresh_token",
                refresh_token=refresh,
                scope=" ".join(chosen.provider.scopes),
            )
        except TokenError as exc:
            if exc.code == "invalid_grant":
                raise needs_signin(account) from None
            raise SignInFailed(
                f"{chosen.provider.label} did not renew the sign-in ({exc.code}); "
                "the next pass tries again."
            ) from None
        if fresh.refresh_token and fresh.refresh_token != refresh:
            # Rotation: the old token may already be dead, so the new one is saved at once.
            self.tokens.put(name, fresh.refresh_token)
        return fresh

    def signed_in(self, account: Account, tokens: TokenSet) -> None:
        """Keeps a new sign-in: the refresh token to the keyring, the access token in memory."""
        if not tokens.refresh_token:
            raise SignInFailed(
                f"{PROVIDERS[account.provider].label} gave no refresh token, so Escapement "
                "could not keep you signed in: check the offline_access permission (docs/mail.md)."
            )
        self.tokens.put(refresh_entry(account.provider, account.address), tokens.refresh_token)
        with self._lock:
            self._drop(account.provider, account.address)
            self._cache[account] = tokens

    def forget(self, account: Account) -> bool:
        with self._lock:
            self._drop(account.provider, account.address)
        return self.tokens.delete(refresh_entry(account.provider, account.address))

    def _drop(self, provider: str, address: str) -> None:
        for key in [k for k in self._cache if (k.provider, k.address) == (provider, address)]:
            del self._cache[key]
