"""SQLAlchemy models for the whole domain of the article.

Enum columns hold the `StrEnum` values of `app.domain` as plain strings.

Written for both SQLite and PostgreSQL: no SQLite-only types or SQL. Clockwork ids are strings
because the API shows both integers and UUIDs. Email uniqueness is case-insensitive through a
stored lower-case key, which both databases index the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from app.domain import (
    ContactSyncState,
    EnrollmentStatus,
    IntegrationKind,
    OutboxStatus,
    Role,
    SyncMode,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both SQLite (which drops tzinfo) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


#: Server-side "now": bulk inserts then bind no timestamp per row, on SQLite and PostgreSQL alike.
#: Columns that order events or schedule work use Python's clock instead, for sub-second precision.
NOW = func.current_timestamp()


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Workspace-wide key/value settings that belong to no user (e.g. the default user)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(24), default=Role.MEMBER.value)
    integration: Mapped[str] = mapped_column(String(24), default=IntegrationKind.NONE.value)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW)

    groups: Mapped[list[Group]] = relationship(secondary="user_groups", back_populates="users")


class Group(Base):
    __tablename__ = "groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    users: Mapped[list[User]] = relationship(secondary="user_groups", back_populates="groups")


class UserGroup(Base):
    __tablename__ = "user_groups"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )


class ClockworkSettings(Base):
    """One user's Clockwork integration settings. The keys live in the keyring, never here."""

    __tablename__ = "clockwork_settings"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    firm: Mapped[str | None] = mapped_column(String(63))
    sync_mode: Mapped[str] = mapped_column(String(24), default=SyncMode.OFF.value)
    dedup: Mapped[bool] = mapped_column(Boolean, default=True)
    default_project_id: Mapped[str | None] = mapped_column(String(64))
    activity_tracking: Mapped[bool] = mapped_column(Boolean, default=False)
    rate_limit: Mapped[float] = mapped_column(default=5.0)
    paused_reason: Mapped[str | None] = mapped_column(Text)
    #: Candidate statuses that stop a sequence, comma-separated; None = the default set.
    stop_statuses: Mapped[str | None] = mapped_column(Text)
    #: The candidate status a reply moves the candidacy to; None = leave it.
    reply_status: Mapped[str | None] = mapped_column(String(100))


class EmailSettings(Base):
    __tablename__ = "email_settings"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    from_name: Mapped[str] = mapped_column(String(200), default="")
    from_address: Mapped[str] = mapped_column(String(254), default="")
    bcc_address: Mapped[str | None] = mapped_column(String(254))
    smtp_host: Mapped[str] = mapped_column(String(255), default="")
    smtp_port: Mapped[int] = mapped_column(Integer, default=587)
    smtp_security: Mapped[str] = mapped_column(String(16), default="starttls")
    smtp_user: Mapped[str] = mapped_column(String(254), default="")
    imap_host: Mapped[str] = mapped_column(String(255), default="")
    imap_port: Mapped[int] = mapped_column(Integer, default=993)
    imap_security: Mapped[str] = mapped_column(String(16), default="ssl")
    imap_user: Mapped[str] = mapped_column(String(254), default="")
    sending_window: Mapped[str] = mapped_column(String(100), default="always")
    daily_cap: Mapped[int] = mapped_column(Integer, default=200)
    include_body_in_notes: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the reply poll stopped in INBOX; a new UIDVALIDITY means the UIDs were renumbered.
    imap_uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    imap_last_uid: Mapped[int | None] = mapped_column(BigInteger)
    # "password" or "oauth" (XOAUTH2 with the signed-in account's access token).
    smtp_auth: Mapped[str] = mapped_column(
        String(16), default="password", server_default="password"
    )
    imap_auth: Mapped[str] = mapped_column(
        String(16), default="password", server_default="password"
    )
    # The signed-in mail account; its refresh token is in the keyring only (app/mail/oauth).
    oauth_provider: Mapped[str | None] = mapped_column(String(16))
    oauth_account: Mapped[str | None] = mapped_column(String(254))
    oauth_client_id: Mapped[str | None] = mapped_column(String(200))
    oauth_tenant: Mapped[str | None] = mapped_column(String(200))
    #: None (never signed in), "ok", or "needs_signin" after the provider refused the token.
    oauth_state: Mapped[str | None] = mapped_column(String(16))
    # Sending like a careful person (app/mail/pacing.py): a random pause between two sends,
    # in seconds (None: off), and a cap per recipient domain per hour (None: off).
    pacing_min_s: Mapped[int | None] = mapped_column(Integer, default=30)
    pacing_max_s: Mapped[int | None] = mapped_column(Integer, default=90)
    domain_cap: Mapped[int | None] = mapped_column(Integer, default=10)
    #: No send before this: the end of the pause drawn after the last one.
    next_send_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: An opt-out also sets doNotContact on the Clockwork person, with a note.
    opt_out_to_clockwork: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The SPF/DMARC check of the from domain: what it was run for, and what it found.
    dns_checked_for: Mapped[str | None] = mapped_column(String(600))
    dns_warnings: Mapped[str] = mapped_column(Text, default="")


