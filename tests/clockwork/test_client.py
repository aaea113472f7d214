"""Every client method against the sandbox: in process, and a subset over a real socket."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.clockwork.client import ClockworkClient, is_syncable_project
from app.clockwork.errors import BadRequest, FirmNotFound, NotFound
from app.sandbox.harness import FAST, sandbox_client, sandbox_transport
from app.sandbox.knobs import Knobs
from app.sandbox.seed import DEMO_SHARED_EMAILS, demo_state
from app.sandbox.server import SandboxServer
from app.sandbox.state import SandboxState

Client = tuple[ClockworkClient, SandboxState, Knobs]
ALLOWED_HOSTS = {"api.clockworkrecruiting.com", "127.0.0.1"}


class HostRecorder(httpx.AsyncBaseTransport):
    """Passes requests through, noting the host each one was sent to."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.hosts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def cw() -> AsyncIterator[Client]:
    async with sandbox_client() as trio:
        yield trio


@pytest.fixture(params=["asgi", "loopback"])
async def any_cw(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Client, HostRecorder]]:
    """The same client over httpx.ASGITransport, then over a real loopback socket."""
    state, knobs = demo_state(), Knobs()
    if request.param == "asgi":
        recorder = HostRecorder(sandbox_transport(state, knobs))
        async with ClockworkClient(state.credentials, transport=recorder, **FAST) as client:
            yield (client, state, knobs), recorder
        return
    with SandboxServer(knobs=knobs, state=state) as server:
        recorder = HostRecorder(httpx.AsyncHTTPTransport())
        async with ClockworkClient(
            state.credentials, origin=server.url, transport=recorder, **FAST
        ) as client:
            yield (client, state, knobs), recorder


def _paths(state: SandboxState) -> list[str]:
    return [f"{e.method} {e.path}" for e in state.journal.entries()]


# -- over both transports ---------------------------------------------------------------------


async def test_check_and_lookup_by_email(any_cw: tuple[Client, HostRecorder]) -> None:
    (client, state, _), recorder = any_cw
    await client.check()
    person = await client.find_person_by_email(DEMO_SHARED_EMAILS[0].upper())
    assert person is not None
    assert person["id"] == "1"
    assert isinstance(person["id"], str)
    assert person["emailAddresses"][0]["address"] == DEMO_SHARED_EMAILS[0]
    assert await client.find_person_by_email("nobody@nowhere.example.com") is None
    assert _paths(state) == [
        "GET /v3.0/demo/people",
        f"GET /v3.0/demo/people/{DEMO_SHARED_EMAILS[0].upper()}",
        "GET /v3.0/demo/people/nobody@nowhere.example.com",
    ]
    assert state.journal.entries()[0].query == {"limit": "1"}
    assert set(recorder.hosts) <= ALLOWED_HOSTS
    assert recorder.hosts


async def test_create_person_with_details(any_cw: tuple[Client, HostRecorder]) -> None:
    (client, state, _), recorder = any_cw
    person = await client.create_person("Ada", "Lovelace")
    pid = person["id"]
    assert person["name"] == "Ada Lovelace"
    assert isinstance(pid, str)
    email = await client.add_email(pid, "ada@engines.example.com")
    assert email["address"] == "ada@engines.example.com"
    assert email["location"] == "work"
    url = "https://www.linkedin.com/in/ada-lovelace/"
    assert (await client.add_linkedin_url(pid, url))["url"] == url
    phone = await client.add_phone(pid, "+44 20 7946 0000", extension="12", location="home")
    assert (phone["digits"], phone["extension"], phone["location"]) == (
        "+44 20 7946 0000",
        "12",
        "home",
    )
    position = await client.add_position(pid, "Analyst", "Analytical Engines")
    assert position["company"]["name"] == "Analytical Engines"
    tag = await client.add_tag(pid, "3")
    assert tag["personTag"]["tagId"] == "3"

    found = await client.find_person_by_linkedin("http://linkedin.com/in/ada-lovelace")
    assert found is not None
    assert found["id"] == pid
    fetched = await client.get_person(pid)
    assert [e["address"] for e in fetched["emailAddresses"]] == ["ada@engines.example.com"]
    assert fetched["positions"][0]["title"] == "Analyst"
    assert fetched["tags"][0]["name"] == "Referral"
    assert state.people_with_email("ADA@engines.example.com") == 1
    assert all(e.body is None for e in state.journal.entries() if e.method == "GET")
    assert state.journal.writes()[0].body == {
        "person": {"firstName": "Ada", "lastName": "Lovelace", "name": "Ada Lovelace"}
    }
    assert set(recorder.hosts) <= ALLOWED_HOSTS


async def test_notes_and_candidacies(any_cw: tuple[Client, HostRecorder]) -> None:
    (client, state, _), _recorder = any_cw
    html = "<p>Sent: <b>Intro</b> &amp; follow-up</p><!-- esc:outbox-17 -->"
    note = await client.add_note("2", html)
    assert note["content"] == html
    assert note["category"] == "Email"
    notes = await client.list_notes("2", limit=50)
    assert notes[0]["id"] == note["id"]
    assert state.journal.entries()[-1].query == {"limit": "50"}

    projects = await client.list_projects()
    assert len(projects) == 8
    active = next(p for p in projects if p["status"] == "Active")
    before = await client.list_candidacies(active["id"])
    first = await client.add_candidacy(active["id"], "200")
    again = await client.add_candidacy(active["id"], "200")
    assert first["id"] == again["id"]
    assert (first["projectId"], first["personId"]) == (active["id"], "200")
    after = await client.list_candidacies(active["id"])
    assert len(after) == len(before) + 1


