"""The signed-in mail account as the database knows it (never its tokens), and its state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.mail.oauth.providers import ProviderName


class AuthMethod(StrEnum):
    PASSWORD = "password"
    OAUTH = "oauth"


class AccountState(StrEnum):
    OK = "ok"
    #: The provider refused the refresh token (consent revoked, password changed...):
    #: sending and reading wait until the user signs in again.
    NEEDS_SIGNIN = "needs_signin"
    NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True, slots=True)
class Account:
    provider: ProviderName
    address: str
    client_id: str
    tenant: str


@dataclass(frozen=True, slots=True)
class MailAccountView:
    """What the Email pane and `status --json` show about how mail logs in."""

    auth: AuthMethod
    provider: ProviderName | None
    account: str | None
    state: AccountState
    client_id: str | None
    tenant: str | None

    def as_status(self) -> dict[str, object]:
        return {
            "auth": self.auth.value,
            "provider": self.provider.value if self.provider else None,
            "account": self.account,
            "state": self.state.value,
        }
