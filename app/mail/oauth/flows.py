"""The two sign-in flows for native apps: the authorization code with PKCE (S256) through
the system browser and a loopback redirect (RFC 8252, RFC 7636), and, for Microsoft on
machines without a browser, the device code (RFC 8628). Both end in a TokenSet.

Both block (a person is signing in): run them in a worker thread, with `stop` to cancel.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

from app.mail.oauth.loopback import TIMEOUT_S, LoopbackListener, SignInCancelled
from app.mail.oauth.providers import Client, ProviderName
from app.mail.oauth.token_endpoint import SignInFailed, TokenError, TokenSet, post, request

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
_BROWSER_ERRORS = {
    "access_denied": "Sign-in was cancelled, or consent was not given, in the browser.",
    "consent_required": "Your administrator has to consent to Escapement first (docs/mail.md).",
    "unauthorized_client": "The client ID is not allowed to sign in this way (docs/mail.md).",
}


@dataclass(frozen=True, slots=True)
class DeviceCode:
    """What to show the user: go to `verification_uri` and type `user_code`."""

    user_code: str
    verification_uri: str
    message: str


def authorization_code(
    client: Client,
    show_url: Callable[[str], object],
    stop: threading.Event,
    timeout_s: float = TIMEOUT_S,
) -> TokenSet:
    """`show_url` opens the system browser (or prints the URL); then we wait for the redirect."""
    # Start-up: authlib is imported at the first sign-in, not with the window.
    from authlib.common.security import generate_token
    from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    verifier = generate_token(64)
    state = generate_token(32)
    with LoopbackListener() as listener:
        url = prepare_grant_uri(
            client.url(client.provider.authorize),
            client.client_id,
            "code",
            redirect_uri=listener.redirect_uri,
            scope=" ".join(client.provider.scopes),
            state=state,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
            **_extra(client),
        )
        show_url(url)
        query = listener.wait(stop, timeout_s)
    code = _code(client, query, state)
    return _exchange(
        client,
        "authorization_code",
        code=code,
        redirect_uri=listener.redirect_uri,
        code_verifier=verifier,
    )


def device_code(
    client: Client, show_code: Callable[[DeviceCode], object], stop: threading.Event
) -> TokenSet:
    if client.provider.device is None:
        raise SignInFailed(
            f"{client.provider.label} does not allow mail access through a device code: "
            "sign in through the browser (--no-browser prints the address to open)."
        )
    try:
        data = post(
            client, client.url(client.provider.device), scope=" ".join(client.provider.scopes)
        )
    except TokenError as exc:
        raise SignInFailed(_refused(client, exc.code)) from None
    show_code(
        DeviceCode(
            str(data.get("user_code", "")),
            str(data.get("verification_uri", "")),
            str(data.get("message", "")),
        )
    )
    interval = float(data.get("interval") or 5)
    deadline = time.monotonic() + float(data.get("expires_in") or 900)
    while time.monotonic() < deadline:
        if stop.wait(interval):
            raise SignInCancelled("Sign-in was cancelled.")
        try:
            return request(client, DEVICE_GRANT, device_code=str(data.get("device_code", "")))
        except TokenError as exc:
            if exc.code == "slow_down":
                interval += 5  # RFC 8628 3.5
            elif exc.code != "authorization_pending":
                raise SignInFailed(_refused(client, exc.code)) from None
    raise SignInFailed("The device code expired before anyone signed in: start again.")


def _extra(client: Client) -> dict[str, str]:
    if client.provider.name == ProviderName.GOOGLE:
        # Without these Google gives no refresh token when the user consented before.
        return {"access_type": "offline", "prompt": "consent"}
    return {"prompt": "select_account"}


def _code(client: Client, query: str, state: str) -> str:
    # Start-up: authlib is imported at the first sign-in, not with the window.
    from authlib.oauth2.rfc6749.errors import OAuth2Error
    from authlib.oauth2.rfc6749.parameters import parse_authorization_code_response

    error = parse_qs(query).get("error")
    if error:
        raise SignInFailed(_refused(client, error[0]))
    try:
        params = parse_authorization_code_response(f"http://localhost/?{query}", state)
    except OAuth2Error as exc:
        if str(getattr(exc, "error", "")) == "mismatching_state":
            raise SignInFailed(
                "The browser's answer did not belong to this sign-in: nothing was saved."
            ) from None
        raise SignInFailed("The browser's answer had no authorization code.") from None
    except ValueError:
        raise SignInFailed("The browser's answer was not understood.") from None
    return str(params["code"])


def _exchange(client: Client, grant_type: str, **params: str) -> TokenSet:
    try:
        return request(client, grant_type, **params)
    except TokenError as exc:
        raise SignInFailed(_refused(client, exc.code)) from None


def _refused(client: Client, code: str) -> str:
    known = _BROWSER_ERRORS.get(code)
    return known or f"{client.provider.label} refused the sign-in ({code})."
