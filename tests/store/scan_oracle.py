"""The contacts search and counts as they were before the indexes: the oracle the new ones must
equal. Copied in spirit from app/store/queries.py before migration 'million', and kept apart
from the app's code on purpose, so a change there cannot change what the tests expect."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain import ContactFilter
from app.store.models import Contact, Enrollment, SyncRecord

_SEARCHED = (
    Contact.email_key,
    Contact.first_name,
    Contact.last_name,
    Contact.company,
    Contact.title,
)


def scan_ids(session: Session, flt: ContactFilter) -> list[int]:
    """Ids of the matching contacts in id order, by scanning every row with LIKE."""
    query = select(Contact.id).join(SyncRecord, SyncRecord.contact_id == Contact.id)
    if flt.sequence_id is not None:
        query = query.join(Enrollment, Enrollment.contact_id == Contact.id).where(
            Enrollment.sequence_id == flt.sequence_id
        )
    if flt.states:
        query = query.where(SyncRecord.state.in_(sorted(s.value for s in flt.states)))
    text = flt.search.strip()
    if text:
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        sqlite = session.get_bind().dialect.name == "sqlite"
        query = query.where(
            or_(
                *(
                    (col if sqlite else func.lower(col)).like(pattern, escape="\\")
                    for col in _SEARCHED
                )
            )
        )
    return list(session.scalars(query.order_by(Contact.id)))
