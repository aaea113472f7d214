"""The team part of the Workspace façade: teammates, roles, groups, and cloning settings.

Everyone sees the team; only Owners and Managers change it or clone settings, and only an Owner
touches an Owner. The acting teammate's role is read in the same transaction as each change,
so a role changed meanwhile by someone else on a shared database counts at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import events
from app.domain import IntegrationKind, Role
from app.errors import InputError, NotFoundError, PermissionDenied
from app.events import EventBus
from app.store import Store
from app.store.models import ClockworkSettings, User
from app.team import clone, members, permissions
from app.team.values import ClonePlan, Teammate

TEAM_CHANGED = events.TEAM_CHANGED


class TeamFacade:
    def __init__(self, store: Store, bus: EventBus, user_id: int) -> None:
        self.store = store
        self.bus = bus
        self.user_id = user_id

    # --- reading: everyone ------------------------------------------------------------------

    def members(self) -> list[Teammate]:
        with self.store.read() as session:
            return members.teammates(session)

    def member(self, email: str) -> Teammate:
        with self.store.read() as session:
            user = members.find(session, email)
            return members.to_teammate(user, session.get(ClockworkSettings, user.id))

    def groups(self) -> list[str]:
        with self.store.read() as session:
            return members.group_names(session)

    def can_manage(self) -> tuple[bool, str]:
        """Whether the acting teammate may change the team, and if not, why."""
        with self.store.read() as session:
            return permissions.may_manage(Role(self._actor(session).role))

    def can_clone(self) -> tuple[bool, str]:
        """Whether the acting teammate may clone their settings, and if not, why."""
        with self.store.read() as session:
            actor = self._actor(session)
            return permissions.may_clone(Role(actor.role), IntegrationKind(actor.integration))

    # --- changing: Owners and Managers ------------------------------------------------------

    def add(
        self,
        name: str,
        email: str,
        *,
        role: Role = Role.MEMBER,
        groups: Iterable[str] = (),
        integration: IntegrationKind = IntegrationKind.NONE,
    ) -> Teammate:
        with self.store.write() as session:
            permissions.check_change(self._role(session), None, role)
            user = members.add(session, name, email, role, integration, groups)
            added = members.to_teammate(user, None)
        self.bus.publish(TEAM_CHANGED)
        return added

    def update(
        self,
        email: str,
        *,
        name: str | None = None,
        new_email: str | None = None,
        role: Role | None = None,
        groups: Iterable[str] | None = None,
        integration: IntegrationKind | None = None,
    ) -> Teammate:
        """Change any of a teammate's name, email, role, groups (all of them) or integration."""
        with self.store.write() as session:
            user = members.find(session, email)
            before = Role(user.role)
            permissions.check_change(self._role(session), before, role or before)
            if role not in (None, before):
                self._keep_an_owner(session, user)
            members.edit(
                session,
                user,
                name=name,
                email=new_email,
                role=role,
                integration=integration,
                groups=groups,
            )
            changed = members.to_teammate(user, session.get(ClockworkSettings, user.id))
        self.bus.publish(TEAM_CHANGED)
        return changed

    def remove(self, email: str) -> None:
        """Takes a teammate off the team, with their settings (their contacts stay)."""
        with self.store.write() as session:
            user = members.find(session, email)
            permissions.check_change(self._role(session), Role(user.role), None)
            if user.id == self.user_id:
                raise PermissionDenied(
                    "You cannot remove yourself; ask another Owner or Manager to do it."
                )
            self._keep_an_owner(session, user)
            session.delete(user)
            members.prune_groups(session)
        self.bus.publish(TEAM_CHANGED)

    # --- cloning: Owners and Managers connected to Clockwork --------------------------------

    def preview_clone(self, group: str | None = None) -> ClonePlan:
        """Who a clone would change (old → new per setting) and who it skips, and why."""
        with self.store.read() as session:
            return self._plan(session, group)

    def clone_settings(self, group: str | None = None) -> ClonePlan:
        """Copies the acting teammate's Clockwork settings to the teammates of the preview."""
        with self.store.write() as session:
            done = self._plan(session, group)
            clone.apply(session, done)
        self.bus.publish(TEAM_CHANGED)
        return ClonePlan(done.source, done.group, done.targets, done.skipped, applied=True)

    def _plan(self, session: Session, group: str | None) -> ClonePlan:
        actor = self._actor(session)
        permissions.require(
            permissions.may_clone(Role(actor.role), IntegrationKind(actor.integration))
        )
        name = members.group_named(session, group).name if group is not None else None
        team = members.teammates(session)
        source = next(t for t in team if t.id == self.user_id)
        return clone.plan(source, team, name)

    # --- helpers ----------------------------------------------------------------------------

    def _actor(self, session: Session) -> User:
        actor = session.get(User, self.user_id)
        if actor is None:
            raise NotFoundError("You are no longer on this team.")
        return actor

    def _role(self, session: Session) -> Role:
        return Role(self._actor(session).role)

    def _keep_an_owner(self, session: Session, user: User) -> None:
        """The team always keeps an Owner: the last one can be neither demoted nor removed."""
        if user.role != Role.OWNER.value:
            return
        owners = session.scalar(select(func.count(User.id)).where(User.role == Role.OWNER.value))
        if (owners or 0) <= 1:
            raise InputError(
                f"{user.name} is the team's only Owner; make someone else an Owner first."
            )
