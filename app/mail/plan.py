"""One pass's view of the settings, read once, so a pass never mixes two versions of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from app.mail import settings as mail_settings
from app.mail.oauth.account import Account
from app.mail.oauth.providers import DEFAULT_TENANT, ProviderName
from app.mail.settings import ServerConfig
from app.mail.window import SendingWindow, parse_window
from app.store.models import EmailSettings
from app.users import email_settings_for

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Plan:
    user_id: int
    from_address: str
    bcc: str | None
    smtp: ServerConfig
    imap: ServerConfig
    window: SendingWindow
    daily_cap: int
    uidvalidity: int | None
    last_uid: int | None
    #: The signed-in account, for servers set to "oauth", and its state ("needs_signin"...).
    oauth: Account | None = None
    oauth_state: str | None = None


def read_plan(session: Session, user_id: int) -> Plan:
    row = email_settings_for(session, user_id)
    imap = mail_settings.server(row, "imap")
    if not imap.user:
        # Most providers' IMAP login is the mailbox address itself.
        imap = replace(imap, user=row.from_address)
    return Plan(
        user_id=user_id,
        from_address=row.from_address,
        bcc=row.bcc_address,
        smtp=mail_settings.server(row, "smtp"),
        imap=imap,
        window=parse_window(row.sending_window),
        daily_cap=row.daily_cap,
        uidvalidity=row.imap_uidvalidity,
        last_uid=row.imap_last_uid,
        oauth=signed_in_account(row),
        oauth_state=row.oauth_state,
    )


def signed_in_account(row: EmailSettings) -> Account | None:
    if not (row.oauth_provider and row.oauth_account and row.oauth_client_id):
        return None
    return Account(
        ProviderName(row.oauth_provider),
        row.oauth_account,
        row.oauth_client_id,
        row.oauth_tenant or DEFAULT_TENANT,
    )


def settings_row(session: Session, plan: Plan) -> EmailSettings:
    return email_settings_for(session, plan.user_id)
