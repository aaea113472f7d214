"""One handler per row of the client's endpoint table (app.clockwork.endpoints).

A handler gets the decoded call and returns (status, payload). The API layer wraps the
payload in the row's response key; rows without one return their whole answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.clockwork.endpoints import INLINE_FIELDS
from app.sandbox.state import SandboxState
from app.sandbox.vocab import Invalid, Missing

DEFAULT_LIMIT = 25


class BadQuery(Exception):
    """A malformed query parameter (answered with 400)."""


@dataclass(frozen=True, slots=True)
class Call:
    state: SandboxState
    params: dict[str, str]
    query: Mapping[str, str]
    #: The object inside the request body's wrapper key.
    fields: dict[str, Any]
    max_page_size: int
    inline_details: str = "ignore"

    def number(self, name: str, default: int, minimum: int) -> int:
        raw = self.query.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise BadQuery(f"{name} must be a whole number.") from None
        if value < minimum:
            raise BadQuery(f"{name} must be at least {minimum}.")
        return value

    def page(self) -> tuple[int, int]:
        limit = min(self.number("limit", DEFAULT_LIMIT, 1), self.max_page_size)
        return limit, self.number("offset", 0, 0)

    def text(self, name: str, default: str | None = None) -> str:
        value = self.fields.get(name, default)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # ids arrive as numbers or strings
        if not isinstance(value, str):
            raise Invalid(f"{name} is required and must be a string.")
        return value

    def optional(self, name: str) -> str | None:
        return None if self.fields.get(name) is None else self.text(name)


Result = tuple[int, Any]
Handler = Callable[[Call], Result]


def _list_people(c: Call) -> Result:
    return 200, c.state.list_people(*c.page())


def _get_person(c: Call) -> Result:
    person = c.state.find_person(c.params["ref"])
    if person is None:
        raise Missing("No person matches that id, email address or LinkedIn URL.")
    return 200, person


def _search_people(c: Call) -> Result:
    return 200, c.state.search_people(c.query.get("q", ""), c.number("page", 1, 1))


def _create_person(c: Call) -> Result:
    first, last = c.text("firstName", ""), c.text("lastName", "")
    inline = {key: c.text(field) for key, field in INLINE_FIELDS.items() if c.fields.get(field)}
    if inline and c.inline_details == "refuse":
        named = ", ".join(INLINE_FIELDS[key] for key in inline)
        raise BadQuery(f"Unknown attribute(s) for person: {named}.")
    if c.inline_details == "ignore":
        inline = {}
    return 201, c.state.create_person_with(first, last, c.text("name", ""), inline)


def _add_email(c: Call) -> Result:
    address, location = c.text("address"), c.text("location", "work")
    return 201, c.state.add_email(c.params["person_id"], address, location)


def _add_linkedin_url(c: Call) -> Result:
    return 201, c.state.add_linkedin_url(c.params["person_id"], c.text("url"))


def _add_phone(c: Call) -> Result:
    pid = c.params["person_id"]
    digits, location = c.text("digits"), c.text("location", "work")
    return 201, c.state.add_phone(pid, digits, c.optional("extension"), location)


def _add_position(c: Call) -> Result:
    title, company = c.text("title", ""), c.text("companyName", "")
    return 201, c.state.add_position(c.params["person_id"], title, company)


def _add_tag(c: Call) -> Result:
    return 201, {"personTag": c.state.add_tag(c.params["person_id"], c.text("tag_id"))}


def _update_person(c: Call) -> Result:
    value = c.fields.get("doNotContact")
    if not isinstance(value, bool):
        raise Invalid("doNotContact must be true or false; nothing else can be updated here.")
    c.state.set_do_not_contact(c.params["person_id"], value)
    return 200, c.state.find_person(c.params["person_id"])


def _list_notes(c: Call) -> Result:
    limit = min(c.number("limit", DEFAULT_LIMIT, 1), c.max_page_size)
    return 200, c.state.list_notes(c.params["person_id"], limit)


def _add_note(c: Call) -> Result:
    content, kind = c.text("content"), c.text("contentType", "text/html")
    note = c.state.add_note(c.params["person_id"], content, kind, c.text("category", "Email"))
    return 201, note


def _list_projects(c: Call) -> Result:
    return 200, c.state.list_projects(*c.page())


def _list_candidacies(c: Call) -> Result:
    return 200, c.state.list_candidacies(c.params["project_id"], *c.page())


def _add_candidacy(c: Call) -> Result:
    candidacy, created = c.state.add_candidacy(c.params["project_id"], c.text("personId"))
    # Guess: a second add answers with the existing candidacy instead of a duplicate.
    return (201 if created else 200), candidacy


def _get_candidacy(c: Call) -> Result:
    return 200, c.state.get_candidacy(c.params["project_id"], c.params["candidacy_id"])


def _update_candidacy(c: Call) -> Result:
    pid, cid = c.params["project_id"], c.params["candidacy_id"]
    return 200, c.state.set_candidacy_status(pid, cid, c.text("statusId"))


def _list_statuses(c: Call) -> Result:
    return 200, {"statuses": c.state.statuses()}


HANDLERS: dict[str, Handler] = {
    "list_people": _list_people,
    "get_person": _get_person,
    "search_people": _search_people,
    "create_person": _create_person,
    "add_email": _add_email,
    "add_linkedin_url": _add_linkedin_url,
    "add_phone": _add_phone,
    "add_position": _add_position,
    "add_tag": _add_tag,
    "list_notes": _list_notes,
    "add_note": _add_note,
    "list_projects": _list_projects,
    "list_candidacies": _list_candidacies,
    "add_candidacy": _add_candidacy,
    "get_candidacy": _get_candidacy,
    "update_candidacy": _update_candidacy,
    "list_statuses": _list_statuses,
    "update_person": _update_person,
}
