"""Every error path of the client, with faults injected through the sandbox's knobs."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.clockwork.client import ClockworkClient
from app.clockwork.credentials import Credentials
from app.clockwork.errors import (
    AmbiguousOutcome,
    AuthError,
    FirmNotFound,
    ForbiddenError,
    MalformedResponse,
    NoResponse,
    RateLimited,
    ServerError,
    Unreachable,
)
from app.sandbox.harness import FAST, sandbox_client, sandbox_transport
from app.sandbox.knobs import Knobs
from app.sandbox.seed import DEMO_CREDENTIALS, demo_state
from app.sandbox.server import SandboxServer


class Sleeps:
    """Records the client's retry waits and runs a hook on each one, without waiting."""

    def __init__(self, on_sleep: Callable[[int], None] | None = None) -> None:
        self.delays: list[float] = []
        self.on_sleep = on_sleep

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self.on_sleep is not None:
            self.on_sleep(len(self.delays))


# -- authentication and firm ----------------------------------------------------------------


def _with(**changes: str) -> Credentials:
    fields = {
        "firm": "demo",
        "api_key": DEMO_CREDENTIALS.api_key,
        "secret_key": DEMO_CREDENTIALS.secret_key,
        "firm_service_key": DEMO_CREDENTIALS.firm_service_key,
    }
    return Credentials(**{**fields, **changes})


@pytest.mark.parametrize(
    ("credentials", "error_type", "status"),
    [
        (_with(api_key="wrong-key"), AuthError, 401),
        (_with(secret_key="wrong-secret"), AuthError, 401),
        (_with(firm_service_key="wrong-firm-key"), ForbiddenError, 403),
        (_with(firm="nosuchfirm"), FirmNotFound, 404),
    ],
)
async def test_check_reports_what_is_wrong(
    credentials: Credentials, error_type: type, status: int
) -> None:
    async with sandbox_client(credentials=credentials) as (client, state, _):
        with pytest.raises(error_type) as info:
            await client.check()
    assert type(info.value) is error_type
    assert info.value.status == status
    assert not info.value.retryable
    assert len(state.journal) == 1  # none of these is retried
    assert state.journal.entries()[0].status == status


async def test_unknown_firm_is_not_a_missing_person() -> None:
    async with sandbox_client(credentials=_with(firm="nosuchfirm")) as (client, _, _):
        with pytest.raises(FirmNotFound, match="nosuchfirm"):
            await client.find_person_by_email("anyone@example.com")


async def test_auth_failure_hook_sync_and_async() -> None:
    seen: list[str] = []

    async def async_hook(error: AuthError) -> None:
        seen.append("async:" + error.title)

    async with sandbox_client(credentials=_with(api_key="revoked")) as (client, _, _):
        client.on_auth_failure = lambda error: seen.append("sync")
        with pytest.raises(AuthError):
            await client.get_person("1")
        client.on_auth_failure = async_hook
        with pytest.raises(AuthError):
            await client.create_person("A", "B")
    assert seen == ["sync", "async:Clockwork rejected the API key"]


async def test_broken_auth_hook_does_not_hide_the_error(caplog: pytest.LogCaptureFixture) -> None:
    def hook(error: AuthError) -> None:
        raise RuntimeError("hook bug")

    async with sandbox_client(credentials=_with(api_key="revoked"), on_auth_failure=hook) as (
        client,
        _,
        _,
    ):
        with pytest.raises(AuthError):
            await client.check()
    assert "on_auth_failure hook failed" in caplog.text


# -- 429 ----------------------------------------------------------------------------------


async def test_429_retry_after_is_honoured_then_succeeds() -> None:
    sleeps = Sleeps()
    async with sandbox_client(sleep=sleeps) as (client, state, knobs):
        knobs.update({"burst_429": 2, "retry_after_s": 0.05})
        person = await client.get_person("1")
    assert person["id"] == "1"
    assert sleeps.delays == [0.05, 0.05]
    assert [(e.status, e.fault) for e in state.journal.entries()] == [
        (429, "429"),
        (429, "429"),
        (200, None),
    ]
    assert client.request_count == 3


async def test_429_on_a_write_is_retried_and_applied_once() -> None:
    async with sandbox_client() as (client, state, knobs):
        knobs.update({"burst_429": 1, "retry_after_s": 0.01})
        person = await client.create_person("Once", "Only")
    assert [e.status for e in state.journal.entries()] == [429, 201]
    assert state.find_person(person["id"]) is not None
    assert state.stats()["people"] == 201


async def test_429_gives_up_after_max_retries() -> None:
    async with sandbox_client(max_retries=2) as (client, state, knobs):
        knobs.update({"burst_429": 10, "retry_after_s": 0.01})
        with pytest.raises(RateLimited) as info:
            await client.get_person("1")
    assert info.value.retry_after == pytest.approx(0.01)
    assert info.value.retryable
    assert len(state.journal) == 3


