"""The last mail pass, kept in one place: the status bar and the Email pane's Activity card
both read it, so they cannot disagree ("No mail check yet" beside "Mail: checked 09:12").

The mail façade listens to its own `mail.run` / `mail.failed` topics (topic listeners run
before the bridge's catch-all one), so every reader sees the pass the event announces, and a
pane built later (the Email pane is built when first opened) still finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.events import Event

#: How many sent emails a pass remembers by name; the count is always whole.
SENT_NAMED = 200


@dataclass(frozen=True)
class LastPass:
    at: datetime  # UTC
    report: dict[str, Any] = field(default_factory=dict)  # the RunReport's fields, if it ran
    failure: tuple[str, str] | None = None  # (title, message) when it could not run

    @property
    def errors(self) -> list[str]:
        if self.failure is not None:
            return [f"{self.failure[0]}: {self.failure[1]}"]
        return [str(e) for e in self.report.get("errors", [])]

    @property
    def sent(self) -> int:
        value = self.report.get("sent", 0)
        return value if isinstance(value, int) else 0

    @property
    def sent_emails(self) -> list[str]:
        return [str(s) for s in self.report.get("sent_emails", [])]


def from_event(event: Event, now: datetime | None = None) -> LastPass:
    at = now or datetime.now(UTC)
    if event.topic == "mail.failed":
        title, message = str(event.data.get("title", "")), str(event.data.get("message", ""))
        return LastPass(at, failure=(title, message))
    return LastPass(at, report=dict(event.data))
