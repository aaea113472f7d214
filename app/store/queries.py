"""Read-side queries: the contacts table's pages and counts, and the status summary."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.domain import ContactFilter, ContactRow, ContactSyncState
from app.store import search, tallies
from app.store.models import Candidacy, Contact, Enrollment, OutboxItem, Sequence, SyncRecord

ROW_COLUMNS = (
    Contact.id,
    Contact.email,
    Contact.first_name,
    Contact.last_name,
    Contact.title,
    Contact.company,
    SyncRecord.state,
    SyncRecord.clockwork_person_id,
    SyncRecord.last_error,
    SyncRecord.synced_at,
    SyncRecord.duplicate_of,
    Candidacy.status,
)


def filtered[*Ts](
    session: Session,
    query: Select[*Ts],
    flt: ContactFilter,
    searching: search.SearchPlan | None = None,
    *,
    in_id_order: bool = True,
) -> Select[*Ts]:
    """`query` over the contacts `flt` keeps; `searching` is flt.search's plan, if made, and
    `in_id_order` says whether the query reads them in id order (see SearchPlan.apply)."""
    query = query.join(SyncRecord, SyncRecord.contact_id == Contact.id)
    # The candidate status shown is the one in the project the contact last synced to, which
    # is its sequence's project (a contact is in a project at most once).
    query = query.outerjoin(
        Candidacy,
        (Candidacy.contact_id == Contact.id) & (Candidacy.project_id == SyncRecord.project_id),
    )
    if flt.candidate_statuses:
        named = sorted(s for s in flt.candidate_statuses if s)
        wanted = [Candidacy.status.in_(named)] if named else []
        if "" in flt.candidate_statuses:
            wanted.append(Candidacy.status.is_(None))
        query = query.where(or_(*wanted))
    if flt.sequence_id is not None:
        query = query.join(Enrollment, Enrollment.contact_id == Contact.id).where(
            Enrollment.sequence_id == flt.sequence_id
        )
    if flt.states:
        query = query.where(SyncRecord.state.in_(sorted(s.value for s in flt.states)))
    if searching is None and flt.search.strip():
        searching = search.plan(session, flt.search)
    return query if searching is None else searching.apply(query, in_id_order=in_id_order)


def count_contacts(session: Session, flt: ContactFilter) -> int:
    if tallies.serves(flt):
        return tallies.count(session, flt)
    return session.scalar(filtered(session, select(func.count(Contact.id)), flt)) or 0


def contact_page(session: Session, flt: ContactFilter, offset: int, limit: int) -> list[ContactRow]:
    query = (
        filtered(session, select(*ROW_COLUMNS), flt)
        .order_by(Contact.id)
        .offset(offset)
        .limit(limit)
    )
    return [to_row(r) for r in session.execute(query)]


def contact_ids(session: Session, flt: ContactFilter) -> list[int]:
    return list(session.scalars(filtered(session, select(Contact.id), flt).order_by(Contact.id)))


def to_row(r: Any) -> ContactRow:
    return ContactRow(
        id=r[0],
        email=r[1],
        first_name=r[2],
        last_name=r[3],
        title=r[4],
        company=r[5],
        state=ContactSyncState(r[6]),
        clockwork_person_id=r[7],
        error=r[8],
        synced_at=r[9],
        duplicate_of=r[10],
        candidate_status=r[11],
    )


def counts_by_state(session: Session) -> dict[str, int]:
    counts = {state.value: 0 for state in ContactSyncState}
    for state, n in session.execute(
        select(SyncRecord.state, func.count()).group_by(SyncRecord.state)
    ):
        counts[state] = n
    return counts


def outbox_pending(session: Session) -> int:
    return (
        session.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.status == "pending")) or 0
    )


def sequences_by_contact(session: Session) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    query = select(Enrollment.contact_id, Sequence.name).join(Sequence).order_by(Sequence.name)
    for contact_id, name in session.execute(query):
        names[contact_id].append(name)
    return names