class Project(Base):
    """A Clockwork project as last fetched; `syncable` is computed from its status on refresh."""

    __tablename__ = "projects"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(64), default="")
    company: Mapped[str] = mapped_column(String(300), default="")
    syncable: Mapped[bool] = mapped_column(Boolean, default=True)
    refreshed_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW)


class Sequence(Base):
    __tablename__ = "sequences"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    sync_to_clockwork: Mapped[bool] = mapped_column(Boolean, default=True)
    project_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW)
    # An opt-out line under every email of the sequence, off by default.
    footer_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    footer_text: Mapped[str] = mapped_column(String(500), default="")
    #: Why sending stopped by itself (a hard-bounce rate too high); None while it sends.
    paused_reason: Mapped[str | None] = mapped_column(Text)
    #: The bounce rate counts from here: resuming starts it afresh.
    bounces_counted_from: Mapped[datetime | None] = mapped_column(UtcDateTime)

    steps: Mapped[list[SequenceStep]] = relationship(
        back_populates="sequence", order_by="SequenceStep.position", cascade="all, delete-orphan"
    )


class SequenceStep(Base):
    __tablename__ = "sequence_steps"
    __table_args__ = (UniqueConstraint("sequence_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sequence_id: Mapped[int] = mapped_column(ForeignKey("sequences.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    delay_days: Mapped[int] = mapped_column(Integer, default=0)
    same_thread: Mapped[bool] = mapped_column(Boolean, default=True)

    sequence: Mapped[Sequence] = relationship(back_populates="steps")


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    # Lower-cased email: the case-insensitive unique key, portable to PostgreSQL.
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    company: Mapped[str] = mapped_column(String(300), default="")
    linkedin_url: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW, onupdate=utcnow)

    sync: Mapped[SyncRecord | None] = relationship(back_populates="contact", uselist=False)


class Enrollment(Base):
    """A contact in a sequence."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("contact_id", "sequence_id"),
        Index("ix_enrollments_sequence", "sequence_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    sequence_id: Mapped[int] = mapped_column(ForeignKey("sequences.id", ondelete="CASCADE"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW)
    status: Mapped[str] = mapped_column(String(24), default=EnrollmentStatus.ACTIVE.value)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Whether the sequence's "Sync to Clockwork" was on when the contact was added: the
    # article says a later toggle does not change what happens to contacts already added.
    sync_enabled_at_add: Mapped[bool] = mapped_column(Boolean, default=True)
    next_step: Mapped[int] = mapped_column(Integer, default=0)
    next_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The send of step `next_step` in flight: "sending" is committed, with the Message-ID made
    # beforehand, before SMTP starts, so a crash leaves a trace to check instead of a resend.
    send_state: Mapped[str | None] = mapped_column(String(16))
    send_message_id: Mapped[str | None] = mapped_column(String(500))
    send_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Why the sequence stopped for this contact when Clockwork's status stopped it.
    stop_reason: Mapped[str | None] = mapped_column(Text)
    # Why the last attempt at the current step failed, shown on the contact; None once sent.
    send_error: Mapped[str | None] = mapped_column(Text)


class ActivityEvent(Base):
    __tablename__ = "activity_events"
    __table_args__ = (Index("ix_activity_enrollment", "enrollment_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    step_index: Mapped[int | None] = mapped_column(Integer)
    message_id: Mapped[str | None] = mapped_column(String(500), index=True)
    # The Clockwork note this activity became, once posted.
    clockwork_note_id: Mapped[str | None] = mapped_column(String(64))


class SyncRecord(Base):
    """Where one contact stands with Clockwork."""

    __tablename__ = "sync_records"
    __table_args__ = (Index("ix_sync_records_state", "state"),)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(24), default=ContactSyncState.NOT_SYNCED.value)
    clockwork_person_id: Mapped[str | None] = mapped_column(String(64))
    candidacy_id: Mapped[str | None] = mapped_column(String(64))
    project_id: Mapped[str | None] = mapped_column(String(64))
    duplicate_of: Mapped[str | None] = mapped_column(Text)
    # Set just before a person is created: a later attempt then knows a person it finds by
    # email may be its own lost create, not a pre-existing record (no idempotency keys).
    create_attempted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW, onupdate=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="sync")


class Candidacy(Base):
    """A contact added to a Clockwork project; one row per project so a retry never re-adds."""

    __tablename__ = "candidacies"
    __table_args__ = (UniqueConstraint("contact_id", "project_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    project_id: Mapped[str] = mapped_column(String(64))
    clockwork_candidacy_id: Mapped[str] = mapped_column(String(64))
    #: The candidate status in Clockwork as we last read or wrote it, and when.
    status: Mapped[str | None] = mapped_column(String(100))
    status_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW)


class OutboxItem(Base):
    """A remote effect still owed to Clockwork, written in the transaction that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_contact", "contact_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_events.id", ondelete="CASCADE")
    )
    project_id: Mapped[str | None] = mapped_column(String(64))
    # A bulk resync's id, so its progress can be counted and its rest cancelled.
    job_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(24), default=OutboxStatus.PENDING.value)
    # Failed attempts in a row that saved no new recovery point (outbox.MAX_ATTEMPTS).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Recovery point: JSON of the remote steps already done (step name -> remote id).
    checkpoint: Mapped[str] = mapped_column(Text, default="{}")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=NOW, onupdate=utcnow)


