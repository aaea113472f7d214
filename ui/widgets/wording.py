"""Small wording helpers so every pane counts things the same way."""

from __future__ import annotations

from app.api import SyncMode


def count(n: int, singular: str, plural: str | None = None) -> str:
    """`count(12345, "contact")` -> "12,345 contacts"."""
    word = singular if n == 1 else (plural or f"{singular}s")
    return f"{n:,} {word}"


# Wording from the Clockwork integration guide, so recruiters meet the terms they know.
SYNC_MODE_TEXT = {
    SyncMode.OFF: "Off – contacts will not sync to Clockwork",
    SyncMode.ON_ADD: "Sync contacts when added to a sequence",
    SyncMode.ON_REPLY: "Sync contacts only when they reply",
}

FIELD_LABELS = {
    "email": "Email",
    "first_name": "First name",
    "last_name": "Last name",
    "title": "Title",
    "company": "Company",
    "linkedin_url": "LinkedIn URL",
    "phone": "Phone",
}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
