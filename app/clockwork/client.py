"""The Clockwork API client the sync engine calls. It returns plain dicts, ids as strings.

Every path and wrapper key comes from `endpoints`; retries, rate limit and error mapping
live in `requester`. Use one client for the app's lifetime and close it on quit.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from types import TracebackType
from typing import Any, Self

import httpx

from app.clockwork import endpoints as ep
from app.clockwork.credentials import Credentials
from app.clockwork.domain_input import base_url
from app.clockwork.errors import FirmNotFound, NotFound, ShapeDrift
from app.clockwork.meter import MeterReading
from app.clockwork.ratelimit import RequestLimiter, Sleep
from app.clockwork.redact import register_secret
from app.clockwork.requester import AuthHook, Requester, RetryPolicy
from app.clockwork.responses import expect_dict, expect_list
from app.clockwork.rules import is_syncable_project, person_url
from app.clockwork.shapes import check_record
from app.clockwork.write_gate import WriteGate

__all__ = ["ClockworkClient", "is_syncable_project", "person_url"]

PAGE_SIZE = 100
#: Stops a listing whose server ignores `offset` and repeats the same page forever.
MAX_PAGES = 1000


class ClockworkClient:
    """Async Clockwork API client; one per app, closed with `aclose()` or `async with`.

    `origin` replaces https://api.clockworkrecruiting.com and must be loopback (sandbox).
    `rate` (requests/s) and `concurrency` cap our traffic; `timeout` is httpx's per-step
    timeout, and a whole exchange is cut off at twice that. `max_retries`, `backoff_base`
    and `backoff_cap` shape retries of 429, 5xx, connection failures and GET timeouts;
    a Retry-After above `max_retry_after` is raised at once as RateLimited.
    `sleep` and `rng` are there for tests.
    """

    def __init__(
        self,
        credentials: Credentials,
        *,
        origin: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        rate: float = 5.0,
        concurrency: int = 4,
        timeout: float = 15.0,
        max_retries: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_retry_after: float = 120.0,
        page_size: int = PAGE_SIZE,
        on_auth_failure: AuthHook | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        for secret in credentials.secrets():
            register_secret(secret)
        self.credentials = credentials
        self.page_size = page_size
        self._requester = Requester(
            credentials,
            base_url(credentials.firm, origin),
            limiter=RequestLimiter(rate, concurrency),
            policy=RetryPolicy(max_retries, backoff_base, backoff_cap, max_retry_after),
            timeout=timeout,
            transport=transport,
            sleep=sleep,
            rng=rng,
            on_auth_failure=on_auth_failure,
        )
        self.write_gate = WriteGate()

    # -- lifetime and settings ------------------------------------------------------------

    async def aclose(self) -> None:
        await self._requester.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"ClockworkClient(base={self.base_url!r})"

    @property
    def base_url(self) -> str:
        return self._requester.base

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._requester.request_count

    def meter(self) -> MeterReading:
        """Requests and 429s in the last hour, against the cap per hour."""
        return self._requester.meter.reading(self.rate)

    @property
    def rate(self) -> float:
        """The client-side cap in requests per second; settable at any time."""
        return self._requester.limiter.rate

    @rate.setter
    def rate(self, value: float) -> None:
        self._requester.limiter.rate = value

    @property
    def on_auth_failure(self) -> AuthHook | None:
        """Called with the AuthError whenever a request gets 401 (e.g. to pause the queue)."""
        return self._requester.on_auth_failure

    @on_auth_failure.setter
    def on_auth_failure(self, hook: AuthHook | None) -> None:
        self._requester.on_auth_failure = hook

    # -- people ---------------------------------------------------------------------------

    async def check(self) -> None:
        """One cheap authenticated request; raises AuthError, ForbiddenError, FirmNotFound..."""
        try:
            await self._requester.call(ep.CHECK, query={"limit": 1})
        except FirmNotFound:
            raise
        except NotFound as error:
            # A 404 on the firm's own people list means the base path, i.e. the firm, is wrong.
            raise FirmNotFound(self.credentials.firm) from error

    async def list_people(self, limit: int = PAGE_SIZE, offset: int = 0) -> list[dict[str, Any]]:
        """One page of people (no use in syncing; here for completeness of the table)."""
        query = {"limit": limit, "offset": offset}
        return expect_list(await self._requester.call(ep.LIST_PEOPLE, query=query))

    async def find_person_by_email(self, email: str) -> dict[str, Any] | None:
        return await self._find_person(email.strip())

    async def find_person_by_linkedin(self, url: str) -> dict[str, Any] | None:
        return await self._find_person(url.strip())

    async def _find_person(self, ref: str) -> dict[str, Any] | None:
        try:
            return await self.get_person(ref)
        except FirmNotFound:
            raise
        except NotFound:
            return None

    async def get_person(self, person_id: str) -> dict[str, Any]:
        return expect_dict(await self._requester.call(ep.GET_PERSON, {"ref": str(person_id)}))

    async def search_people(self, q: str, page: int = 1) -> list[dict[str, Any]]:
        found = await self._requester.call(ep.SEARCH_PEOPLE, query={"q": q, "page": page})
        return expect_list(found)

    async def create_person(
        self,
        first_name: str,
        last_name: str,
        name: str | None = None,
        inline: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """`inline`: details sent in the create itself, keyed as ep.INLINE_FIELDS (a guess)."""
        full_name = name if name is not None else f"{first_name} {last_name}".strip()
        fields = {"firstName": first_name, "lastName": last_name, "name": full_name}
        for key, value in (inline or {}).items():
            if value:
                fields[ep.INLINE_FIELDS[key]] = value
        return await self._post(ep.CREATE_PERSON, {}, fields)

    async def add_email(
        self, person_id: str, address: str, location: str = "work"
    ) -> dict[str, Any]:
        fields = {"address": address, "location": location}
        return await self._post(ep.ADD_EMAIL, {"person_id": person_id}, fields)

    async def add_linkedin_url(self, person_id: str, url: str) -> dict[str, Any]:
        return await self._post(ep.ADD_LINKEDIN_URL, {"person_id": person_id}, {"url": url})

    async def add_phone(
        self,
        person_id: str,
        digits: str,
        extension: str | None = None,
        location: str = "work",
    ) -> dict[str, Any]:
        fields = {"digits": digits, "extension": extension, "location": location}
        return await self._post(ep.ADD_PHONE, {"person_id": person_id}, fields)

    async def add_position(self, person_id: str, title: str, company_name: str) -> dict[str, Any]:
        fields = {"title": title, "companyName": company_name}
        return await self._post(ep.ADD_POSITION, {"person_id": person_id}, fields)

    async def add_tag(self, person_id: str, tag_id: str) -> dict[str, Any]:
        return await self._post(ep.ADD_TAG, {"person_id": person_id}, {"tag_id": tag_id})

    async def set_do_not_contact(self, person_id: str, value: bool = True) -> dict[str, Any]:
        """PUT people/{id} with only doNotContact: a guessed endpoint (see the table)."""
        return await self._post(ep.UPDATE_PERSON, {"person_id": person_id}, {"doNotContact": value})

    async def list_notes(self, person_id: str, limit: int = 100) -> list[dict[str, Any]]:
        params = {"person_id": str(person_id)}
        return expect_list(
            await self._requester.call(ep.LIST_NOTES, params, query={"limit": limit})
        )

    async def add_note(
        self, person_id: str, content_html: str, category: str = "Email"
    ) -> dict[str, Any]:
        fields = {"content": content_html, "contentType": "text/html", "category": category}
        return await self._post(ep.ADD_NOTE, {"person_id": person_id}, fields)

    # -- projects -------------------------------------------------------------------------

    async def list_projects(self) -> list[dict[str, Any]]:
        return await self._all_pages(ep.LIST_PROJECTS, {})

    async def list_candidacies(self, project_id: str) -> list[dict[str, Any]]:
        return await self._all_pages(ep.LIST_CANDIDACIES, {"project_id": str(project_id)})

    async def add_candidacy(self, project_id: str, person_id: str) -> dict[str, Any]:
        fields = {"personId": str(person_id)}
        return await self._post(ep.ADD_CANDIDACY, {"project_id": project_id}, fields)

    async def get_candidacy(self, project_id: str, candidacy_id: str) -> dict[str, Any]:
        params = {"project_id": str(project_id), "candidacy_id": str(candidacy_id)}
        return expect_dict(await self._requester.call(ep.GET_CANDIDACY, params))

    async def update_candidacy_status(
        self, project_id: str, candidacy_id: str, status_id: str
    ) -> dict[str, Any]:
        params = {"project_id": str(project_id), "candidacy_id": str(candidacy_id)}
        return await self._post(ep.UPDATE_CANDIDACY, params, {"statusId": str(status_id)})

    async def candidacy_pages(self, project_id: str) -> tuple[list[dict[str, Any]], int]:
        """Every candidacy of a project, and how many pages (requests) that took."""
        return await self._pages(ep.LIST_CANDIDACIES, {"project_id": str(project_id)})

    async def list_statuses(self) -> list[dict[str, Any]] | dict[str, Any]:
        """Candidate statuses. The shape is unknown: a list when we can find one, else as is."""
        data = await self._requester.call(ep.LIST_STATUSES)
        if isinstance(data, dict) and isinstance(data.get("statuses"), list):
            data = data["statuses"]
        return expect_list(data) if isinstance(data, list) else expect_dict(data)

    # -- helpers --------------------------------------------------------------------------

    async def check_shape_once(self) -> None:
        """One cheap read, checked for its shape, once per session (the sync engine calls it
        before its first item): an API whose wrappers all changed is caught before anything
        is created."""
        await self.write_gate.before_first_write(self._preflight)

    async def _preflight(self) -> None:
        await self._requester.call(ep.LIST_PEOPLE, query={"limit": 1})

    async def read_raw(
        self,
        endpoint: ep.Endpoint,
        params: dict[str, str],
        query: dict[str, str | int] | None = None,
    ) -> Any:
        """A read's whole answer, wrapper and all, for the compatibility check."""
        if endpoint.method != "GET":
            raise ValueError(f"{endpoint.name} is not a read")
        whole = dataclasses.replace(endpoint, response_key=None)
        return await self._requester.call(whole, params, query=query)

    async def _post(
        self, endpoint: ep.Endpoint, params: dict[str, str], fields: dict[str, Any]
    ) -> dict[str, Any]:
        if endpoint.request_key is None:
            raise ValueError(f"{endpoint.name} has no request wrapper key")
        params = {key: str(value) for key, value in params.items()}
        async with self.write_gate.enter(endpoint.name) as strict:
            try:
                found = await self._requester.call(
                    endpoint, params, body={endpoint.request_key: fields}
                )
                if strict:
                    check_record(
                        endpoint, found, {endpoint.response_key: found}, maybe_applied=True
                    )
            except ShapeDrift as drift:
                self.write_gate.drift = drift
                raise
            self.write_gate.verified.add(endpoint.name)
        return expect_dict(found, is_write=True)

    async def _all_pages(
        self, endpoint: ep.Endpoint, params: dict[str, str]
    ) -> list[dict[str, Any]]:
        return (await self._pages(endpoint, params))[0]

    async def _pages(
        self, endpoint: ep.Endpoint, params: dict[str, str]
    ) -> tuple[list[dict[str, Any]], int]:
        # Read until a page brings nothing new: a short page is not proof of the end,
        # because the server may cap `limit` below what we asked for.
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        offset = pages = 0
        for _ in range(MAX_PAGES):
            pages += 1
            query = {"limit": self.page_size, "offset": offset}
            page = expect_list(await self._requester.call(endpoint, params, query=query))
            fresh = [item for item in page if str(item.get("id")) not in seen]
            if not fresh:
                break
            seen.update(str(item.get("id")) for item in fresh)
            items.extend(fresh)
            offset += len(page)
        return items, pages
