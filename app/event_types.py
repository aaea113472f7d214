"""One frozen value per event topic: what a subscriber may read from an event.

The bus carries `Event(topic, data)` so publishers stay one line (`bus.publish(topic, **data)`);
`payload(event)` turns it into the topic's value. The GUI's bridge emits these values on one
typed Qt signal per topic, so no pane matches topic strings or reads dict keys. Topic names
live in `app/events.py`, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from app import events
from app.events import Event


@dataclass(frozen=True, slots=True)
class ContactsChanged:
    """Contacts were added, removed or edited; the worker names the one it synced."""

    contact_id: int | None = None
    state: object = None  # a ContactSyncState, or None


@dataclass(frozen=True, slots=True)
class SyncStateChanged:
    contact_id: int | None = None


@dataclass(frozen=True, slots=True)
class SequencesChanged:
    pass


@dataclass(frozen=True, slots=True)
class SettingsChanged:
    pass


@dataclass(frozen=True, slots=True)
class TeamChanged:
    pass


@dataclass(frozen=True, slots=True)
class ConnectionChanged:
    """The connection's state changed (`state`, a ConnectionState) or the queue paused."""

    state: object = None
    paused: str | None = None


@dataclass(frozen=True, slots=True)
class ClockworkReachability:
    reachable: bool = True
    message: str = ""


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """A resync job moved on; the dialog reads its figures from the Workspace."""

    job_id: int | None = None
    done: int | None = None
    total: int | None = None


@dataclass(frozen=True, slots=True)
class MailRun:
    """What one mail pass did (the fields of app.mail.types.RunReport)."""

    sent: int = 0
    replies: int = 0
    bounces: int = 0
    confirmed: int = 0
    requeued: int = 0
    uncertain: int = 0
    deferred: int = 0
    do_not_contact: int = 0
    opted_out: int = 0
    paced: int = 0
    domain_capped: int = 0
    #: Sequences the pass paused for their hard-bounce rate, each with why.
    paused: tuple[str, ...] = ()
    failed: int = 0
    outside_window: bool = False
    cap_reached: bool = False
    errors: tuple[str, ...] = ()
    #: False when no mailbox is set up: the pass had nothing to send with or read.
    mailbox: bool = True
    #: False when no IMAP server is set up: no reply or bounce could be read.
    inbox: bool = True
    #: "to — subject (step n)" for the emails sent (the first 200), for the Activity card.
    sent_emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MailFailed:
    """A mail pass could not run at all (no keyring, no settings)."""

    title: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class MailAccountChanged:
    """Mail sign-in changed: auth and state as their enum values, provider, account."""

    auth: str = ""
    provider: str | None = None
    account: str | None = None
    state: str = ""


Payload = (
    ContactsChanged
    | SyncStateChanged
    | SequencesChanged
    | SettingsChanged
    | TeamChanged
    | ConnectionChanged
    | ClockworkReachability
    | SyncProgress
    | MailRun
    | MailFailed
    | MailAccountChanged
)

#: Every topic and the value it carries.
TYPES: Mapping[str, type[Payload]] = {
    events.CONTACTS_CHANGED: ContactsChanged,
    events.SYNC_STATE: SyncStateChanged,
    events.SEQUENCES_CHANGED: SequencesChanged,
    events.SETTINGS_CHANGED: SettingsChanged,
    events.TEAM_CHANGED: TeamChanged,
    events.CONNECTION_CHANGED: ConnectionChanged,
    events.CLOCKWORK_REACHABILITY: ClockworkReachability,
    events.SYNC_PROGRESS: SyncProgress,
    events.MAIL_RUN: MailRun,
    events.MAIL_FAILED: MailFailed,
    events.MAIL_ACCOUNT: MailAccountChanged,
}


def payload(event: Event) -> Payload | None:
    """The event's value, or None for a topic no one declared. Unknown keys are dropped."""
    kind = TYPES.get(event.topic)
    if kind is None:
        return None
    known = {f.name for f in fields(kind)}
    data = {k: v for k, v in event.data.items() if k in known}
    for key in ("errors", "sent_emails", "paused"):
        if key in data:
            data[key] = tuple(str(e) for e in data[key])
    return kind(**data)
