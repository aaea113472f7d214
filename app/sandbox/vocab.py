"""Clockwork's fixed vocabularies and the sandbox's checks of incoming values."""

from __future__ import annotations

LOCATIONS = ("work", "home", "other")
NOTE_CATEGORIES = (
    "Call", "Email", "Follow Up", "Meeting", "Next Steps", "Overview", "Assessment",
    "Resume Text", "Reference", "Left Message", "Internal", "Source", "Feedback",
)  # fmt: skip
NOTE_CONTENT_TYPES = ("text/html", "text/plain")
CANDIDATE_STATUSES = (
    "Placed", "Offer Extended", "Finalist", "Interviewing", "Candidate", "Qualifying",
    "Pursuing", "Potential Candidate", "Research", "Turned Off", "Disqualified",
    "DQ by Client", "Withdrew", "Timing Off", "Offer Declined", "Not Responding",
    "Not Interested", "Location Issue", "On Hold", "Source", "Reference", "Benchmark",
    "Remove from Project",
)  # fmt: skip


class Invalid(Exception):
    """The request's data is not acceptable (answered with 422)."""


class Missing(Exception):
    """The addressed record does not exist (answered with 404)."""


def check_email(address: str) -> str:
    address = address.strip()
    local, _, domain = address.partition("@")
    if not local or "." not in domain or " " in address:
        raise Invalid("Address is not a valid email address.")
    return address


def check_linkedin(url: str) -> str:
    if "linkedin.com/" not in url.casefold():
        raise Invalid("Url must be a LinkedIn profile URL.")
    return url.strip()


def check_location(location: str) -> str:
    if location not in LOCATIONS:
        raise Invalid(f"Location must be one of {', '.join(LOCATIONS)}.")
    return location


def check_note(content: str, content_type: str, category: str) -> None:
    if not content.strip():
        raise Invalid("Content is required.")
    if content_type not in NOTE_CONTENT_TYPES:
        raise Invalid(f"ContentType must be one of {', '.join(NOTE_CONTENT_TYPES)}.")
    if category not in NOTE_CATEGORIES:
        raise Invalid(f"Category must be one of {', '.join(NOTE_CATEGORIES)}.")


def normalise_linkedin(url: str) -> str:
    """The comparable part of a LinkedIn URL: no scheme, no www, no query, no trailing slash."""
    text = url.strip().casefold().split("?")[0].split("#")[0].rstrip("/")
    for prefix in ("https://", "http://", "www."):
        text = text.removeprefix(prefix)
    return text
