"""The person create with the contact's details inline, and what to do when a firm refuses.

Clockwork's v1 took a person's email, LinkedIn URL, phone and position in the create itself;
whether v3 does is unknown. So the create sends them inline, and the caller reads the answer
and adds separately only what the created record does not show (an inline field the answer
does not show is never trusted). A 400 that names the inline fields means the firm's API
refuses them: the create goes again bare (a 400 saved nothing), and the firm is remembered,
so its next contacts do not pay for the refusal again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.clockwork.endpoints import INLINE_FIELDS
from app.clockwork.errors import BadRequest
from app.store.models import Setting
from app.sync import records

if TYPE_CHECKING:
    from app.sync.writes import ItemRun

_REFUSED_KEY = "clockwork.inline_refused.{firm}"


def refuses_inline(session: Session, firm: str) -> bool:
    return session.get(Setting, _REFUSED_KEY.format(firm=firm)) is not None


def remember_refusal(session: Session, firm: str) -> None:
    if not refuses_inline(session, firm):
        session.add(Setting(key=_REFUSED_KEY.format(firm=firm), value="1"))


def forget_refusal(session: Session, firm: str) -> None:
    """For `clockwork check` after a firm's API changed: try inline details again."""
    found = session.get(Setting, _REFUSED_KEY.format(firm=firm))
    if found is not None:
        session.delete(found)


def names_inline_field(detail: str) -> bool:
    return any(field.casefold() in detail.casefold() for field in INLINE_FIELDS.values())


async def create(run: ItemRun) -> dict[str, Any]:
    """Creates the person, with the details inline unless the firm refuses them."""
    snap, client = run.snap, run.client
    firm = client.credentials.firm
    cid = snap.contact_id
    await run.db(lambda s: records.set_create_attempted(s, cid))
    refused = await run.db(lambda s: refuses_inline(s, firm))
    inline = {} if refused else inline_details(run)
    try:
        return await client.create_person(snap.first_name, snap.last_name, snap.name, inline)
    except BadRequest as exc:
        if not inline or not names_inline_field(exc.detail):
            raise
    await run.db(lambda s: remember_refusal(s, firm))
    await run.db(
        lambda s: records.log(
            s, cid, run.item.id, "create", "retry", "Clockwork refused inline details; bare create"
        )
    )
    return await client.create_person(snap.first_name, snap.last_name, snap.name)


def inline_details(run: ItemRun) -> dict[str, str]:
    snap = run.snap
    details = {
        "email": snap.email,
        "linkedin": snap.linkedin_url,
        "phone": snap.phone,
        "title": snap.title,
        "company": snap.company,
    }
    return {key: value for key, value in details.items() if value}
