"""Every Clockwork path and JSON wrapper key we use, in one table.

Much of the public v3 API is known only from third-party integrations (see the team's
clockwork-api.md notes). Each row says how sure
we are, so that a row marked GUESS can be corrected here, against the real reference,
without touching the client methods, the sandbox or the sync engine. The sandbox serves
exactly these rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal
from urllib.parse import quote

Method = Literal["GET", "POST", "PUT"]

API_HOST = "api.clockworkrecruiting.com"
API_VERSION_PREFIX = "v3.0"
#: Guess: the web page of a person in the Clockwork app.
PERSON_WEB_URL = "https://{firm}.clockworkrecruiting.com/people/{person_id}"
#: Guess (our sandbox's shape): the JSON `error` value of a 404 for an unknown firm.
FIRM_NOT_FOUND_ERROR = "firm_not_found"


class Certainty(StrEnum):
    CONFIRMED = "confirmed"
    SEEN = "seen"
    GUESS = "guess"


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    method: Method
    #: Relative to the firm base URL; `{name}` parts are single, url-encoded path segments.
    path: str
    #: Key that wraps the JSON request body, e.g. {"person": {...}}.
    request_key: str | None
    #: Key that wraps the JSON answer; None when the shape is unknown and taken as is.
    response_key: str | None
    certainty: Certainty
    note: str = ""

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.path.split("/"))

    def url(self, **params: str) -> str:
        """The relative URL, each parameter encoded as exactly one path segment."""
        return "/".join(
            encode_segment(params[s[1:-1]]) if _is_param(s) else s for s in self.segments
        )

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The parameters if decoded `segments` fit this row's path, else None."""
        if len(segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for pattern, value in zip(self.segments, segments, strict=True):
            if _is_param(pattern):
                params[pattern[1:-1]] = value
            elif pattern != value:
                return None
        return params


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def encode_segment(value: str) -> str:
    # An empty or all-dot segment would be collapsed by URL normalisation and address a
    # different resource (people/.. is the firm root), so it is refused outright.
    if not value or set(value) == {"."}:
        raise ValueError("a Clockwork path parameter cannot be empty or only dots")
    return quote(value, safe="")


def _row(
    name: str,
    method: Method,
    path: str,
    request_key: str | None,
    response_key: str | None,
    certainty: Certainty,
    note: str = "",
) -> Endpoint:
    return Endpoint(name, method, path, request_key, response_key, certainty, note)


C, S, G = Certainty.CONFIRMED, Certainty.SEEN, Certainty.GUESS

# fmt: off
LIST_PEOPLE = _row("list_people", "GET", "people", None, "people", C, "limit/offset")
GET_PERSON = _row("get_person", "GET", "people/{ref}", None, "person", G,
                  "ref is an id, an email or a LinkedIn URL; 404 when none (confirmed in v1)")
SEARCH_PEOPLE = _row("search_people", "GET", "people_search", None, "peopleSearch", S, "q, page")
CREATE_PERSON = _row("create_person", "POST", "people", "person", "person", G,
                     "path confirmed; response wrapper guessed; inline details (INLINE_FIELDS) "
                     "seen in v1 (Lefthook's Zapier app), unknown in v3")
ADD_EMAIL = _row("add_email", "POST", "people/{person_id}/email_addresses", "email",
                 "personEmailAddress", C)
ADD_LINKEDIN_URL = _row("add_linkedin_url", "POST", "people/{person_id}/linkedin_urls",
                        "linkedin_url", "personLinkedinUrl", C)
ADD_PHONE = _row("add_phone", "POST", "people/{person_id}/phone_numbers", "phone_number",
                 "personPhoneNumber", C)
ADD_POSITION = _row("add_position", "POST", "people/{person_id}/positions", "position",
                    "position", C)
ADD_TAG = _row("add_tag", "POST", "people/{person_id}/tags", "person_tag", None, C,
               "response shape unknown; taken as is")
LIST_NOTES = _row("list_notes", "GET", "people/{person_id}/notes", None, "notes", S, "limit")
ADD_NOTE = _row("add_note", "POST", "people/{person_id}/notes", "note", "note", G,
                "v1 took notes:[...] on the person")
LIST_PROJECTS = _row("list_projects", "GET", "projects", None, "projects", S,
                     "limit/offset; field names (status, companyName) guessed")
LIST_CANDIDACIES = _row("list_candidacies", "GET", "projects/{project_id}/candidacies", None,
                        "candidacies", S, "limit/offset")
ADD_CANDIDACY = _row("add_candidacy", "POST", "projects/{project_id}/candidacies", "candidacy",
                     "candidacy", G, "adding a person twice returns the existing candidacy (200)")
GET_CANDIDACY = _row("get_candidacy", "GET", "projects/{project_id}/candidacies/{candidacy_id}",
                     None, "candidacy", G, "read just before a status change")
UPDATE_CANDIDACY = _row("update_candidacy", "PUT",
                        "projects/{project_id}/candidacies/{candidacy_id}", "candidacy",
                        "candidacy", G, "body {statusId}; moves the candidate status")
LIST_STATUSES = _row("list_statuses", "GET", "statuses", None, None, C,
                     "path confirmed; shape unknown, taken as is")
UPDATE_PERSON = _row("update_person", "PUT", "people/{person_id}", "person", "person", G,
                     "only doNotContact is sent (an opt-out); path, verb and wrapper guessed")
CHECK = _row("check", "GET", "people", None, "people", G,
             "credentials check: any cheap authenticated GET; we send limit=1")
# fmt: on

ENDPOINTS: tuple[Endpoint, ...] = (
    LIST_PEOPLE,
    GET_PERSON,
    SEARCH_PEOPLE,
    CREATE_PERSON,
    ADD_EMAIL,
    ADD_LINKEDIN_URL,
    ADD_PHONE,
    ADD_POSITION,
    ADD_TAG,
    LIST_NOTES,
    ADD_NOTE,
    LIST_PROJECTS,
    LIST_CANDIDACIES,
    ADD_CANDIDACY,
    GET_CANDIDACY,
    UPDATE_CANDIDACY,
    LIST_STATUSES,
    UPDATE_PERSON,
)

#: Guess, from v1 (Lefthook's Zapier app sends these in one `POST people`): a person's details
#: inline in the create. Keys are ours; values are the fields of the create's body.
INLINE_FIELDS: dict[str, str] = {
    "email": "emailAddress",
    "linkedin": "linkedinUrl",
    "phone": "phoneNumber",
    "title": "positionTitle",
    "company": "positionCompany",
}

#: Fields we read from each answer, checked strictly on the first write of each kind in a
#: session and by `clockwork check` on the readable rows.
READ_FIELDS: dict[str, tuple[str, ...]] = {
    "list_people": ("id", "name"),
    "get_person": ("id", "name", "emailAddresses"),
    "search_people": ("id", "name"),
    "create_person": ("id",),
    "add_email": ("id",),
    "add_linkedin_url": ("id",),
    "add_phone": ("id",),
    "add_position": ("id",),
    "list_notes": ("id", "content"),
    "add_note": ("id",),
    "list_projects": ("id", "name", "status"),
    "list_candidacies": ("id", "personId", "status"),
    "add_candidacy": ("id",),
    "get_candidacy": ("id", "status"),
    "update_candidacy": ("id", "status"),
    "list_statuses": ("id", "name"),
}


def route(method: str, segments: list[str]) -> tuple[Endpoint, dict[str, str]] | None:
    """The row serving a request, for the sandbox. Fixed paths win over `{ref}` ones."""
    for endpoint in sorted(ENDPOINTS, key=lambda e: e.path.count("{")):
        if endpoint.method != method:
            continue
        params = endpoint.match(segments)
        if params is not None:
            return endpoint, params
    return None
