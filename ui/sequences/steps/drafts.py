"""Unsaved step edits, kept per sequence and step until saved or reverted.

Switching to another step or sequence keeps the draft (the list marks the step as unsaved),
so nothing typed is lost and nobody is asked a question on every click.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.api import StepInfo

#: The key of a step being added: shown after the saved steps until its first save.
NEW = -1


@dataclass(frozen=True, slots=True)
class Draft:
    subject: str
    body: str
    delay_days: int
    same_thread: bool

    @classmethod
    def of(cls, step: StepInfo) -> Draft:
        return cls(step.subject, step.body, step.delay_days, step.same_thread)

    def matches(self, step: StepInfo) -> bool:
        """Saving would change nothing (the core strips the subject)."""
        return Draft(self.subject.strip(), self.body, self.delay_days, self.same_thread) == (
            Draft.of(step)
        )


class Drafts:
    def __init__(self) -> None:
        self._by_sequence: dict[int, dict[int, Draft]] = {}

    def get(self, sequence_id: int, key: int) -> Draft | None:
        return self._by_sequence.get(sequence_id, {}).get(key)

    def has(self, sequence_id: int, key: int) -> bool:
        return self.get(sequence_id, key) is not None

    def put(self, sequence_id: int, key: int, draft: Draft, saved: StepInfo | None) -> None:
        """Keeps `draft` unless it equals the saved step; a NEW step is always kept."""
        if saved is not None and draft.matches(saved):
            self.drop(sequence_id, key)
        else:
            self._by_sequence.setdefault(sequence_id, {})[key] = draft

    def drop(self, sequence_id: int, key: int) -> None:
        self._by_sequence.get(sequence_id, {}).pop(key, None)

    def prune(self, sequence_id: int, steps: list[StepInfo]) -> None:
        """Forget drafts the store now matches, and drafts of steps that no longer exist."""
        drafts = self._by_sequence.get(sequence_id, {})
        for key, draft in list(drafts.items()):
            if key != NEW and (key >= len(steps) or draft.matches(steps[key])):
                del drafts[key]

    def count(self) -> int:
        """Steps with unsaved changes, in all sequences (for a question on quitting)."""
        return sum(len(drafts) for drafts in self._by_sequence.values())

    def removed(self, sequence_id: int, index: int) -> None:
        """Step `index` was removed: its draft goes, later ones move up with their steps."""
        drafts = self._by_sequence.get(sequence_id, {})
        drafts.pop(index, None)
        for key in sorted(k for k in drafts if k > index):
            drafts[key - 1] = drafts.pop(key)
