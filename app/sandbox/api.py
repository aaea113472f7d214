"""The sandbox's Clockwork API: `/v3.0/{firm}/...`, served from the client's endpoint table.

Order of checks per request: firm (404), Authorization (401), X-API-Key (403), injected
429/5xx, route and validation (404/400/422), the handler, then an injected spoiled answer
(stall, dropped connection, malformed JSON) for requests that were applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from app.clockwork.endpoints import API_VERSION_PREFIX, FIRM_NOT_FOUND_ERROR, Endpoint, route
from app.sandbox.faults import DroppedConnection, FaultPlan
from app.sandbox.handlers import HANDLERS, BadQuery, Call
from app.sandbox.state import SandboxState
from app.sandbox.vocab import Invalid, Missing


@dataclass(slots=True)
class Outcome:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    #: The handler ran and succeeded, so its effect is in the state.
    applied: bool = False


def _error(status: int, code: str, message: str) -> Outcome:
    return Outcome(status, {"error": code, "message": message})


class SandboxApi:
    """A raw ASGI app, because a dropped connection needs control over `send`."""

    def __init__(self, state: SandboxState, faults: FaultPlan) -> None:
        self.state = state
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        raw_body = await request.body()
        if self.faults.knobs.latency_ms > 0:
            await asyncio.sleep(self.faults.knobs.latency_ms / 1000)
        body = _json_or_none(raw_body)
        outcome = self._handle(request, _segments(scope), body)
        spoil = self.faults.after(request.method) if outcome.applied else None
        self.state.journal.record(
            at=time.time(),
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            body=body,
            status=outcome.status,
            fault=outcome.fault or spoil,
        )
        await self._respond(outcome, spoil, receive, send)

    def _handle(self, request: Request, segments: list[str], body: Any) -> Outcome:
        if len(segments) < 2 or segments[0] != API_VERSION_PREFIX:
            return _error(404, "not_found", "No such API path.")
        firm, rest = segments[1], segments[2:]
        if firm != self.state.firm:
            return _error(404, FIRM_NOT_FOUND_ERROR, f"No firm called {firm}.")
        denied = self._check_auth(request.headers)
        if denied is not None:
            return denied
        rejection = self.faults.before(firm)
        if rejection is not None:
            payload = {"error": "injected_fault", "message": f"Sandbox fault {rejection.fault}."}
            return Outcome(rejection.status, payload, rejection.headers, rejection.fault)
        found = route(request.method, rest)
        if found is None:
            return _error(404, "not_found", "No such API path.")
        endpoint, params = found
        return self._run(endpoint, params, request, body)

    def _check_auth(self, headers: Headers) -> Outcome | None:
        credentials = self.state.credentials
        token = headers.get("authorization", "")
        if not hmac.compare_digest(token.encode(), f"Token {credentials.token}".encode()):
            return _error(401, "unauthorized", "API key or secret key is invalid.")
        service_key = headers.get("x-api-key", "")
        if not hmac.compare_digest(service_key.encode(), credentials.firm_service_key.encode()):
            return _error(403, "forbidden", "Firm service key is invalid.")
        return None

    def _run(
        self, endpoint: Endpoint, params: dict[str, str], request: Request, body: Any
    ) -> Outcome:
        key = endpoint.request_key
        fields = body.get(key) if key is not None and isinstance(body, dict) else None
        if key is not None and not isinstance(fields, dict):
            return _error(422, "invalid", f'The body must be a JSON object {{"{key}": {{...}}}}.')
        call = Call(
            self.state,
            params,
            request.query_params,
            fields or {},
            self.faults.knobs.max_page_size,
            self.faults.knobs.inline_details,
        )
        try:
            status, payload = HANDLERS[endpoint.name](call)
        except Invalid as exc:
            return _error(422, "invalid", str(exc))
        except Missing as exc:
            return _error(404, "not_found", str(exc))
        except BadQuery as exc:
            return _error(400, "bad_request", str(exc))
        if endpoint.response_key is not None:
            drifted = self.faults.knobs.drifts(endpoint.name)
            payload = {"data" if drifted else endpoint.response_key: payload}
        return Outcome(status, payload, applied=True)

    async def _respond(
        self, outcome: Outcome, spoil: str | None, receive: Receive, send: Send
    ) -> None:
        content = json.dumps(outcome.payload).encode()
        status = outcome.status
        if spoil == "malformed":
            content, status = content[: len(content) // 2] + b"<html>", 200
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(content)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in outcome.headers.items()),
        ]
        if spoil == "timeout":
            await _stall(receive, self.faults.knobs.stall_s)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if spoil == "drop":
            # The write is applied and the client has the status line, then the line goes dead.
            raise DroppedConnection("sandbox dropped the connection after applying the write")
        await send({"type": "http.response.body", "body": content})


async def _stall(receive: Receive, seconds: float) -> None:
    """Wait `seconds`, or less if the client gives up and disconnects first."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            message: Message = {"type": ""}
            while message["type"] != "http.disconnect":
                message = await receive()


def _segments(scope: Scope) -> list[str]:
    # The raw path keeps %2F inside one segment, which an email or a LinkedIn URL needs.
    raw = scope.get("raw_path") or scope["path"].encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    return [unquote(part) for part in path.strip("/").split("/")]


def _json_or_none(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return {"_unparseable": raw[:200].decode("utf-8", "replace")}
