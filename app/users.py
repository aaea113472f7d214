"""Who is acting: the current user (or the teammate named by `--as`), and their settings rows."""

from __future__ import annotations

import getpass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import IntegrationKind, Role, UserInfo
from app.errors import NotFoundError
from app.store.models import ClockworkSettings, EmailSettings, Setting, User

DEFAULT_USER_KEY = "default_user_id"


def current_user(session: Session, email: str | None) -> User:
    """The teammate with `email`, else this machine's default user, created on first start.

    Runs in a write transaction, and makes the user's settings rows if they are missing: the
    reads that follow, some of them at once on the GUI's thread pool, then never insert (a
    SQLite read that turns into a write fails at once with "database is locked" when another
    connection wrote meanwhile, instead of waiting)."""
    user = _acting_user(session, email)
    _per_user(session, ClockworkSettings, user.id)
    _per_user(session, EmailSettings, user.id)
    return user


def _acting_user(session: Session, email: str | None) -> User:
    if email:
        user = session.scalars(select(User).where(User.email_key == email.strip().lower())).first()
        if user is None:
            raise NotFoundError(f"No teammate with the email {email}.")
        return user
    setting = session.get(Setting, DEFAULT_USER_KEY)
    if setting is not None and (user := session.get(User, int(setting.value))) is not None:
        return user
    return _create_default_user(session)


def _create_default_user(session: Session) -> User:
    login = getpass.getuser() or "me"
    user = User(
        name=login.title(),
        email=f"{login}@localhost",
        email_key=f"{login}@localhost".lower(),
        role=Role.OWNER.value,
        integration=IntegrationKind.NONE.value,
    )
    existing = session.scalars(select(User).where(User.email_key == user.email_key)).first()
    user = existing or user
    session.add(user)
    session.flush()
    session.merge(Setting(key=DEFAULT_USER_KEY, value=str(user.id)))
    return user


def _per_user[M: (ClockworkSettings, EmailSettings)](
    session: Session, model: type[M], user_id: int
) -> M:
    """A user's settings row, created with the defaults the first time it is asked for."""
    row = session.get(model, user_id)
    if row is None:
        row = model(user_id=user_id)
        session.add(row)
        session.flush()
    return row


def settings_for(session: Session, user_id: int) -> ClockworkSettings:
    return _per_user(session, ClockworkSettings, user_id)


def email_settings_for(session: Session, user_id: int) -> EmailSettings:
    return _per_user(session, EmailSettings, user_id)


def to_info(session: Session, user_id: int) -> UserInfo:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("That teammate no longer exists.")
    return UserInfo(
        id=user.id,
        name=user.name,
        email=user.email,
        role=Role(user.role),
        integration=IntegrationKind(user.integration),
        groups=tuple(sorted(g.name for g in user.groups)),
    )
