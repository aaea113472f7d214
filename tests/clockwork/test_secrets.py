"""Secrets never reach an exception, a log record (httpx's included) or the sandbox journal."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from app.clockwork.client import ClockworkClient
from app.clockwork.credentials import Credentials
from app.clockwork.errors import ClockworkError
from app.sandbox.harness import FAST, sandbox_transport
from app.sandbox.knobs import Knobs
from app.sandbox.seed import demo_state
from app.sandbox.server import SandboxServer

GOOD = Credentials("demo", "AKsecret-7c1e9a", "SKsecret-4b2d8f", "FSKsecret-93ae01")
WRONG = Credentials("demo", "AKwrong-5d5d5d", "SKwrong-6e6e6e", "FSKwrong-7f7f7f")
SECRETS = [*GOOD.secrets(), *WRONG.secrets()]

Scenario = Callable[[ClockworkClient, Knobs], Awaitable[Any]]


async def _ok(client: ClockworkClient, knobs: Knobs) -> None:
    await client.check()
    person = await client.create_person("Secret", "Keeper")
    await client.add_email(person["id"], "keeper@secret.example.com")
    await client.list_projects()


async def _retry_then_ok(client: ClockworkClient, knobs: Knobs) -> None:
    knobs.update({"burst_429": 1, "retry_after_s": 0.01})
    await client.get_person("1")


async def _drop(client: ClockworkClient, knobs: Knobs) -> None:
    knobs.update({"drop_after_write_rate": 1.0})
    await client.add_note("1", "<p>hi</p>")


async def _timeout(client: ClockworkClient, knobs: Knobs) -> None:
    knobs.update({"timeout_rate": 1.0, "stall_s": 5.0})
    await client.create_person("Slow", "Answer")


async def _malformed(client: ClockworkClient, knobs: Knobs) -> None:
    knobs.update({"malformed_rate": 1.0})
    await client.get_person("1")


async def _server_error(client: ClockworkClient, knobs: Knobs) -> None:
    knobs.update({"fault_rate": 1.0})
    await client.get_person("1")


async def _bad_request(client: ClockworkClient, knobs: Knobs) -> None:
    await client.add_email("1", "not an email")


SCENARIOS: list[Scenario] = [_ok, _retry_then_ok, _drop, _timeout, _malformed, _server_error]


async def _run_all(make_client: Callable[[Credentials], ClockworkClient], knobs: Knobs) -> list:
    raised: list[BaseException] = []
    for credentials in (GOOD, WRONG):
        for scenario in [*SCENARIOS, _bad_request]:
            knobs.update(Knobs().as_dict())
            async with make_client(credentials) as client:
                try:
                    await scenario(client, knobs)
                except ClockworkError as error:
                    raised.append(error)
                raised.append(RuntimeError(repr(client)))
    return raised


def _texts(error: BaseException) -> list[str]:
    return [str(error), repr(error), "".join(traceback.format_exception(error))]


def _assert_clean(texts: list[str]) -> None:
    for text in texts:
        leaked = [s for s in SECRETS if s in text]
        assert not leaked, f"secret leaked into: {text[:300]}"


@pytest.mark.parametrize("mode", ["asgi", "loopback"])
async def test_no_secret_in_errors_logs_or_journal(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Set each library logger too: app logging set-up elsewhere may have quietened them.
    for name in ("", "httpx", "httpcore", "app"):
        caplog.set_level(logging.DEBUG, logger=name)
    state, knobs = demo_state(credentials=GOOD), Knobs()
    options = {**FAST, "timeout": 0.1, "max_retries": 1}
    if mode == "asgi":
        raised = await _run_all(
            lambda c: ClockworkClient(c, transport=sandbox_transport(state, knobs), **options),
            knobs,
        )
        journal_text = json.dumps([e.as_dict() for e in state.journal.entries()])
    else:
        with SandboxServer(knobs=knobs, state=state) as server:
            raised = await _run_all(
                lambda c: ClockworkClient(c, origin=server.url, **options), knobs
            )
            async with httpx.AsyncClient() as plain:
                journal_text = (await plain.get(f"{server.url}/_sandbox/journal")).text

    errors = [e for e in raised if isinstance(e, ClockworkError)]
    assert {type(e).__name__ for e in errors} >= {
        "AuthError",
        "AmbiguousOutcome",
        "MalformedResponse",
        "ServerError",
        "BadRequest",
    }
    _assert_clean([t for e in raised for t in _texts(e)])

    # The capture must really include httpx's own debug logging to mean anything.
    names = {r.name.split(".")[0] for r in caplog.records}
    assert {"httpx", "app"} <= names
    if mode == "loopback":
        assert "httpcore" in names
    _assert_clean([caplog.text])
    _assert_clean([r.getMessage() + repr(r.args) for r in caplog.records])

    assert len(state.journal) >= 15
    _assert_clean([journal_text])


def test_secrets_are_really_sent() -> None:
    """Guards the test above: the values it looks for are the ones on the wire."""
    headers = GOOD.headers()
    assert headers["X-API-Key"] == "FSKsecret-93ae01"
    assert GOOD.token in headers["Authorization"]
