"""Signing in and out, as façade methods of `ws.mail`: the Email pane's three buttons and
the CLI's `mail signin|signout` call these and nothing else.

A sign-in fills in the provider's SMTP and IMAP servers (unless this provider's servers are
already set: signing in again keeps what the user adjusted), sets both to XOAUTH2, and takes
the account's address as the from address when none is set.
"""

from __future__ import annotations

import asyncio
import os
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass

# MAIL_ACCOUNT is published after a sign-in, a sign-out, and when the provider refuses one.
from app.events import MAIL_ACCOUNT, EventBus
from app.mail.oauth import flows
from app.mail.oauth.access import NeedsSignIn, TokenKeeper
from app.mail.oauth.account import (
    Account,
    AccountState,
    AuthMethod,
    MailAccountView,
)
from app.mail.oauth.flows import DeviceCode
from app.mail.oauth.keyring_tokens import secret_entry
from app.mail.oauth.loopback import TIMEOUT_S
from app.mail.oauth.providers import (
    DEFAULT_TENANT,
    Client,
    Provider,
    ProviderName,
    client,
    provider,
)
from app.mail.oauth.token_endpoint import SignInFailed, TokenSet
from app.mail.plan import signed_in_account
from app.store import Store
from app.store.models import EmailSettings
from app.users import email_settings_for


@dataclass(frozen=True, slots=True)
class Registration:
    """The client ID fields as the Email pane pre-fills them (the secret is never shown)."""

    client_id: str
    tenant: str
    has_client_secret: bool
    #: True when the values come from the firm's environment variables.
    preset: bool


class MailSignIn:
    store: Store
    bus: EventBus
    user_id: int
    keeper: TokenKeeper

    def account(self) -> MailAccountView:
        with self.store.write() as session:
            return account_view(email_settings_for(session, self.user_id))

    def registration(self, provider_name: str) -> Registration:
        chosen = provider(provider_name)
        with self.store.write() as session:
            row = email_settings_for(session, self.user_id)
            stored = (
                (row.oauth_client_id, row.oauth_tenant)
                if row.oauth_provider == chosen.name
                else None
            )
        env_id = os.environ.get(chosen.env_client_id, "").strip()
        env_tenant = os.environ.get(chosen.env_tenant or "", "").strip()
        client_id = (stored[0] if stored else None) or env_id
        tenant = (stored[1] if stored else None) or env_tenant or DEFAULT_TENANT
        secret = bool(chosen.env_secret and os.environ.get(chosen.env_secret))
        if not secret and chosen.env_secret and client_id:
            secret = self.keeper.tokens.get(secret_entry(chosen.name, client_id)) is not None
        return Registration(client_id, tenant, secret, preset=not stored and bool(env_id))

    async def sign_in(
        self,
        provider_name: str,
        *,
        client_id: str | None = None,
        tenant: str | None = None,
        client_secret: str | None = None,
        show_url: Callable[[str], object] = webbrowser.open,
        timeout_s: float = TIMEOUT_S,
    ) -> MailAccountView:
        """Opens the system browser (or hands `show_url` the address) and waits, at most
        `timeout_s`, for the one redirect. Cancelling stops the wait."""
        # The store and keyring are read and written in a thread too: the GUI's loop runs
        # on its own thread, which must not wait for the database.
        chosen = await asyncio.to_thread(
            self._client, provider_name, client_id, tenant, client_secret
        )
        tokens = await _in_thread(
            lambda stop: flows.authorization_code(chosen, show_url, stop, timeout_s)
        )
        return await asyncio.to_thread(self._signed_in, chosen, tokens, client_secret)

    async def sign_in_with_device_code(
        self,
        provider_name: str,
        *,
        client_id: str | None = None,
        tenant: str | None = None,
        show_code: Callable[[DeviceCode], object],
    ) -> MailAccountView:
        """Microsoft only: `show_code` tells the user where to go and what to type."""
        chosen = await asyncio.to_thread(self._client, provider_name, client_id, tenant, None)
        tokens = await _in_thread(lambda stop: flows.device_code(chosen, show_code, stop))
        return await asyncio.to_thread(self._signed_in, chosen, tokens, None)

    def sign_out(self) -> MailAccountView:
        """Deletes the refresh token from the keyring; the servers stay, set to password."""
        with self.store.write() as session:
            row = email_settings_for(session, self.user_id)
            account = signed_in_account(row)
            # The provider and client ID stay, so the pane offers them again.
            row.oauth_account = row.oauth_state = None
            row.smtp_auth = row.imap_auth = AuthMethod.PASSWORD.value
            view = account_view(row)
        if account is not None:
            self.keeper.forget(account)
        self._publish(view)
        return view

    def mark_needs_signin(self) -> MailAccountView:
        with self.store.write() as session:
            row = email_settings_for(session, self.user_id)
            if row.oauth_account:
                row.oauth_state = AccountState.NEEDS_SIGNIN.value
            view = account_view(row)
        self._publish(view)
        return view

    def _client(
        self, provider_name: str, client_id: str | None, tenant: str | None, secret: str | None
    ) -> Client:
        chosen = provider(provider_name)
        known = self.registration(chosen.name)
        secret = secret or self._stored_secret(chosen, client_id or known.client_id)
        return client(chosen, client_id or known.client_id, tenant or known.tenant, secret)

    def _stored_secret(self, chosen: Provider, client_id: str) -> str | None:
        if not chosen.env_secret or not client_id or os.environ.get(chosen.env_secret):
            return None
        return self.keeper.tokens.get(secret_entry(chosen.name, client_id))

    def _signed_in(self, chosen: Client, tokens: TokenSet, secret: str | None) -> MailAccountView:
        if not tokens.account:
            raise SignInFailed(
                f"{chosen.provider.label} did not say which mailbox signed in: check the "
                "openid and email permissions (docs/mail.md)."
            )
        account = Account(chosen.provider.name, tokens.account, chosen.client_id, chosen.tenant)
        self.keeper.signed_in(account, tokens)
        if secret:
            self.keeper.tokens.put(secret_entry(chosen.provider.name, chosen.client_id), secret)
        with self.store.write() as session:
            row = email_settings_for(session, self.user_id)
            previous = signed_in_account(row)
            _fill(row, chosen.provider, account)
            view = account_view(row)
        if previous is not None and (previous.provider, previous.address) != (
            account.provider,
            account.address,
        ):
            self.keeper.forget(previous)  # one mailbox at a time: no orphan token left behind
        self._publish(view)
        return view

    def _publish(self, view: MailAccountView) -> None:
        from app import events

        self.bus.publish(MAIL_ACCOUNT, **view.as_status())
        self.bus.publish(events.SETTINGS_CHANGED)


