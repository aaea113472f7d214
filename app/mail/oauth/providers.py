"""The two providers: their authorization servers, scopes and mail servers, and the firm's
client registration (entered by the user, or preset through the environment).

`ESCAPEMENT_OAUTH_URL` (tests only) replaces the providers' authorization-server origins with
a loopback origin; the paths stay the real ones. Anything but loopback is refused, so no
setting can send a code or a refresh token elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.clockwork.domain_input import InvalidApiOrigin, loopback_origin
from app.errors import InputError
from app.mail.types import Security

ENV_ORIGIN = "ESCAPEMENT_OAUTH_URL"


class ProviderName(StrEnum):
    MICROSOFT = "microsoft"
    GOOGLE = "google"


@dataclass(frozen=True, slots=True)
class MailServer:
    host: str
    port: int
    security: Security


@dataclass(frozen=True, slots=True)
class Provider:
    name: ProviderName
    label: str
    authorize: str
    token: str
    device: str | None
    scopes: tuple[str, ...]
    smtp: MailServer
    imap: MailServer
    #: Environment variables that preset the firm's registration.
    env_client_id: str
    env_tenant: str | None
    env_secret: str | None


MICROSOFT = Provider(
    name=ProviderName.MICROSOFT,
    label="Microsoft",
    authorize="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
    token="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    device="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode",
    scopes=(
        "https://outlook.office.com/SMTP.Send",
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "offline_access",
        "openid",
        "email",
    ),
    smtp=MailServer("smtp.office365.com", 587, Security.STARTTLS),
    imap=MailServer("outlook.office365.com", 993, Security.SSL),
    env_client_id="ESCAPEMENT_MICROSOFT_CLIENT_ID",
    env_tenant="ESCAPEMENT_MICROSOFT_TENANT",
    env_secret=None,
)
GOOGLE = Provider(
    name=ProviderName.GOOGLE,
    label="Google",
    authorize="https://accounts.google.com/o/oauth2/v2/auth",
    token="https://oauth2.googleapis.com/token",
    # Google does not allow the mail scope in its device flow.
    device=None,
    scopes=("https://mail.google.com/", "openid", "email"),
    smtp=MailServer("smtp.gmail.com", 465, Security.SSL),
    imap=MailServer("imap.gmail.com", 993, Security.SSL),
    env_client_id="ESCAPEMENT_GOOGLE_CLIENT_ID",
    env_tenant=None,
    env_secret="ESCAPEMENT_GOOGLE_CLIENT_SECRET",
)
PROVIDERS = {p.name: p for p in (MICROSOFT, GOOGLE)}
#: Microsoft's tenant for "any work or school account, or a personal one".
DEFAULT_TENANT = "common"


def provider(name: str) -> Provider:
    try:
        return PROVIDERS[ProviderName(name.strip().lower())]
    except ValueError:
        raise InputError(f'"{name}" is not a provider: say microsoft or google.') from None


@dataclass(frozen=True, slots=True)
class Client:
    """The firm's app registration: what the authorization server knows this app as."""

    provider: Provider
    client_id: str
    tenant: str = DEFAULT_TENANT
    #: Google issues one to desktop clients; it is not confidential there (RFC 8252 8.5).
    secret: str | None = None

    def url(self, template: str, environ: Mapping[str, str] | None = None) -> str:
        """An endpoint, on the ESCAPEMENT_OAUTH_URL origin when that is set."""
        url = template.format(tenant=self.tenant)
        env = os.environ if environ is None else environ
        override = env.get(ENV_ORIGIN, "").strip()
        if not override:
            return url
        try:
            origin = loopback_origin(override)
        except InvalidApiOrigin:
            raise InputError(
                f"{ENV_ORIGIN} can only point at this computer (127.0.0.1, ::1 or localhost)."
            ) from None
        path = url.split("/", 3)[3]
        return f"{origin}/{path}"


def client(
    chosen: Provider,
    client_id: str | None = None,
    tenant: str | None = None,
    secret: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Client:
    """What was entered wins over the firm's environment presets."""
    env = os.environ if environ is None else environ
    found_id = (client_id or env.get(chosen.env_client_id, "")).strip()
    if not found_id:
        raise InputError(
            f"No {chosen.label} client ID: enter the one your administrator registered "
            f"(see docs/mail.md), or set {chosen.env_client_id}."
        )
    if any(c.isspace() or c in "/?#&" for c in found_id):
        raise InputError(f'"{found_id}" is not a client ID.')
    found_tenant = (tenant or env.get(chosen.env_tenant or "", "") or DEFAULT_TENANT).strip()
    if not found_tenant or any(not (c.isalnum() or c in ".-_") for c in found_tenant):
        raise InputError(f'"{found_tenant}" is not a tenant: give its ID or domain.')
    found_secret = (secret or env.get(chosen.env_secret or "", "")).strip() or None
    return Client(chosen, found_id, found_tenant, found_secret)
