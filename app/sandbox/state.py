"""The sandbox's in-memory firm: people, projects, candidacies and notes.

Records are kept in the JSON shape the API answers with, and handed out as deep copies,
so callers never hold a reference into the locked data. One lock serialises everything:
the server runs in its own thread while tests read the state from theirs.
"""

from __future__ import annotations

import copy
import itertools
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app.clockwork.credentials import Credentials
from app.sandbox.journal import Journal
from app.sandbox.vocab import (
    CANDIDATE_STATUSES,
    Invalid,
    Missing,
    check_email,
    check_linkedin,
    check_location,
    check_note,
    normalise_linkedin,
)

Record = dict[str, Any]
Loader = Callable[["SandboxState"], None]

SEARCH_PAGE_SIZE = 25
_UUID_NAMESPACE = uuid.UUID("6f1c2a4e-8d0b-4c3e-9a57-2b1e0d4c7f10")


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SandboxState:
    def __init__(
        self,
        credentials: Credentials,
        loader: Loader | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.credentials = credentials
        self.journal = Journal()
        self._loader = loader
        self._clock = clock
        self._lock = threading.RLock()
        self.reset()

    @property
    def firm(self) -> str:
        return self.credentials.firm

    def reset(self) -> None:
        """Back to the seed data, with an empty journal."""
        with self._lock:
            self._people: dict[str, Record] = {}
            self._projects: dict[str, Record] = {}
            self._candidacies: dict[str, Record] = {}
            # Lookups by email, LinkedIn URL and (project, person) are indexed, as the real
            # API's are: a scan made each lookup cost milliseconds once the firm held 10,000
            # people, and the resync benchmark measured the sandbox instead of the app.
            self._by_email: dict[str, str] = {}
            self._by_linkedin: dict[str, str] = {}
            self._by_pair: dict[tuple[Any, Any], str] = {}
            self._notes: dict[str, list[Record]] = {}
            self.tags: dict[str, str] = {}
            self._companies: dict[str, int] = {}
            self._counters: dict[str, itertools.count[int]] = {}
            if self._loader is not None:
                self._loader(self)
            self.journal.clear()

    # -- ids and time ---------------------------------------------------------------------

    # Integer ids for most records and UUID strings for notes and candidacies, as the real
    # API mixes both; the client must cope with either.
    def _next_id(self, kind: str) -> int:
        counter = self._counters.setdefault(kind, itertools.count(1))
        return next(counter)

    def _next_uuid(self, kind: str) -> str:
        return str(uuid.uuid5(_UUID_NAMESPACE, f"{kind}-{self._next_id(kind)}"))

    def _now(self, at: datetime | None) -> str:
        return iso(at or datetime.fromtimestamp(self._clock(), UTC))

    # -- people ---------------------------------------------------------------------------

    def list_people(self, limit: int, offset: int) -> list[Record]:
        with self._lock:
            return copy.deepcopy(list(self._people.values())[offset : offset + limit])

    def find_person(self, ref: str) -> Record | None:
        with self._lock:
            return copy.deepcopy(self._find(ref))

    def _find(self, ref: str) -> Record | None:
        if ref in self._people:
            return self._people[ref]
        key = ref.strip().casefold()
        hits = [self._by_email.get(key)]
        if "linkedin.com" in key:
            hits.append(self._by_linkedin.get(normalise_linkedin(ref)))
        found = [int(person_id) for person_id in hits if person_id is not None]
        # The earliest person wins, as when the lookup walked the people in creation order.
        return self._people[str(min(found))] if found else None

    def _index(self, person_id: str, field: str, item: Record) -> None:
        if field == "emailAddresses":
            _keep_earliest(self._by_email, item["address"].casefold(), person_id)
        elif field == "linkedinUrls":
            _keep_earliest(self._by_linkedin, normalise_linkedin(item["url"]), person_id)

    def _person(self, person_id: str) -> Record:
        person = self._people.get(person_id)
        if person is None:
            raise Missing(f"No person with id {person_id}.")
        return person

    def search_people(self, q: str, page: int) -> list[Record]:
        words = q.casefold().split()
        with self._lock:
            hits = [p for p in self._people.values() if words and _matches(p, words)]
            start = (page - 1) * SEARCH_PAGE_SIZE
            return copy.deepcopy(hits[start : start + SEARCH_PAGE_SIZE])

    def create_person(
        self,
        first_name: str,
        last_name: str,
        name: str = "",
        *,
        do_not_contact: bool = False,
        at: datetime | None = None,
    ) -> Record:
        name = name.strip() or f"{first_name} {last_name}".strip()
        if not name:
            raise Invalid("A person needs a name, a first name or a last name.")
        with self._lock:
            now = self._now(at)
            person: Record = {
                "id": self._next_id("person"), "name": name, "firstName": first_name,
                "lastName": last_name, "doNotContact": do_not_contact, "createdAt": now,
                "updatedAt": now, "emailAddresses": [], "linkedinUrls": [], "phoneNumbers": [],
                "positions": [], "tags": [],
            }  # fmt: skip
            self._people[str(person["id"])] = person
            return copy.deepcopy(person)

    def create_person_with(
        self, first_name: str, last_name: str, name: str, inline: dict[str, str]
    ) -> Record:
        """A create with details inline (keys as endpoints.INLINE_FIELDS), all or nothing."""
        if inline.get("email"):
            check_email(inline["email"])
        if inline.get("linkedin"):
            check_linkedin(inline["linkedin"])
        with self._lock:
            pid = str(self.create_person(first_name, last_name, name)["id"])
            if inline.get("email"):
                self.add_email(pid, inline["email"])
            if inline.get("linkedin"):
                self.add_linkedin_url(pid, inline["linkedin"])
            if inline.get("phone"):
                self.add_phone(pid, inline["phone"])
            if inline.get("title") or inline.get("company"):
                self.add_position(pid, inline.get("title", ""), inline.get("company", ""))
            return copy.deepcopy(self._people[pid])

    def _add_to(self, person_id: str, field: str, item: Record, at: datetime | None) -> Record:
        with self._lock:
            person = self._person(person_id)
            item = {"id": self._next_id(field), **item}
            person[field].append(item)
            self._index(person_id, field, item)
            person["updatedAt"] = self._now(at)
            return copy.deepcopy(item)

    def add_email(
        self, person_id: str, address: str, location: str = "work", at: datetime | None = None
    ) -> Record:
        address, location = check_email(address), check_location(location)
        with self._lock:
            first = not self._person(person_id)["emailAddresses"]
            item = {"address": address, "location": location, "isPreferred": first}
            return self._add_to(person_id, "emailAddresses", item, at)

    def add_linkedin_url(self, person_id: str, url: str, at: datetime | None = None) -> Record:
        url = check_linkedin(url)
        with self._lock:
            first = not self._person(person_id)["linkedinUrls"]
            item = {"url": url, "isPreferred": first}
            return self._add_to(person_id, "linkedinUrls", item, at)

    def add_phone(
        self,
        person_id: str,
        digits: str,
        extension: str | None = None,
        location: str = "work",
        at: datetime | None = None,
    ) -> Record:
        if not any(c.isdigit() for c in digits):
            raise Invalid("Digits must contain a phone number.")
        check_location(location)
        item = {"digits": digits, "extension": extension, "location": location}
        return self._add_to(person_id, "phoneNumbers", item, at)

    def add_position(
        self, person_id: str, title: str, company_name: str, at: datetime | None = None
    ) -> Record:
        if not (title.strip() or company_name.strip()):
            raise Invalid("A position needs a title or a company name.")
        name = company_name.strip()
        with self._lock:
            if name not in self._companies:
                self._companies[name] = self._next_id("company")
            company = {"id": self._companies[name], "name": name}
            item = {"title": title.strip(), "isCurrent": True, "company": company}
            return self._add_to(person_id, "positions", item, at)

    def add_tag(self, person_id: str, tag_id: str, at: datetime | None = None) -> Record:
        if not tag_id.strip():
            raise Invalid("tag_id is required.")
        name = self.tags.get(tag_id, f"Tag {tag_id}")
        return self._add_to(person_id, "tags", {"tagId": tag_id, "name": name}, at)

    def set_do_not_contact(self, person_id: str, value: bool = True) -> None:
        with self._lock:
            self._person(person_id)["doNotContact"] = value

    # -- notes ----------------------------------------------------------------------------

    def list_notes(self, person_id: str, limit: int) -> list[Record]:
        with self._lock:
            self._person(person_id)
            newest_first = list(reversed(self._notes.get(person_id, [])))
            return copy.deepcopy(newest_first[:limit])

    def add_note(
        self,
        person_id: str,
        content: str,
        content_type: str = "text/html",
        category: str = "Email",
        at: datetime | None = None,
    ) -> Record:
        check_note(content, content_type, category)
        with self._lock:
            self._person(person_id)
            note = {
                "id": self._next_uuid("note"), "type": category, "category": category,
                "content": content, "contentType": content_type, "createdAt": self._now(at),
            }  # fmt: skip
            self._notes.setdefault(person_id, []).append(note)
            return copy.deepcopy(note)

    # -- projects and candidacies ---------------------------------------------------------

    def add_project(
        self, name: str, status: str, company_name: str, project_type: str, at: datetime
    ) -> Record:
        with self._lock:
            project = {
                "id": self._next_id("project"), "name": name, "status": status,
                "companyName": company_name, "projectType": project_type,
                "createdAt": iso(at), "updatedAt": iso(at),
            }  # fmt: skip
            self._projects[str(project["id"])] = project
            return copy.deepcopy(project)

    def list_projects(self, limit: int, offset: int) -> list[Record]:
        with self._lock:
            return copy.deepcopy(list(self._projects.values())[offset : offset + limit])

    def list_candidacies(self, project_id: str, limit: int, offset: int) -> list[Record]:
        with self._lock:
            self._project(project_id)
            rows = [c for c in self._candidacies.values() if str(c["projectId"]) == project_id]
            return copy.deepcopy(rows[offset : offset + limit])

    def add_candidacy(
        self, project_id: str, person_id: str, status: str = "Research", at: datetime | None = None
    ) -> tuple[Record, bool]:
        """The candidacy and whether it is new; a person is in a project at most once."""
        with self._lock:
            project = self._project(project_id)
            person = self._people.get(person_id)
            if person is None:
                raise Invalid(f"No person with id {person_id}.")
            key = (project["id"], person["id"])
            existing = self._by_pair.get(key)
            if existing is not None:
                return copy.deepcopy(self._candidacies[existing]), False
            now = self._now(at)
            candidacy = {
                "id": self._next_uuid("candidacy"), "projectId": project["id"],
                "personId": person["id"], "status": status,
                "statusId": CANDIDATE_STATUSES.index(status) + 1,
                "createdAt": now, "updatedAt": now,
            }  # fmt: skip
            self._candidacies[candidacy["id"]] = candidacy
            self._by_pair[key] = candidacy["id"]
            return copy.deepcopy(candidacy), True

    def _project(self, project_id: str) -> Record:
        project = self._projects.get(project_id)
        if project is None:
            raise Missing(f"No project with id {project_id}.")
        return project

    def _candidacy(self, project_id: str, candidacy_id: str) -> Record:
        candidacy = self._candidacies.get(candidacy_id)
        if candidacy is None or str(candidacy["projectId"]) != project_id:
            raise Missing(f"No candidacy {candidacy_id} in project {project_id}.")
        return candidacy

    def get_candidacy(self, project_id: str, candidacy_id: str) -> Record:
        with self._lock:
            return copy.deepcopy(self._candidacy(project_id, candidacy_id))

    def set_candidacy_status(
        self, project_id: str, candidacy_id: str, status: str, at: datetime | None = None
    ) -> Record:
        """`status` is a status id (as the API takes it) or, for tests, a status name."""
        name = _status_name(status)
        with self._lock:
            candidacy = self._candidacy(project_id, candidacy_id)
            candidacy["status"] = name
            candidacy["statusId"] = CANDIDATE_STATUSES.index(name) + 1
            candidacy["updatedAt"] = self._now(at)
            return copy.deepcopy(candidacy)

    def statuses(self) -> list[Record]:
        return [{"id": i, "name": n} for i, n in enumerate(CANDIDATE_STATUSES, 1)]

    # -- for tests ------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        with self._lock:
            by_email: dict[str, int] = {}
            for person in self._people.values():
                for address in {e["address"].casefold() for e in person["emailAddresses"]}:
                    by_email[address] = by_email.get(address, 0) + 1
            return {
                "people": len(self._people),
                "projects": len(self._projects),
                "candidacies": len(self._candidacies),
                "notes": sum(len(n) for n in self._notes.values()),
                "requests": len(self.journal),
                "peopleByEmail": by_email,
            }

    def people_with_email(self, address: str) -> int:
        return int(self.stats()["peopleByEmail"].get(address.casefold(), 0))


def _status_name(status: str) -> str:
    if status in CANDIDATE_STATUSES:
        return status
    if status.isdigit() and 1 <= int(status) <= len(CANDIDATE_STATUSES):
        return CANDIDATE_STATUSES[int(status) - 1]
    raise Invalid(f"No candidate status {status}.")


def _keep_earliest(index: dict[str, str], key: str, person_id: str) -> None:
    known = index.get(key)
    if known is None or int(person_id) < int(known):
        index[key] = person_id


def _matches(person: Record, words: list[str]) -> bool:
    parts = [person["name"], *(e["address"] for e in person["emailAddresses"])]
    parts += [f"{p['title']} {p['company']['name']}" for p in person["positions"]]
    haystack = " ".join(parts).casefold()
    return all(word in haystack for word in words)