def _fill(row: EmailSettings, chosen: Provider, account: Account) -> None:
    if row.oauth_provider != chosen.name or not row.smtp_host:
        row.smtp_host, row.smtp_port = chosen.smtp.host, chosen.smtp.port
        row.smtp_security = chosen.smtp.security.value
        row.imap_host, row.imap_port = chosen.imap.host, chosen.imap.port
        row.imap_security = chosen.imap.security.value
        row.imap_uidvalidity = row.imap_last_uid = None
    row.smtp_user = row.imap_user = account.address
    row.smtp_auth = row.imap_auth = AuthMethod.OAUTH.value
    row.oauth_provider, row.oauth_account = chosen.name.value, account.address
    row.oauth_client_id, row.oauth_tenant = account.client_id, account.tenant
    row.oauth_state = AccountState.OK.value
    if not row.from_address:
        row.from_address = account.address


def account_view(row: EmailSettings) -> MailAccountView:
    uses_oauth = AuthMethod.OAUTH.value in (row.smtp_auth, row.imap_auth)
    provider_name = ProviderName(row.oauth_provider) if row.oauth_provider else None
    if uses_oauth:
        if not row.oauth_account:
            state = AccountState.NOT_CONFIGURED
        else:
            state = AccountState(row.oauth_state or AccountState.OK.value)
    else:
        state = AccountState.OK if row.smtp_host else AccountState.NOT_CONFIGURED
    return MailAccountView(
        auth=AuthMethod.OAUTH if uses_oauth else AuthMethod.PASSWORD,
        provider=provider_name if uses_oauth else None,
        account=row.oauth_account if uses_oauth else None,
        state=state,
        client_id=row.oauth_client_id,
        tenant=row.oauth_tenant,
    )


async def _in_thread[T](work: Callable[[threading.Event], T]) -> T:
    """Runs a blocking flow in a thread; cancelling sets its stop event and waits for it."""
    stop = threading.Event()
    task = asyncio.ensure_future(asyncio.to_thread(work, stop))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        stop.set()
        await asyncio.wait([task])
        if not task.cancelled():
            task.exception()  # the flow's SignInCancelled: expected, so marked as seen
        raise


__all__ = ["MAIL_ACCOUNT", "DeviceCode", "MailSignIn", "NeedsSignIn", "Registration"]
