"""The sandbox itself: seed data, status codes, journal, knobs and the loopback server."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from app.clockwork.rules import is_syncable_project
from app.errors import InputError
from app.sandbox.app import create_app
from app.sandbox.faults import FaultPlan
from app.sandbox.knobs import Knobs
from app.sandbox.seed import (
    DEMO_CREDENTIALS,
    DEMO_DO_NOT_CONTACT_EMAIL,
    DEMO_SHARED_EMAILS,
    demo_state,
)
from app.sandbox.server import SandboxServer, run_forever
from app.sandbox.state import SandboxState

API = "http://sandbox.test/v3.0/demo"


@pytest.fixture
def state() -> SandboxState:
    return demo_state()


@pytest.fixture
def knobs() -> Knobs:
    return Knobs()


@pytest.fixture
async def http(state: SandboxState, knobs: Knobs) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client with the demo keys, so status codes are seen as they are."""
    transport = httpx.ASGITransport(app=create_app(state, knobs))
    headers = DEMO_CREDENTIALS.headers()
    async with httpx.AsyncClient(transport=transport, headers=headers) as client:
        yield client


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


# -- seed -----------------------------------------------------------------------------------


def test_seed_shape(state: SandboxState) -> None:
    stats = state.stats()
    assert stats["people"] == 200
    projects = state.list_projects(100, 0)
    assert len(projects) == 8
    assert {p["status"] for p in projects} == {"Active", "Pitch", "On Hold", "Closed"}
    assert all(p["companyName"] and " – " in p["name"] for p in projects)
    assert sum(is_syncable_project(p) for p in projects) == 6
    assert stats["candidacies"] > 40
    assert stats["notes"] > 50
    assert max(stats["peopleByEmail"].values()) == 1  # the seed has no duplicates itself
    assert all(address.endswith("example.com") for address in stats["peopleByEmail"])


def test_shared_emails_exist_and_one_is_do_not_contact(state: SandboxState) -> None:
    assert 8 <= len(DEMO_SHARED_EMAILS) <= 12
    for address in DEMO_SHARED_EMAILS:
        local, domain = address.split("@")
        assert "." in local
        assert domain.endswith(".example.com")
        assert state.people_with_email(address) == 1
    person = state.find_person(DEMO_DO_NOT_CONTACT_EMAIL)
    assert person is not None
    assert person["doNotContact"] is True
    people = state.list_people(200, 0)
    assert 5 <= sum(p["doNotContact"] for p in people) <= 8


def test_seed_is_deterministic_and_reset_restores_it() -> None:
    one, two = demo_state(seed=3), demo_state(seed=3)
    assert one.list_people(200, 0) == two.list_people(200, 0)
    assert demo_state(seed=4).list_people(200, 0) != one.list_people(200, 0)
    before = one.list_people(200, 0)
    created = one.create_person("Temp", "Person")
    one.journal.record(at=0, method="GET", path="/x", query={}, body=None, status=200)
    one.reset()
    assert one.find_person(str(created["id"])) is None
    assert one.list_people(200, 0) == before
    assert len(one.journal) == 0


def test_lookup_by_id_email_and_linkedin(state: SandboxState) -> None:
    pid = str(state.create_person("Lin", "Ked")["id"])
    state.add_email(pid, "Lin.Ked@Example.com")
    state.add_linkedin_url(pid, "https://www.linkedin.com/in/linked/")
    refs = [
        pid,
        "lin.ked@example.com",
        "LIN.KED@EXAMPLE.COM",
        "linkedin.com/in/linked",
        "http://linkedin.com/in/linked",
        "https://www.linkedin.com/in/linked?trk=x",
    ]
    for ref in refs:
        found = state.find_person(ref)
        assert found is not None, ref
        assert str(found["id"]) == pid
    assert state.find_person("https://www.linkedin.com/in/other/") is None
    assert state.find_person("999999") is None


def test_lookup_finds_the_earliest_person_when_two_share_an_address(state: SandboxState) -> None:
    first = str(state.create_person("Ann", "First")["id"])
    second = str(state.create_person("Ann", "Second")["id"])
    state.add_email(second, "shared@example.com")
    state.add_email(first, "Shared@Example.com")
    state.add_linkedin_url(second, "https://www.linkedin.com/in/ann-shared/")
    state.add_email(second, "ann@linkedin.com")
    state.add_linkedin_url(first, "https://linkedin.com/in/ann-later")

    assert str(state.find_person("shared@example.com")["id"]) == first  # type: ignore[index]
    assert str(state.find_person("linkedin.com/in/ann-shared")["id"]) == second  # type: ignore[index]
    assert str(state.find_person("ann@linkedin.com")["id"]) == second  # type: ignore[index]


