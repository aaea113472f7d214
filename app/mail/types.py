"""Plain values the mail façade answers with: steps, settings, previews and run reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum

# Topic names live in app/events.py; re-exported for the modules that publish them.
from app.events import MAIL_FAILED as MAIL_FAILED
from app.events import MAIL_RUN as MAIL_RUN


class Security(StrEnum):
    SSL = "ssl"
    STARTTLS = "starttls"
    NONE = "none"


class SendState(StrEnum):
    """Enrollment.send_state: a step's send between "claimed" and "recorded as sent"."""

    SENDING = "sending"
    #: The send may or may not have reached the server; only the user can say.
    UNCERTAIN = "uncertain"


@dataclass(frozen=True, slots=True)
class StepInfo:
    index: int
    subject: str
    body: str
    delay_days: int
    same_thread: bool


@dataclass(frozen=True, slots=True)
class ServerView:
    host: str
    port: int
    security: Security
    user: str

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True, slots=True)
class MailSettingsView:
    """The email settings page, minus the passwords, which never leave the keyring."""

    from_name: str
    from_address: str
    bcc_address: str | None
    smtp: ServerView
    imap: ServerView
    sending_window: str
    daily_cap: int
    include_body_in_notes: bool


@dataclass(frozen=True, slots=True)
class Preview:
    subject: str
    body: str
    #: Placeholders the chosen contact has no value for: they would be sent blank.
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UncertainSend:
    enrollment_id: int
    email: str
    sequence: str
    step_index: int
    message_id: str
    started_at: datetime | None


@dataclass
class RunReport:
    """What one pass did; `errors` are user-ready lines (server unreachable, login refused)."""

    sent: int = 0
    replies: int = 0
    bounces: int = 0
    #: "sending" leftovers found in the Sent folder and recorded as sent, not sent again.
    confirmed: int = 0
    #: "sending" leftovers proven unsent, queued to go again with the same Message-ID.
    requeued: int = 0
    uncertain: int = 0
    #: Due but held back: outside the sending window, over the daily cap, or a failed attempt.
    deferred: int = 0
    do_not_contact: int = 0
    #: Senders found asking to stop (unsubscribe or a reply's words), now suppressed.
    opted_out: int = 0
    #: Due, but the pause between two sends (pacing) or the per-domain hourly cap held them.
    paced: int = 0
    domain_capped: int = 0
    #: Sequences paused in this pass for their hard-bounce rate, with why.
    paused: list[str] = field(default_factory=list)
    #: Due, but the email could not be made or addressed for that contact: see `failures()`.
    failed: int = 0
    outside_window: bool = False
    cap_reached: bool = False
    errors: list[str] = field(default_factory=list)
    #: False when no SMTP or IMAP server is set up: the pass only scheduled, nothing was checked.
    mailbox: bool = True
    #: False when no IMAP server is set up: no reply or bounce could be read.
    inbox: bool = True
    #: "to — subject (step n)" for each email sent, the first SENT_NAMED of them.
    sent_emails: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
