"""One pass's view of the settings, read once, so a pass never mixes two versions of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from app.mail import settings as mail_settings
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
    )


def settings_row(session: Session, plan: Plan) -> EmailSettings:
    return email_settings_for(session, plan.user_id)
