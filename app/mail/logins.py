"""How a pass logs in to one server: the password (environment, then keyring), or, for a
server set to "oauth", a Bearer for the signed-in account's XOAUTH2 token."""

from __future__ import annotations

from app.errors import EscapementError
from app.mail.oauth.access import TokenKeeper, needs_signin
from app.mail.oauth.account import Account, AccountState, AuthMethod
from app.mail.oauth.xoauth2 import Bearer
from app.mail.passwords import MailPasswords
from app.mail.settings import ServerConfig


class NotSignedIn(EscapementError):
    title = "Not signed in"


class Logins:
    def __init__(self, passwords: MailPasswords, keeper: TokenKeeper) -> None:
        self.passwords, self.keeper = passwords, keeper

    def login(
        self, config: ServerConfig, account: Account | None, state: str | None
    ) -> str | Bearer | None:
        if config.auth != AuthMethod.OAUTH:
            return self.passwords.get(config.protocol, config.user, config.host)
        if account is None:
            raise NotSignedIn(
                f"{config.protocol.upper()} is set to sign in with Microsoft or Google, and "
                "nobody has signed in yet: sign in (Email pane, or mail signin)."
            )
        if state == AccountState.NEEDS_SIGNIN:
            # Known refused: no request to the provider until the user signs in again.
            raise needs_signin(account)
        keeper = self.keeper
        return Bearer(account.address, lambda fresh: keeper.access_token(account, force=fresh))
