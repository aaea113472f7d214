"""The team in the store: teammates with their groups and settings, read and written in the
caller's transaction. No permission checks here; the façade makes them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.csvimport import normalise_email
from app.domain import IntegrationKind, Role, SyncMode
from app.errors import InputError, NotFoundError
from app.store.models import ClockworkSettings, Group, User
from app.team.values import CLONED_SETTINGS, CloneableSettings, Teammate

MAX_NAME = 200


def find(session: Session, email: str) -> User:
    key = email.strip().lower()
    user = session.scalars(select(User).where(User.email_key == key)).first()
    if user is None:
        raise NotFoundError(f"No teammate with the email {email.strip()}.")
    return user


def teammates(session: Session) -> list[Teammate]:
    """Everyone on the team, by name, with their groups and Clockwork settings."""
    users = session.scalars(select(User).options(selectinload(User.groups)))
    rows = {s.user_id: s for s in session.scalars(select(ClockworkSettings))}
    found = [to_teammate(user, rows.get(user.id)) for user in users]
    return sorted(found, key=lambda t: (t.name.casefold(), t.email))


def to_teammate(user: User, row: ClockworkSettings | None) -> Teammate:
    return Teammate(
        id=user.id,
        name=user.name,
        email=user.email,
        role=Role(user.role),
        groups=tuple(sorted((g.name for g in user.groups), key=str.casefold)),
        integration=IntegrationKind(user.integration),
        settings=cloneable(row),
    )


def cloneable(row: ClockworkSettings | None) -> CloneableSettings:
    """A user's settings; a user who never opened them has the defaults."""
    row = row if row is not None else ClockworkSettings(**_DEFAULTS)
    return CloneableSettings(
        sync_mode=SyncMode(row.sync_mode),
        dedup=row.dedup,
        default_project_id=row.default_project_id,
        activity_tracking=row.activity_tracking,
        rate_limit=row.rate_limit,
    )


#: The column defaults the store gives a new settings row, for a user who has none yet.
_DEFAULTS: dict[str, Any] = {
    column.name: getattr(column.default, "arg", None)
    for column in ClockworkSettings.__table__.columns
    if column.name in CLONED_SETTINGS and column.default is not None
}


def add(
    session: Session,
    name: str,
    email: str,
    role: Role,
    integration: IntegrationKind,
    groups: Iterable[str] = (),
) -> User:
    clean_email = free_email(session, email)
    user = User(
        name=valid_name(name),
        email=clean_email,
        email_key=clean_email,
        role=role.value,
        integration=integration.value,
    )
    session.add(user)
    set_groups(session, user, groups)
    session.flush()
    return user


def edit(
    session: Session,
    user: User,
    *,
    name: str | None,
    email: str | None,
    role: Role | None,
    integration: IntegrationKind | None,
    groups: Iterable[str] | None,
) -> None:
    """Applies the changes given (None: unchanged); groups replace all the user's groups."""
    if email is not None and email.strip().lower() != user.email_key:
        change_email(session, user, email)
    if name is not None:
        user.name = valid_name(name)
    if role is not None:
        user.role = role.value
    if integration is not None:
        user.integration = integration.value
    if groups is not None:
        set_groups(session, user, groups)
        prune_groups(session)


def change_email(session: Session, user: User, email: str) -> None:
    clean = free_email(session, email)
    settings = session.get(ClockworkSettings, user.id)
    if settings is not None and settings.firm:
        raise InputError(
            f"Disconnect {user.name} from Clockwork before changing their email: "
            "their Clockwork keys are kept in the keyring under it."
        )
    user.email = user.email_key = clean


def free_email(session: Session, email: str) -> str:
    """The address cleaned, if no teammate has it yet."""
    clean = valid_email(email)
    if session.scalars(select(User.id).where(User.email_key == clean)).first() is not None:
        raise InputError(f"{clean} is already on the team.")
    return clean


def set_groups(session: Session, user: User, names: Iterable[str]) -> None:
    """Puts the user in exactly these groups, creating the ones that do not exist yet."""
    wanted: dict[str, str] = {}
    for name in names:
        clean = valid_group(name)
        wanted.setdefault(clean.casefold(), clean)
    existing = _groups_by_key(session)
    user.groups = [existing.get(key) or Group(name=name) for key, name in wanted.items()]


def group_named(session: Session, name: str) -> Group:
    group = _groups_by_key(session).get(" ".join(name.split()).casefold())
    if group is None:
        raise NotFoundError(f'No group named "{name.strip()}".')
    return group


def _groups_by_key(session: Session) -> dict[str, Group]:
    """Group names compare case-insensitively: "Partners" and "partners" are one group."""
    return {g.name.casefold(): g for g in session.scalars(select(Group))}


def group_names(session: Session) -> list[str]:
    return sorted(session.scalars(select(Group.name)), key=str.casefold)


def prune_groups(session: Session) -> None:
    """Groups exist only through their members: drop the ones left empty."""
    session.flush()
    for group in session.scalars(select(Group).options(selectinload(Group.users))):
        if not group.users:
            session.delete(group)


def valid_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InputError("A teammate needs a name.")
    if len(clean) > MAX_NAME:
        raise InputError(f"A name can be at most {MAX_NAME} characters.")
    return clean


def valid_email(email: str) -> str:
    clean = normalise_email(email)
    if clean is None:
        raise InputError(f'"{email.strip()}" is not an email address.')
    return clean


def valid_group(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InputError("A group needs a name.")
    if len(clean) > MAX_NAME:
        raise InputError(f"A group name can be at most {MAX_NAME} characters.")
    return clean
