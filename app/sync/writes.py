"""The remote steps of each outbox item, with a recovery point after every one.

Clockwork has no idempotency keys, so every step is written to survive being cut off after the
request left and before the answer came back: a person create is marked as attempted first,
so the next try looks up before it creates; detail steps compare against the person record;
notes carry a marker of their activity so a retry finds them instead of posting again.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session

from app.clockwork.errors import NotFound
from app.domain import ContactSyncState, OutboxKind
from app.sync import outbox, person_create, records, status_update
from app.sync.candidate_status import status_name
from app.sync.errors import PermanentStepError
from app.sync.notes import activity_of, note_html
from app.sync.records import ContactSnapshot

if TYPE_CHECKING:
    from app.clockwork.client import ClockworkClient

T = TypeVar("T")
#: How far the search for a lost create reads; common names need more than one page.
ORPHAN_SEARCH_PAGES = 40
Db = Callable[[Callable[[Session], T]], Awaitable[T]]


class ItemRun:
    """One claimed outbox item being worked: its snapshot, checkpoint and the client."""

    def __init__(
        self, item: outbox.Claimed, snap: ContactSnapshot, client: ClockworkClient, db: Db[Any]
    ) -> None:
        self.item = item
        self.snap = snap
        self.client = client
        self.db = db
        # A deep copy: the claimed checkpoint stays as claimed, for telling progress by.
        self.cp: dict[str, Any] = copy.deepcopy(item.checkpoint)
        #: The contact's new state, if it changes: written with the item's finish, in one
        #: transaction, so a cancel or a crash never leaves a contact Synced (or flagged) with
        #: its item still queued, which a cancelled job would count as dropped.
        self.new_state: tuple[ContactSyncState, dict[str, str | None]] | None = None

    async def step_done(self, step: str, message: str = "", **learned: Any) -> None:
        """The recovery point: checkpoint and sync log, in one local transaction."""
        self.cp.update(learned)
        self.cp.setdefault("done", [])
        if step not in self.cp["done"]:
            self.cp["done"].append(step)
        cp, item = dict(self.cp), self.item

        def save(session: Session) -> None:
            outbox.save_checkpoint(session, item.id, cp)
            records.log(session, item.contact_id, item.id, step, "ok", message)

        await self.db(save)

    async def attempt(self, step: str) -> None:
        """Marks a write as possibly applied before it is sent."""
        self.cp.setdefault("attempted", [])
        if step not in self.cp["attempted"]:
            self.cp["attempted"].append(step)
        cp, item_id = dict(self.cp), self.item.id
        await self.db(lambda s: outbox.save_checkpoint(s, item_id, cp))

    def did(self, step: str) -> bool:
        return step in self.cp.get("done", [])

    def tried(self, step: str) -> bool:
        return step in self.cp.get("attempted", [])

    def set_state(self, state: ContactSyncState, **kw: str | None) -> None:
        """The contact's state once the item finishes (see `new_state`)."""
        self.new_state = (state, kw)


# --- the items ------------------------------------------------------------------------------


async def run_item(run: ItemRun) -> ContactSyncState | None:
    """Runs the item to its end; returns the contact's new state, if it changed."""
    kind = run.item.kind
    if kind == OutboxKind.DEDUP_CHECK:
        return await dedup_check(run)
    if kind == OutboxKind.SYNC_CONTACT:
        return await sync_contact(run)
    if kind == OutboxKind.MARK_DO_NOT_CONTACT:
        from app.optout.clockwork_step import mark_do_not_contact  # it builds on ItemRun

        await mark_do_not_contact(run)
        return None
    person_id = _require_synced(run)
    if kind == OutboxKind.ADD_TO_PROJECT:
        await add_to_project(run, person_id, run.item.project_id)
    elif kind == OutboxKind.POST_ACTIVITY and run.snap.activity_tracking:
        await post_notes(run, person_id, only=run.item.activity_id)
    elif kind == OutboxKind.SET_STATUS:
        await status_update.move_on_reply(run, run.item.project_id)
    return None


