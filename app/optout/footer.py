"""The optional opt-out line under a sequence's emails ("Reply 'unsubscribe' and I won't
write again"): off by default, its text editable per sequence."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import InputError
from app.store.models import Sequence

DEFAULT_FOOTER = "Reply 'unsubscribe' and I won't write again."
MAX_FOOTER = 300


def with_footer(session: Session, sequence_id: int, body: str) -> str:
    seq = session.get_one(Sequence, sequence_id)
    if not seq.footer_enabled:
        return body
    return f"{body.rstrip()}\n\n{seq.footer_text or DEFAULT_FOOTER}"


def set_footer(seq: Sequence, enabled: bool | None, text: str | None) -> None:
    if text is not None:
        clean = " ".join(text.split())
        if len(clean) > MAX_FOOTER:
            raise InputError(f"The footer line can be at most {MAX_FOOTER} characters.")
        seq.footer_text = clean
    if enabled is not None:
        seq.footer_enabled = enabled
        if enabled and not seq.footer_text:
            seq.footer_text = DEFAULT_FOOTER
