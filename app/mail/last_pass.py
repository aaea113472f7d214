"""The last mail pass, kept in one place: the status bar and the Email pane's Activity card
both read it, so they cannot disagree ("No mail check yet" beside "Mail: checked 09:12").

The mail façade listens to its own `mail.run` / `mail.failed` topics (topic listeners run
before the bridge's catch-all one), so every reader sees the pass the event announces, and a
pane built later (the Email pane is built when first opened) still finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.event_types import MailFailed, MailRun, payload
from app.events import Event

#: How many sent emails a pass remembers by name; the count is always whole.
SENT_NAMED = 200


@dataclass(frozen=True)
class LastPass:
    at: datetime  # UTC
    run: MailRun | None = None  # what the pass did, if it ran
    failure: MailFailed | None = None  # why it could not run

    @property
    def errors(self) -> list[str]:
        if self.failure is not None:
            return [f"{self.failure.title}: {self.failure.message}"]
        return list(self.run.errors) if self.run is not None else []

    @property
    def sent(self) -> int:
        return self.run.sent if self.run is not None else 0

    @property
    def mailbox(self) -> bool:
        """Whether a mailbox was set up for the pass (a pass that failed had one to fail on)."""
        return self.run.mailbox if self.run is not None else True

    @property
    def inbox(self) -> bool:
        """Whether an IMAP server was set up for the pass, to read replies and bounces from."""
        return self.run.inbox if self.run is not None else True


def from_event(event: Event, now: datetime | None = None) -> LastPass:
    at = now or datetime.now(UTC)
    value = payload(event)
    if isinstance(value, MailFailed):
        return LastPass(at, failure=value)
    return LastPass(at, run=value if isinstance(value, MailRun) else MailRun())