def test_a_candidacy_is_added_once_per_person_and_project(state: SandboxState) -> None:
    person = str(state.create_person("Cy", "Once")["id"])
    project = str(state.list_projects(1, 0)[0]["id"])
    made, new = state.add_candidacy(project, person)
    again, new_again = state.add_candidacy(project, person)
    assert (new, new_again) == (True, False)
    assert again["id"] == made["id"]
    assert [c["personId"] for c in state.list_candidacies(project, 500, 0)].count(int(person)) == 1


# -- the API's status codes -----------------------------------------------------------------


async def test_auth_order(http: httpx.AsyncClient) -> None:
    other_firm = await http.get("http://sandbox.test/v3.0/nosuch/people")
    assert (other_firm.status_code, other_firm.json()["error"]) == (404, "firm_not_found")
    no_token = await http.get(f"{API}/people", headers={"Authorization": "Token nope"})
    assert no_token.status_code == 401
    no_key = await http.get(f"{API}/people", headers={"X-API-Key": "nope"})
    assert no_key.status_code == 403
    ok = await http.get(f"{API}/people", params={"limit": 2})
    assert ok.status_code == 200
    assert len(ok.json()["people"]) == 2


async def test_routes_and_validation(http: httpx.AsyncClient, state: SandboxState) -> None:
    assert (await http.get(f"{API}/webhooks")).status_code == 404
    assert (await http.delete(f"{API}/people/1")).status_code == 404
    assert (await http.get(f"{API}/people", params={"limit": "x"})).status_code == 400
    assert (await http.get(f"{API}/people", params={"offset": -1})).status_code == 400
    unwrapped = await http.post(f"{API}/people", json={"firstName": "No", "lastName": "Wrap"})
    assert unwrapped.status_code == 422
    assert "person" in unwrapped.json()["message"]
    not_json = await http.post(f"{API}/people", content=b"{nope")
    assert not_json.status_code == 422
    bad_type = await http.post(f"{API}/people", json={"person": {"firstName": ["x"]}})
    assert bad_type.status_code == 422
    created = await http.post(f"{API}/people", json={"person": {"firstName": "Kim"}})
    assert created.status_code == 201
    assert created.json()["person"]["name"] == "Kim"
    assert state.stats()["people"] == 201


async def test_candidacy_is_not_duplicated(http: httpx.AsyncClient, state: SandboxState) -> None:
    url = f"{API}/projects/2/candidacies"
    first = await http.post(url, json={"candidacy": {"personId": 150}})
    second = await http.post(url, json={"candidacy": {"personId": "150"}})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    rows = state.list_candidacies("2", 1000, 0)
    assert sum(c["personId"] == 150 for c in rows) == 1
    missing = await http.post(
        f"{API}/projects/999/candidacies", json={"candidacy": {"personId": 1}}
    )
    assert missing.status_code == 404


async def test_page_cap_and_offsets(http: httpx.AsyncClient, knobs: Knobs) -> None:
    knobs.max_page_size = 3
    page = (await http.get(f"{API}/projects", params={"limit": 50, "offset": 6})).json()
    assert [p["id"] for p in page["projects"]] == [7, 8]
    assert (await http.get(f"{API}/projects", params={"offset": 8})).json() == {"projects": []}


async def test_notes_round_trip(http: httpx.AsyncClient) -> None:
    body = {"note": {"content": "<p>Hello</p>", "contentType": "text/html", "category": "Email"}}
    created = (await http.post(f"{API}/people/4/notes", json=body)).json()["note"]
    notes = (await http.get(f"{API}/people/4/notes", params={"limit": 1})).json()["notes"]
    assert notes == [created]
    assert created["content"] == "<p>Hello</p>"
    assert created["type"] == "Email"


# -- journal and knobs --------------------------------------------------------------------------


async def test_journal_records_requests_without_headers(
    http: httpx.AsyncClient, state: SandboxState
) -> None:
    await http.post(f"{API}/people/3/tags", json={"person_tag": {"tag_id": 2}})
    await http.get(f"{API}/people_search", params={"q": "ada", "page": 2})
    await http.get(f"{API}/people", headers={"X-API-Key": "wrong-key"})
    entries = state.journal.entries()
    assert [(e.method, e.path, e.status) for e in entries] == [
        ("POST", "/v3.0/demo/people/3/tags", 201),
        ("GET", "/v3.0/demo/people_search", 200),
        ("GET", "/v3.0/demo/people", 403),
    ]
    assert entries[0].body == {"person_tag": {"tag_id": 2}}
    assert entries[1].query == {"q": "ada", "page": "2"}
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].at <= entries[2].at
    dumped = str([e.as_dict() for e in entries])
    assert "wrong-key" not in dumped
    assert all(secret not in dumped for secret in DEMO_CREDENTIALS.secrets())