async def test_long_retry_after_goes_up_at_once() -> None:
    async with sandbox_client(max_retry_after=5.0) as (client, state, knobs):
        knobs.update({"burst_429": 1, "retry_after_s": 600})
        with pytest.raises(RateLimited) as info:
            await client.get_person("1")
    assert info.value.retry_after == 600
    assert "600 s" in info.value.message
    assert len(state.journal) == 1


async def test_server_rate_limit_is_survived() -> None:
    async with sandbox_client(max_retries=6) as (client, state, knobs):
        knobs.update({"rate_limit": 20, "retry_after_s": 0.06})
        for _ in range(30):
            await client.get_person("1")
    statuses = [e.status for e in state.journal.entries()]
    assert statuses.count(200) == 30
    assert 429 in statuses


# -- 5xx ----------------------------------------------------------------------------------


async def test_5xx_is_retried_then_succeeds_on_get_and_post() -> None:
    knobs = Knobs(fault_rate=1.0)
    sleeps = Sleeps(on_sleep=lambda n: setattr(knobs, "fault_rate", 0.0 if n >= 2 else 1.0))
    async with sandbox_client(knobs=knobs, sleep=sleeps) as (client, state, _):
        assert (await client.get_person("1"))["id"] == "1"
        knobs.fault_rate = 1.0
        created = await client.create_person("Five", "Hundred")
    entries = state.journal.entries()
    assert [e.fault for e in entries] == ["5xx", "5xx", None, "5xx", None]
    assert all(e.status in (500, 502, 503) for e in entries if e.fault)
    assert len(sleeps.delays) == 3
    assert all(0 <= d <= 0.01 for d in sleeps.delays)
    assert state.find_person(created["id"]) is not None


async def test_5xx_gives_server_error_after_max_retries() -> None:
    async with sandbox_client(max_retries=2, knobs=Knobs(fault_rate=1.0)) as (client, state, _):
        with pytest.raises(ServerError) as info:
            await client.create_person("Never", "Saved")
    assert info.value.status in (500, 502, 503)
    assert info.value.retryable
    assert len(state.journal) == 3
    assert state.stats()["people"] == 200