# -- in process only ----------------------------------------------------------------------------


async def test_list_and_search_people(cw: Client) -> None:
    client, _state, _ = cw
    page = await client.list_people(limit=5, offset=10)
    assert [p["id"] for p in page] == ["11", "12", "13", "14", "15"]
    hits = await client.search_people("hartley northwind")
    assert [p["emailAddresses"][0]["address"] for p in hits] == [DEMO_SHARED_EMAILS[0]]
    assert await client.search_people("zzz-no-such-person") == []
    assert await client.search_people("hartley", page=2) == []


async def test_projects_are_paged_until_nothing_new(cw: Client) -> None:
    client, state, _ = cw
    client.page_size = 3
    projects = await client.list_projects()
    assert len(projects) == len({p["id"] for p in projects}) == 8
    offsets = [e.query["offset"] for e in state.journal.entries()]
    assert offsets == ["0", "3", "6", "8"]
    statuses = {p["status"] for p in projects}
    assert {"Active", "Pitch", "On Hold", "Closed"} <= statuses
    assert sum(is_syncable_project(p) for p in projects) == 6


async def test_paging_survives_a_server_that_caps_the_page(cw: Client) -> None:
    client, state, knobs = cw
    knobs.max_page_size = 2
    assert len(await client.list_projects()) == 8
    assert [e.query["limit"] for e in state.journal.entries()] == ["100"] * 5


async def test_paging_stops_when_the_server_ignores_offset() -> None:
    page = {"projects": [{"id": 1, "status": "Active"}, {"id": 2, "status": "Active"}]}
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(200, json=page)

    state = demo_state()
    transport = httpx.MockTransport(handler)
    async with ClockworkClient(state.credentials, transport=transport, **FAST) as client:
        client.page_size = 2
        assert [p["id"] for p in await client.list_projects()] == ["1", "2"]
    assert calls == 2


async def test_candidacies_paged(cw: Client) -> None:
    client, state, _ = cw
    client.page_size = 4
    expected = len(state.list_candidacies("1", 1000, 0))
    candidacies = await client.list_candidacies("1")
    assert len(candidacies) == expected > 4
    assert all(c["projectId"] == "1" and isinstance(c["personId"], str) for c in candidacies)


async def test_statuses(cw: Client) -> None:
    client, _, _ = cw
    statuses = await client.list_statuses()
    assert isinstance(statuses, list)
    assert statuses[8] == {"id": "9", "name": "Research"}


async def test_missing_records(cw: Client) -> None:
    client, _, _ = cw
    with pytest.raises(NotFound) as info:
        await client.get_person("99999")
    assert not isinstance(info.value, FirmNotFound)
    with pytest.raises(NotFound):
        await client.add_email("99999", "x@y.example.com")
    with pytest.raises(NotFound):
        await client.list_candidacies("424242")
    with pytest.raises(NotFound):
        await client.list_notes("99999")


@pytest.mark.parametrize(
    ("call", "detail"),
    [
        (lambda c: c.add_email("1", "not-an-email"), "valid email"),
        (lambda c: c.add_email("1", "a@b.example.com", location="moon"), "Location"),
        (lambda c: c.add_note("1", "<p>x</p>", category="Gossip"), "Category"),
        (lambda c: c.add_note("1", "   "), "Content"),
        (lambda c: c.add_linkedin_url("1", "https://example.com/me"), "LinkedIn"),
        (lambda c: c.add_candidacy("1", "99999"), "No person"),
        (lambda c: c.create_person("", "", ""), "name"),
    ],
)
async def test_validation_errors_are_bad_requests(cw: Client, call: Any, detail: str) -> None:
    client, state, _ = cw
    with pytest.raises(BadRequest, match=detail) as info:
        await call(client)
    assert info.value.status == 422
    assert not info.value.retryable
    assert len(state.journal) == 1  # a 422 is permanent: never retried


async def test_path_injection_in_ids_stays_one_segment(cw: Client) -> None:
    client, state, _ = cw
    assert await client.find_person_by_email("../../projects") is None
    assert state.journal.entries()[-1].path == "/v3.0/demo/people/../../projects"
    with pytest.raises(ValueError, match="dots"):
        await client.get_person("..")


async def test_rate_cap_is_respected_end_to_end() -> None:
    async with sandbox_client(rate=20.0) as (client, state, _):
        started = time.monotonic()
        for _ in range(12):
            await client.get_person("1")
        elapsed = time.monotonic() - started
    # A burst of 2, then one request per 1/20 s.
    assert elapsed >= (12 - 2) / 20 * 0.9
    stamps = [e.at for e in state.journal.entries()]
    assert stamps[-1] - stamps[0] >= (12 - 2) / 20 * 0.9
    assert client.request_count == 12


async def test_rate_is_settable(cw: Client) -> None:
    client, _, _ = cw
    client.rate = 2.5
    assert client.rate == 2.5
    with pytest.raises(ValueError, match="positive"):
        client.rate = -1


async def test_client_repr_and_base_url(cw: Client) -> None:
    client, _, _ = cw
    assert client.base_url == "https://api.clockworkrecruiting.com/v3.0/demo"
    assert "sandbox" not in repr(client)