class SyncLogEntry(Base):
    """One attempt at one step: what the sync log view lists and retries from."""

    __tablename__ = "sync_log"
    __table_args__ = (Index("ix_sync_log_contact", "contact_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"))
    step: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")


class ContactTally(Base):
    """How many contacts are in a sync state, overall (sequence_id 0) or in one sequence.

    Kept by triggers (app/store/tallies.py), never written by the app: counts without a scan.
    """

    __tablename__ = "contact_tallies"
    sequence_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(24), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class Suppression(Base):
    """An address never to be emailed again, by any sequence or teammate: an opt-out found in
    the inbox, or added by hand or from a CSV. Undoing it keeps the row, with who and why."""

    __tablename__ = "suppressions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    clockwork_person_id: Mapped[str | None] = mapped_column(String(64), index=True)
    #: How: "mailto" (the List-Unsubscribe address), "reply", "manual" or "import".
    source: Mapped[str] = mapped_column(String(16))
    #: The words that triggered a detected opt-out, or the note given by hand.
    trigger: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lifted_reason: Mapped[str | None] = mapped_column(Text)


class BulkWrite(Base):
    """A marker, written and removed inside one bulk write's transaction (so no other
    connection sees it): while it is there, SQLite's insert triggers for the tallies and the
    search index skip, and the bulk write applies their work once per statement
    (app/store/bulk_pause.py)."""

    __tablename__ = "bulk_writes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class SearchBacklog(Base):
    """Contact ids a bulk add left for the search index to catch up on (SQLite's FTS5 table,
    PostgreSQL's `contact_search`), as non-overlapping ranges: while an id is in one, searches
    test its contact with LIKE (app/store/search_backlog.py)."""

    __tablename__ = "search_backlog"
    low: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    high: Mapped[int] = mapped_column(Integer)