async def test_admin_over_http(http: httpx.AsyncClient, state: SandboxState, knobs: Knobs) -> None:
    admin = "http://localhost/_sandbox"
    changed = await http.post(f"{admin}/knobs", json={"burst_429": 1, "retry_after_s": 2})
    assert changed.status_code == 200
    assert changed.json()["burst_429"] == 1
    assert knobs.burst_429 == 1
    limited = await http.get(f"{API}/people/1")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    # Knobs never touch admin calls, whatever they are set to.
    await http.post(f"{admin}/knobs", json={"fault_rate": 1.0, "latency_ms": 0})
    journal = (await http.get(f"{admin}/journal")).json()["journal"]
    assert [(e["status"], e["fault"]) for e in journal] == [(429, "429")]
    assert (await http.get(f"{admin}/journal", params={"since": 1})).json() == {"journal": []}
    assert (await http.get(f"{admin}/knobs")).json()["fault_rate"] == 1.0
    stats = (await http.get(f"{admin}/stats")).json()
    assert stats["people"] == 200
    assert stats["requests"] == 1
    assert stats["peopleByEmail"][DEMO_SHARED_EMAILS[0]] == 1

    for bad in ({"fault_rate": 2}, {"no_such_knob": 1}, {"latency_ms": "slow"}, [1]):
        refused = await http.post(f"{admin}/knobs", json=bad)
        assert refused.status_code == 400
    assert knobs.fault_rate == 1.0
    json_type = {"content-type": "application/json"}
    assert (await http.post(f"{admin}/knobs", content=b"{", headers=json_type)).status_code == 400

    state.create_person("Gone", "Soon")
    reset = await http.post(f"{admin}/reset", json={})
    assert reset.json()["people"] == 200
    assert len(state.journal) == 0


def test_knobs_validate() -> None:
    with pytest.raises(InputError, match="between 0 and 1"):
        Knobs(timeout_rate=1.5)
    with pytest.raises(InputError, match="rate_limit"):
        Knobs(rate_limit=0)
    knobs = Knobs()
    knobs.update({"rate_limit": None, "seed": 9})
    assert knobs.as_dict()["seed"] == 9


def test_fault_dice_replay_with_the_same_seed() -> None:
    def run(seed: int) -> list[object]:
        plan = FaultPlan(Knobs(fault_rate=0.3, malformed_rate=0.3, seed=seed))
        return [(plan.before("demo"), plan.after("POST")) for _ in range(40)]

    assert run(5) == run(5)
    assert run(5) != run(6)
    outcomes = run(5)
    assert any(before is not None for before, _ in outcomes)
    assert any(after == "malformed" for _, after in outcomes)


def test_rate_limit_bucket_per_firm() -> None:
    now = [0.0]
    plan = FaultPlan(Knobs(rate_limit=2.0), clock=lambda: now[0])
    assert [plan.before("a") for _ in range(2)] == [None, None]
    limited = plan.before("a")
    assert limited is not None
    assert limited.status == 429
    assert limited.headers == {"Retry-After": "1"}
    assert plan.before("b") is None  # another firm has its own bucket
    now[0] += 0.5
    assert plan.before("a") is None


# -- the loopback server ------------------------------------------------------------------------


def test_server_binds_loopback_only(server: SandboxServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert server.port > 0
    response = httpx.get(f"{server.url}/_sandbox/stats")
    assert response.json()["people"] == 200
    assert server.credentials == DEMO_CREDENTIALS
    # Not reachable through any other local address.
    other = _non_loopback_address()
    if other is not None:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((other, server.port), timeout=1).close()


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_server_refuses_non_loopback_hosts(host: str) -> None:
    with pytest.raises(InputError, match="loopback"):
        SandboxServer(host=host)


def test_server_over_ipv6_loopback() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        server = SandboxServer(host="::1").start()
    except OSError:
        pytest.skip("IPv6 loopback not available")
    try:
        assert server.url.startswith("http://[::1]:")
        assert httpx.get(f"{server.url}/_sandbox/stats").status_code == 200
    finally:
        server.stop()


def test_server_stops_and_releases_the_port() -> None:
    server = SandboxServer().start()
    port = server.port
    server.stop()
    server.stop()  # idempotent
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/_sandbox/stats")


def test_run_forever_prints_the_settings() -> None:
    out, stop = io.StringIO(), threading.Event()
    thread = threading.Thread(
        target=run_forever,
        kwargs={"port": 0, "latency_ms": 5, "rate_limit": 50, "out": out, "stop": stop},
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while "CLOCKWORK_API_URL" not in out.getvalue() or "Journal" not in out.getvalue():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        text = out.getvalue()
        url = text.split("export CLOCKWORK_API_URL=")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        assert "export CLOCKWORK_DOMAIN=demo" in text
        assert f"export CLOCKWORK_API_KEY={DEMO_CREDENTIALS.api_key}" in text
        assert f"export CLOCKWORK_FIRM_SERVICE_KEY={DEMO_CREDENTIALS.firm_service_key}" in text
        knobs = httpx.get(f"{url}/_sandbox/knobs").json()
        assert (knobs["latency_ms"], knobs["rate_limit"]) == (5, 50)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
