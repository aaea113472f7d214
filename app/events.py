"""A tiny, Qt-free publish/subscribe bus for progress and state changes.

The GUI bridges it to Qt signals in one place (`ui/runtime/bridge.py`); the CLI prints from it.
Handlers run synchronously on the publisher's thread, so they must be cheap.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[["Event"], None]


@dataclass(frozen=True, slots=True)
class Event:
    topic: str
    data: dict[str, Any] = field(default_factory=dict)


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, topic: str, handler: Handler) -> Callable[[], None]:
        """Subscribe to a topic ("*" for all); returns a function that unsubscribes."""
        self._handlers[topic].append(handler)
        return lambda: self._handlers[topic].remove(handler)

    def publish(self, topic: str, **data: Any) -> None:
        event = Event(topic, data)
        for handler in [*self._handlers.get(topic, ()), *self._handlers.get("*", ())]:
            try:
                handler(event)
            except Exception:
                # One broken listener must not stop the sync engine or the others.
                log.exception("event handler failed for %s", topic)


# Topics, named once so that publishers and subscribers cannot drift apart.
CONTACTS_CHANGED = "contacts.changed"
SEQUENCES_CHANGED = "sequences.changed"
SETTINGS_CHANGED = "settings.changed"
CONNECTION_CHANGED = "connection.changed"
#: The sync worker found Clockwork unreachable, or reachable again; data: reachable, message.
CLOCKWORK_REACHABILITY = "clockwork.reachability"
SYNC_PROGRESS = "sync.progress"
SYNC_STATE = "sync.state"
TEAM_CHANGED = "team.changed"
#: A mail pass ended (data: the RunReport's fields) or could not run (title, message).
MAIL_RUN = "mail.run"
MAIL_FAILED = "mail.failed"
#: Mail sign-in changed (data: auth, provider, account, state).
MAIL_ACCOUNT = "mail.account"