def test_backoff_is_exponential_with_full_jitter() -> None:
    import random

    from app.clockwork.requester import RetryPolicy

    policy = RetryPolicy(backoff_base=0.5, backoff_cap=4.0)
    rng = random.Random(1)
    for attempt, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)]:
        draws = [policy.backoff(attempt, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling * 0.8
        assert min(draws) < ceiling * 0.2


# -- connection failures, timeouts, drops ---------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("write", [False, True])
async def test_unreachable_is_retried_on_any_method(write: bool) -> None:
    sleeps = Sleeps()
    origin = f"http://127.0.0.1:{_closed_port()}"
    options = {**FAST, "max_retries": 2, "sleep": sleeps}
    async with ClockworkClient(DEMO_CREDENTIALS, origin=origin, **options) as client:
        call = client.create_person("A", "B") if write else client.get_person("1")
        with pytest.raises(Unreachable) as info:
            await call
    assert type(info.value) is Unreachable
    assert not info.value.maybe_applied
    assert client.request_count == 3
    assert len(sleeps.delays) == 2


async def test_timeout_on_get_is_retried() -> None:
    knobs = Knobs(timeout_rate=1.0, stall_s=5.0)
    sleeps = Sleeps(on_sleep=lambda n: setattr(knobs, "timeout_rate", 0.0))
    async with sandbox_client(knobs=knobs, timeout=0.1, sleep=sleeps) as (client, state, _):
        assert (await client.get_person("1"))["id"] == "1"
    assert [e.fault for e in state.journal.entries()] == ["timeout", None]


async def test_timeout_on_get_gives_no_response_after_retries() -> None:
    knobs = Knobs(timeout_rate=1.0, stall_s=5.0)
    async with sandbox_client(knobs=knobs, timeout=0.05, max_retries=1) as (client, state, _):
        with pytest.raises(NoResponse) as info:
            await client.list_projects()
    assert isinstance(info.value, Unreachable)
    assert info.value.retryable
    assert len(state.journal) == 2


async def test_timeout_on_post_is_ambiguous_and_not_retried() -> None:
    knobs = Knobs(timeout_rate=1.0, stall_s=5.0)
    async with sandbox_client(knobs=knobs, timeout=0.05) as (client, state, _):
        with pytest.raises(AmbiguousOutcome) as info:
            await client.add_email("5", "maybe@saved.example.com")
    assert info.value.maybe_applied
    assert info.value.retryable
    assert len(state.journal) == 1
    assert state.people_with_email("maybe@saved.example.com") == 1  # it was applied


async def test_dropped_connection_on_post_is_ambiguous_but_applied() -> None:
    async with sandbox_client(knobs=Knobs(drop_after_write_rate=1.0)) as (client, state, _):
        with pytest.raises(AmbiguousOutcome):
            await client.add_email("7", "dropped@write.example.com")
        with pytest.raises(AmbiguousOutcome):
            await client.add_candidacy("1", "7")
        # Reads are never dropped by this knob; the engine's lookup sees the write.
        person = await client.find_person_by_email("dropped@write.example.com")
    assert person is not None
    assert person["id"] == "7"
    assert [e.fault for e in state.journal.writes()] == ["drop", "drop"]
    assert state.people_with_email("dropped@write.example.com") == 1


class FlakyTransport(httpx.AsyncBaseTransport):
    """Fails the first `failures` requests with `error`, then passes them on."""

    def __init__(self, inner: httpx.AsyncBaseTransport, error: Exception, failures: int) -> None:
        self.inner, self.error, self.failures = inner, error, failures

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize(
    "error",
    [
        httpx.RemoteProtocolError("peer closed connection"),
        httpx.ReadError("connection reset"),
        httpx.ReadTimeout("read timed out"),
    ],
)
async def test_dropped_get_is_retried(error: Exception) -> None:
    state = demo_state()
    flaky = FlakyTransport(sandbox_transport(state), error, failures=2)
    async with ClockworkClient(state.credentials, transport=flaky, **FAST) as client:
        assert (await client.get_person("3"))["id"] == "3"
        flaky.failures = 1
        with pytest.raises(AmbiguousOutcome):
            await client.add_tag("3", "1")
    assert client.request_count == 4


async def test_connect_error_on_post_is_retried_as_nothing_was_sent() -> None:
    state = demo_state()
    flaky = FlakyTransport(sandbox_transport(state), httpx.ConnectError("refused"), failures=1)
    async with ClockworkClient(state.credentials, transport=flaky, **FAST) as client:
        await client.add_tag("3", "1")
    assert len(state.journal.writes()) == 1


# -- malformed answers ------------------------------------------------------------------------


async def test_malformed_json() -> None:
    async with sandbox_client(knobs=Knobs(malformed_rate=1.0)) as (client, state, _):
        with pytest.raises(MalformedResponse) as read:
            await client.get_person("1")
        with pytest.raises(MalformedResponse) as write:
            await client.create_person("Half", "Written")
    assert not read.value.maybe_applied
    assert write.value.maybe_applied
    assert write.value.retryable
    assert len(state.journal) == 2  # not retried: the answer came, it was just unreadable
    assert state.stats()["people"] == 201


@pytest.mark.parametrize(
    ("response", "call"),
    [
        (httpx.Response(200, json={"people": []}), lambda c: c.get_person("1")),
        (httpx.Response(200, json={"person": []}), lambda c: c.get_person("1")),
        (httpx.Response(200, json=[1, 2]), lambda c: c.get_person("1")),
        (httpx.Response(200, json={"projects": {"id": 1}}), lambda c: c.list_projects()),
        (httpx.Response(200, json={"notes": [1]}), lambda c: c.list_notes("1")),
        (httpx.Response(201, json={"note": "ok"}), lambda c: c.add_note("1", "x")),
        (httpx.Response(302, headers={"Location": "https://evil.example/"}), lambda c: c.check()),
        (httpx.Response(200, json={"statuses": ["Research"]}), lambda c: c.list_statuses()),
    ],
)
async def test_unexpected_shapes(response: httpx.Response, call: Callable[..., Any]) -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return response

    transport = httpx.MockTransport(handler)
    async with ClockworkClient(DEMO_CREDENTIALS, transport=transport, **FAST) as client:
        with pytest.raises(MalformedResponse):
            await call(client)
    assert hosts == ["api.clockworkrecruiting.com"]  # a redirect is never followed


async def test_statuses_of_unknown_shape_are_passed_through() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"default": "Research"}))
    async with ClockworkClient(DEMO_CREDENTIALS, transport=transport, **FAST) as client:
        assert await client.list_statuses() == {"default": "Research"}


# -- over a real socket ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("knob", "error_type"),
    [
        ("drop_after_write_rate", AmbiguousOutcome),
        ("timeout_rate", AmbiguousOutcome),
        ("malformed_rate", MalformedResponse),
    ],
)
async def test_faults_over_loopback(knob: str, error_type: type) -> None:
    knobs = Knobs(stall_s=5.0)
    with SandboxServer(knobs=knobs) as server:
        options = {**FAST, "timeout": 0.2}
        async with ClockworkClient(server.credentials, origin=server.url, **options) as client:
            await client.check()
            knobs.update({knob: 1.0})
            with pytest.raises(error_type):
                await client.add_email("9", "loop@back.example.com")
            knobs.update({knob: 0.0})
            assert await client.find_person_by_email("loop@back.example.com") is not None
    assert server.state.people_with_email("loop@back.example.com") == 1


async def test_wrong_keys_over_loopback() -> None:
    with SandboxServer() as server:
        bad = _with(firm_service_key="nope")
        async with ClockworkClient(bad, origin=server.url, **FAST) as client:
            with pytest.raises(ForbiddenError):
                await client.check()
        async with ClockworkClient(_with(api_key="nope"), origin=server.url, **FAST) as client:
            with pytest.raises(AuthError):
                await client.check()