def _require_synced(run: ItemRun) -> str:
    if run.snap.state != ContactSyncState.SYNCED or run.snap.person_id is None:
        raise PermanentStepError("The contact is not in Clockwork yet; resync it first.")
    return run.snap.person_id


async def dedup_check(run: ItemRun) -> ContactSyncState | None:
    if not run.snap.dedup or run.snap.state != ContactSyncState.NOT_SYNCED:
        return None
    found = await run.client.find_person_by_email(run.snap.email)
    await run.step_done("lookup", "found in Clockwork" if found else "not in Clockwork")
    if found is None:
        return None
    await run.db(partial(records.note_do_not_contact, contact_id=run.snap.contact_id, person=found))
    run.set_state(ContactSyncState.EXISTS_IN_CLOCKWORK, duplicate_of=describe(found))
    return ContactSyncState.EXISTS_IN_CLOCKWORK


async def sync_contact(run: ItemRun) -> ContactSyncState:
    snap = run.snap
    if snap.state == ContactSyncState.SYNCED:
        return snap.state
    person_id = snap.person_id or run.cp.get("person_id")
    created = False
    answer: dict[str, Any] | None = None
    if person_id is None:
        verdict = await _find_or_flag(run)
        if isinstance(verdict, ContactSyncState):
            return verdict
        if verdict is not None:
            person_id = str(verdict["id"])
            await _record_person(run, person_id, "link", ours=snap.create_attempted)
        else:
            (person_id, answer), created = await _create(run), True
    # A person found after our own create attempt is ours too, even when the checkpoint that
    # said so was lost with the process: create_attempted is saved before the create is sent.
    if run.cp.get("ours") or snap.create_attempted or created:
        await fill_details(run, person_id, known=answer)
    await add_to_project(run, person_id, run.item.project_id)
    if snap.activity_tracking:
        await post_notes(run, person_id)
    run.set_state(ContactSyncState.SYNCED)
    return ContactSyncState.SYNCED


async def _find_or_flag(run: ItemRun) -> dict[str, Any] | ContactSyncState | None:
    """Look up before any create. Returns the person to link, a warning state, or None."""
    snap, client = run.snap, run.client
    found = await client.find_person_by_email(snap.email)
    if found is not None:
        await run.db(partial(records.note_do_not_contact, contact_id=snap.contact_id, person=found))
        if snap.dedup and not snap.create_attempted and not run.cp.get("link_existing"):
            run.set_state(ContactSyncState.EXISTS_IN_CLOCKWORK, duplicate_of=describe(found))
            return ContactSyncState.EXISTS_IN_CLOCKWORK
        return found
    if snap.create_attempted:
        return await _orphan_of_lost_create(run)
    if snap.linkedin_url and not run.cp.get("allow_duplicate"):
        match = await client.find_person_by_linkedin(snap.linkedin_url)
        if match is not None:
            run.set_state(ContactSyncState.POSSIBLE_DUPLICATE, duplicate_of=describe(match))
            return ContactSyncState.POSSIBLE_DUPLICATE
    return None


async def _orphan_of_lost_create(run: ItemRun) -> dict[str, Any] | None:
    """A create that may have landed before its email was added: find it by exact name among
    people with no email, reading the search's pages until they run out."""
    snap = run.snap
    if not snap.name or snap.name == snap.email:
        return None
    for page in range(1, ORPHAN_SEARCH_PAGES + 1):
        people = await run.client.search_people(snap.name, page)
        for person in people:
            same_name = str(person.get("name", "")).casefold() == snap.name.casefold()
            if same_name and not person.get("emailAddresses"):
                return person
        if not people:
            break
    return None


async def _create(run: ItemRun) -> tuple[str, dict[str, Any]]:
    """The create and its answer: the record as Clockwork stored it, inline details and all."""
    person = await person_create.create(run)
    person_id = str(person["id"])
    await _record_person(run, person_id, "create", ours=True)
    return person_id, person


