"""The outbox item of an opt-out: doNotContact on the Clockwork person, then a note saying
when and how they opted out. Written like every sync step, to survive being cut off: the
update is a PUT of one field (repeating it changes nothing), and the note carries a marker
that a retry looks for before posting again."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.optout.types import Source
from app.store.models import Suppression
from app.sync.writes import ItemRun

_HOW = {
    Source.MAILTO: "sent an unsubscribe request (the List-Unsubscribe address)",
    Source.REPLY: "replied asking not to be contacted again",
    Source.MANUAL: "was added to the suppression list by hand",
    Source.IMPORT: "was imported into the suppression list",
}


@dataclass(frozen=True, slots=True)
class OptOut:
    id: int
    source: Source
    trigger: str
    at: datetime
    person_id: str | None
    lifted: bool


def marker(suppression_id: int) -> str:
    return f"[escapement:opt-out:{suppression_id}]"


def note_html(opt_out: OptOut) -> str:
    parts = [
        f"<p><b>Opted out</b> — {_HOW[opt_out.source]}.</p>",
        f"<p>{opt_out.at:%Y-%m-%d %H:%M} UTC</p>",
    ]
    if opt_out.trigger:
        parts.append(f"<blockquote>{html.escape(opt_out.trigger)}</blockquote>")
    parts.append(f"<p>Escapement will not email them again. {marker(opt_out.id)}</p>")
    return "".join(parts)


def _load(session: Session, suppression_id: int) -> OptOut | None:
    row = session.get(Suppression, suppression_id)
    if row is None:
        return None
    return OptOut(
        row.id,
        Source(row.source),
        row.trigger,
        row.created_at,
        row.clockwork_person_id,
        row.lifted_at is not None,
    )


async def mark_do_not_contact(run: ItemRun) -> None:
    suppression_id = int(run.cp.get("suppression_id", 0))
    opt_out = await run.db(lambda s: _load(s, suppression_id))
    person_id = run.snap.person_id or (opt_out.person_id if opt_out else None)
    if opt_out is None or opt_out.lifted or person_id is None:
        # Undone meanwhile, or the person is not in Clockwork: there is nothing to mark.
        await run.step_done("do_not_contact", "skipped: not in Clockwork or undone")
        return
    if not run.did("do_not_contact"):
        await run.client.set_do_not_contact(person_id, True)
        await run.step_done("do_not_contact", "doNotContact set in Clockwork")
    if not run.did("opt_out_note"):
        await _post_note(run, person_id, opt_out)
        await run.step_done("opt_out_note", "opt-out note")


async def _post_note(run: ItemRun, person_id: str, opt_out: OptOut) -> None:
    if run.tried("opt_out_note"):
        notes: list[dict[str, Any]] = await run.client.list_notes(person_id)
        if any(marker(opt_out.id) in str(n.get("content", "")) for n in notes):
            return
    await run.attempt("opt_out_note")
    await run.client.add_note(person_id, note_html(opt_out))
