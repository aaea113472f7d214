"""Talking to a provider's token endpoint: the code exchange, the device-code poll and the
refresh. Authlib builds and reads the OAuth messages; httpx carries them.

Nothing here logs or repeats a token: errors name the provider's error code only.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any

from app.clockwork.redact import register_secret
from app.errors import EscapementError
from app.mail.oauth.providers import Client

TIMEOUT_S = 30.0


class SignInFailed(EscapementError):
    title = "Sign-in failed"


class RefreshRefused(EscapementError):
    """The provider refused the refresh token (`invalid_grant`): consent revoked, password
    changed, token expired. Only signing in again helps."""

    title = "Sign in again"


@dataclass(frozen=True, slots=True)
class TokenSet:
    access_token: str
    #: Seconds since the epoch.
    expires_at: float
    refresh_token: str | None
    #: The ID token's `email` or `preferred_username`, when an ID token came back.
    account: str | None


class TokenError(Exception):
    """The token endpoint's own error code (RFC 6749 5.2), before it is given a meaning."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def request(client: Client, grant_type: str, **params: str) -> TokenSet:
    data = post(client, client.url(client.provider.token), grant_type=grant_type, **params)
    access = str(data.get("access_token") or "")
    if not access:
        raise SignInFailed(f"{client.provider.label} answered without an access token.")
    register_secret(access)
    refresh = data.get("refresh_token")
    if refresh:
        register_secret(str(refresh))
    expires_in = _number(data.get("expires_in"), default=3600.0)
    return TokenSet(
        access_token=access,
        expires_at=time.time() + expires_in,
        refresh_token=str(refresh) if refresh else None,
        account=account_of(data.get("id_token")),
    )


def post(client: Client, url: str, grant_type: str | None = None, **params: str) -> dict[str, Any]:
    """A form POST to the provider; the JSON answer, or TokenError with its error code."""
    # Start-up: authlib and httpx are imported at the first sign-in, not with the window.
    import httpx
    from authlib.common.security import is_secure_transport
    from authlib.oauth2.rfc6749.parameters import prepare_token_request

    if not is_secure_transport(url):
        # RFC 8252 allows plain http to loopback only; tokens never go over plain text.
        raise SignInFailed(f"Refusing to send a sign-in over plain http to {url}.")
    fields = {"client_id": client.client_id, **params}
    if client.secret:
        register_secret(client.secret)
        fields["client_secret"] = client.secret
    body = prepare_token_request(grant_type, **fields) if grant_type else _form(fields)
    try:
        response = httpx.post(
            url,
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=TIMEOUT_S,
        )
    except httpx.HTTPError as exc:
        raise SignInFailed(
            f"Could not reach {client.provider.label}'s sign-in service ({type(exc).__name__})."
        ) from None
    try:
        data = response.json()
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if response.is_error or "error" in data:
        raise TokenError(str(data.get("error") or f"http_{response.status_code}"))
    return data


def account_of(id_token: object) -> str | None:
    """The address in an ID token. It came straight from the token endpoint over TLS, so its
    signature need not be checked (OpenID Connect Core 3.1.3.7)."""
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        return None
    payload = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None
    if not isinstance(claims, dict):
        return None
    for claim in ("email", "preferred_username"):
        value = claims.get(claim)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


def _number(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _form(fields: dict[str, str]) -> str:
    import httpx  # start-up: the window opens without it

    return str(httpx.QueryParams(fields))