async def _record_person(run: ItemRun, person_id: str, step: str, *, ours: bool) -> None:
    cid = run.snap.contact_id
    await run.db(lambda s: records.set_person(s, cid, person_id))
    await run.step_done(step, f"Clockwork person {person_id}", person_id=person_id, ours=ours)


async def fill_details(
    run: ItemRun, person_id: str, *, known: dict[str, Any] | None = None
) -> None:
    """Adds what the person record lacks; only on records this app created. `known` is the
    record as the create answered it; without it the record is read first."""
    snap, client = run.snap, run.client
    person = known if known is not None else await client.get_person(person_id)
    details: list[tuple[str, bool, Callable[[], Awaitable[Any]]]] = [
        (
            "email",
            _has(person, "emailAddresses", "address", snap.email),
            lambda: client.add_email(person_id, snap.email),
        ),
        (
            "linkedin",
            not snap.linkedin_url or _has(person, "linkedinUrls", "url", snap.linkedin_url),
            lambda: client.add_linkedin_url(person_id, snap.linkedin_url),
        ),
        (
            "phone",
            not snap.phone or _has(person, "phoneNumbers", "digits", snap.phone),
            lambda: client.add_phone(person_id, snap.phone),
        ),
        (
            "position",
            not (snap.title or snap.company) or bool(person.get("positions")),
            lambda: client.add_position(person_id, snap.title, snap.company),
        ),
    ]
    for step, present, send in details:
        if run.did(step) or present:
            continue
        await run.attempt(step)
        await send()
        await run.step_done(step)


def _has(person: dict[str, Any], key: str, field: str, value: str) -> bool:
    return any(
        str(entry.get(field, "")).casefold() == value.casefold() for entry in person.get(key) or []
    )


async def add_to_project(run: ItemRun, person_id: str, project_id: str | None) -> None:
    if not project_id:
        return
    cid = run.snap.contact_id
    if await run.db(lambda s: records.known_candidacy(s, cid, project_id)):
        return
    try:
        candidacy = (
            await _existing_candidacy(run, person_id, project_id)
            if run.tried("candidacy")
            else None
        )
        if candidacy is None:
            await run.attempt("candidacy")
            candidacy = await run.client.add_candidacy(project_id, person_id)
    except NotFound as exc:
        raise PermanentStepError(f"Project {project_id} no longer exists in Clockwork.") from exc
    candidacy_id = str(candidacy.get("id", ""))
    status = status_name(candidacy)
    await run.db(lambda s: records.add_candidacy(s, cid, project_id, candidacy_id, status))
    await run.step_done("candidacy", f"added to project {project_id}")


async def _existing_candidacy(
    run: ItemRun, person_id: str, project_id: str
) -> dict[str, Any] | None:
    for candidacy in await run.client.list_candidacies(project_id):
        if str(candidacy.get("personId")) == person_id:
            return candidacy
    return None


async def post_notes(run: ItemRun, person_id: str, only: int | None = None) -> None:
    cid = run.snap.contact_id
    notes = await run.db(lambda s: records.unposted_activities(s, cid, only))
    if not notes:
        return
    posted: dict[int | None, str] = {}
    if any(run.tried(f"note:{n.id}") for n in notes):
        for posted_note in await run.client.list_notes(person_id):
            posted[activity_of(str(posted_note.get("content", "")))] = str(posted_note.get("id"))
    for note in notes:
        note_id = posted.get(note.id)
        if note_id is None:
            await run.attempt(f"note:{note.id}")
            note_id = str((await run.client.add_note(person_id, note_html(note))).get("id", ""))
        await run.db(partial(records.set_note, activity_id=note.id, note_id=note_id))
        await run.step_done(f"note:{note.id}", f"{note.kind.value} note")


def describe(person: dict[str, Any]) -> str:
    name = person.get("name") or " ".join(
        filter(None, [person.get("firstName"), person.get("lastName")])
    )
    return f"{name or 'Unnamed'} (Clockwork id {person.get('id')})"
