"""Enums and plain value types shared by the store, the sync engine, the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SyncMode(StrEnum):
    OFF = "off"
    ON_ADD = "on-add"
    ON_REPLY = "on-reply"


class ContactSyncState(StrEnum):
    NOT_SYNCED = "not_synced"
    QUEUED = "queued"
    SYNCED = "synced"
    EXISTS_IN_CLOCKWORK = "exists_in_clockwork"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    ERROR = "error"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    ContactSyncState.NOT_SYNCED: "Not synced",
    ContactSyncState.QUEUED: "Queued",
    ContactSyncState.SYNCED: "Synced",
    ContactSyncState.EXISTS_IN_CLOCKWORK: "Exists in Clockwork",
    ContactSyncState.POSSIBLE_DUPLICATE: "Possible duplicate",
    ContactSyncState.ERROR: "Error",
}


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    MEMBER = "member"


class IntegrationKind(StrEnum):
    CLOCKWORK = "clockwork"
    OTHER = "other"
    NONE = "none"


class EnrollmentStatus(StrEnum):
    ACTIVE = "active"
    REPLIED = "replied"
    BOUNCED = "bounced"
    FINISHED = "finished"
    #: Ended because the person opted out (here or in another sequence); see app/optout/.
    OPTED_OUT = "opted_out"
    #: Stopped because the candidate status in Clockwork is in the stop set.
    STOPPED = "stopped"


class ActivityKind(StrEnum):
    SENT = "sent"
    OPENED = "opened"
    CLICKED = "clicked"
    REPLIED = "replied"
    BOUNCED = "bounced"


class OutboxKind(StrEnum):
    DEDUP_CHECK = "dedup_check"
    SYNC_CONTACT = "sync_contact"
    ADD_TO_PROJECT = "add_to_project"
    POST_ACTIVITY = "post_activity"
    #: An opt-out: doNotContact on the Clockwork person, and a note saying when and how.
    MARK_DO_NOT_CONTACT = "mark_do_not_contact"
    SET_STATUS = "set_status"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ContactInput:
    """One contact as read from a CSV row or typed by the user, before it is stored."""

    email: str
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    company: str = ""
    linkedin_url: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    updated: int
    rejected: list[RejectedRow] = field(default_factory=list)
    #: Rows folded into an earlier row of the same file with the same email.
    merged: int = 0
    #: What was read but not imported in full (e.g. a second address in another email column).
    warnings: list[str] = field(default_factory=list)
    #: Addresses on the suppression list: stored, but not added to the sequence.
    suppressed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "merged": self.merged,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
            "warnings": self.warnings,
            "suppressed": list(self.suppressed),
        }


@dataclass(frozen=True, slots=True)
class AddToSequenceReport:
    """Contacts already stored, added to a sequence (Workspace.add_to_sequence)."""

    added: int  # in the sequence now, and not before
    already: int  # in it before
    #: Addresses on the suppression list: not added.
    suppressed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"added": self.added, "already": self.already, "suppressed": list(self.suppressed)}


@dataclass(frozen=True, slots=True)
class SequenceInfo:
    id: int
    name: str
    sync_to_clockwork: bool
    project_id: str | None
    contact_count: int


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: int
    email: str
    first_name: str
    last_name: str
    title: str
    company: str
    state: ContactSyncState
    clockwork_person_id: str | None
    error: str | None
    synced_at: datetime | None
    #: Who in Clockwork the contact matches, for "Exists in Clockwork" and "Possible duplicate".
    duplicate_of: str | None = None
    #: The candidate status in Clockwork, in the project the contact synced to; None = unknown.
    candidate_status: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class ContactFilter:
    """What the contacts table or `status --contacts` asks for."""

    sequence_id: int | None = None
    search: str = ""
    states: frozenset[ContactSyncState] = frozenset()
    #: Candidate statuses to show; "" stands for "no status known".
    candidate_statuses: frozenset[str] = frozenset()


class ContactSort(StrEnum):
    """Orders the contacts table can page through by key (each backed by a unique index)."""

    ID = "id"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class ContactProgress:
    """How far a contact got in its sequence (the one filtered on, else its latest), for the
    contacts table's Step, Last reply or bounce and Last email columns."""

    #: Steps sent so far (the enrollment's next_step).
    steps_sent: int
    status: EnrollmentStatus
    #: "replied" or "bounced" (ActivityKind values) and when, if either happened.
    last_response: str | None = None
    last_response_at: datetime | None = None
    last_email_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ContactCount:
    """A count for the contacts table: exact, or at least `value` (more are still counted)."""

    value: int
    exact: bool


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    name: str
    email: str
    role: Role
    integration: IntegrationKind
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClockworkSettingsView:
    """A user's Clockwork settings as the GUI and CLI show them. Never holds the keys."""

    firm: str | None
    sync_mode: SyncMode
    dedup: bool
    default_project_id: str | None
    activity_tracking: bool
    rate_limit: float

    @property
    def connected(self) -> bool:
        return self.firm is not None


@dataclass(frozen=True, slots=True)
class EmailSettingsView:
    from_name: str
    from_address: str
    bcc_address: str | None
