"""Every contact in one listing, for the CLI's `status --contacts`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain import ContactFilter
from app.optout.suppression import suppressed_keys
from app.store import queries
from app.sync.candidate_status import candidate_status_by_contact, stop_reasons


def contacts_listing(session: Session) -> list[dict[str, object]]:
    """Every contact with its sequences, sync state, opt-out, candidate status and stop
    reason, in id order (`status --contacts`)."""
    names = queries.sequences_by_contact(session)
    rows = queries.contact_page(session, ContactFilter(), 0, 2**62)
    opted_out = suppressed_keys(session, (r.email for r in rows))
    statuses = candidate_status_by_contact(session)
    stopped = stop_reasons(session)
    return [
        {
            "email": r.email,
            "sequences": names.get(r.id, []),
            "state": r.state.value,
            "clockwork_person_id": r.clockwork_person_id,
            "error": r.error,
            "opted_out": r.email.lower() in opted_out,
            "candidate_status": statuses.get(r.id),
            "stop_reason": stopped.get(r.id),
        }
        for r in rows
    ]
