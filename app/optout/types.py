"""Plain values the suppression list answers with."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum


class Source(StrEnum):
    """How an address came onto the list."""

    MAILTO = "mailto"  # a mail to the sender saying "unsubscribe" (the List-Unsubscribe)
    REPLY = "reply"  # a reply whose own words ask to stop
    MANUAL = "manual"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class SuppressionInfo:
    email: str
    source: Source
    #: For a detected opt-out, the phrase and the line that triggered it; else a note.
    trigger: str
    created_at: datetime
    created_by: str | None
    clockwork_person_id: str | None = None
    #: Set once a user undid it: then the address may be emailed again.
    lifted_at: datetime | None = None
    lifted_by: str | None = None
    lifted_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.lifted_at is None

    @property
    def detected(self) -> bool:
        return self.source in (Source.MAILTO, Source.REPLY)

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "source": self.source.value, "active": self.active}


@dataclass(frozen=True, slots=True)
class SuppressReport:
    """What `add` or `import_csv` did."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    #: (line number or position, reason) of what could not be read as an address.
    rejected: list[tuple[int, str]] = field(default_factory=list)
    #: Enrollments ended, in any sequence of anyone on the team.
    sequences_ended: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "already": self.already,
            "rejected": [{"line": n, "reason": r} for n, r in self.rejected],
            "sequences_ended": self.sequences_ended,
        }
