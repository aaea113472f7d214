"""The contacts table at a million rows: keyset pages, page anchors and counts that never scan.

A page is "the `limit` rows after this key" in one order, read from a unique index, so page
50,000 costs what page 1 does (OFFSET would walk every row before it). To jump to row N the
table first asks for the anchors, the key of every `every`-th row, once per filter, off the GUI
thread; page n then starts after anchor n-1.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.domain import ContactCount, ContactFilter, ContactRow, ContactSort
from app.store import search, tallies
from app.store.models import Contact, Enrollment, SyncRecord
from app.store.queries import ROW_COLUMNS, filtered, to_row

#: A search's quick count stops here and says "at least"; the exact figure is counted off the
#: GUI thread. Five pages: more only delays the first rows, as a short search held by a few
#: percent of a million contacts reads about 25 rows per match (at 5,000: 56-170 ms).
COUNT_CAP = 1_000
#: A state or sequence filter keeping one contact in this many or more is read in sort order.
WALK_SHARE = 20

ContactKey = int | str


def sort_column(sort: ContactSort) -> Any:
    return Contact.id if sort is ContactSort.ID else Contact.email_key


def key_of(row: ContactRow, sort: ContactSort) -> ContactKey:
    """Where a page that ends with `row` ends, in `sort` order."""
    # email_key is the lower-cased email (app/store/contacts.py writes it so).
    return row.id if sort is ContactSort.ID else row.email.lower()


def page_after(
    session: Session,
    flt: ContactFilter,
    after: ContactKey | None,
    limit: int,
    sort: ContactSort = ContactSort.ID,
) -> list[ContactRow]:
    searching = search.plan(session, flt.search) if flt.search.strip() else None
    arms = searching.arms() if searching and sort is ContactSort.ID else None
    if arms is None:
        return _page(session, flt, searching, after, limit, sort)
    # Contacts waiting for the search index: a page of each arm, merged.
    rows = [r for arm in arms for r in _page(session, flt, arm, after, limit, sort)]
    return sorted(rows, key=lambda r: r.id)[:limit]


def _page(
    session: Session,
    flt: ContactFilter,
    searching: search.SearchPlan | None,
    after: ContactKey | None,
    limit: int,
    sort: ContactSort,
) -> list[ContactRow]:
    in_id_order = sort is ContactSort.ID
    column = searching.id_key if searching and in_id_order else sort_column(sort)
    query = _walkable(session, select(*ROW_COLUMNS), flt, searching, in_id_order)
    if after is not None:
        query = query.where(column > after)
        if in_id_order:
            # The same bound on the joined key: PostgreSQL does not carry an inequality across
            # the join, and merge-joined every sync record before it (0.7 s, 90 % down 1M).
            query = query.where(SyncRecord.contact_id > after)
            joined = searching.joined_key if searching else None
            if joined is not None:
                query = query.where(joined > after)
    return [to_row(r) for r in session.execute(query.order_by(column).limit(limit))]


def _walkable[*Ts](
    session: Session,
    query: Select[*Ts],
    flt: ContactFilter,
    searching: search.SearchPlan | None,
    in_id_order: bool,
) -> Select[*Ts]:
    """`filtered`, but a state or sequence filter matching many contacts walks the sort order.

    Through the state (or sequence) index, SQLite finds every match and sorts them all before
    the first 200 come out: seconds at a million. When the tallies say the filter keeps at
    least one contact in WALK_SHARE, reading the sort index and dropping non-matches finds
    a page after about 200 / share rows; `|| ''` and `+ 0` keep the filter off its index.
    """
    if session.get_bind().dialect.name != "sqlite" or not (flt.states or flt.sequence_id):
        # PostgreSQL's planner weighs this itself, from its statistics.
        return filtered(session, query, flt, searching, in_id_order=in_id_order)
    everyone = tallies.count(session, ContactFilter())
    kept = tallies.count(session, replace(flt, search="", candidate_statuses=frozenset()))
    if kept * WALK_SHARE < everyone:
        return filtered(session, query, flt, searching, in_id_order=in_id_order)
    rest = replace(flt, states=frozenset(), sequence_id=None)
    query = filtered(session, query, rest, searching, in_id_order=in_id_order)
    if flt.states:
        wanted = sorted(s.value for s in flt.states)
        query = query.where((SyncRecord.state + "").in_(wanted))
    if flt.sequence_id is not None:
        query = query.join(Enrollment, Enrollment.contact_id == Contact.id).where(
            Enrollment.sequence_id + 0 == flt.sequence_id
        )
    return query


def anchors(
    session: Session, flt: ContactFilter, every: int, sort: ContactSort = ContactSort.ID
) -> list[ContactKey]:
    """The key of row every, 2*every, ... (1-based): page n starts after anchors[n-1].

    One pass over the filtered keys (an index-only scan without a search): a few hundred
    milliseconds at a million rows, so the caller runs it off the GUI thread.
    """
    column = sort_column(sort)
    numbered = filtered(
        session,
        select(column.label("k"), func.row_number().over(order_by=column).label("n")),
        flt,
    ).subquery()
    query = select(numbered.c.k).where(numbered.c.n % every == 0).order_by(numbered.c.n)
    return list(session.scalars(query))


def quick_count(session: Session, flt: ContactFilter) -> ContactCount:
    """Without a search: exact, from the tallies. With one: exact up to COUNT_CAP."""
    if tallies.serves(flt):
        return ContactCount(tallies.count(session, flt), exact=True)
    capped = filtered(session, select(Contact.id), flt).limit(COUNT_CAP + 1).subquery()
    found = session.scalar(select(func.count()).select_from(capped)) or 0
    if found > COUNT_CAP:
        return ContactCount(COUNT_CAP, exact=False)
    return ContactCount(found, exact=True)
