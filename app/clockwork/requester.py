"""One HTTP round trip per attempt, retries with backoff, and mapping to typed errors.

What gets retried here, and why:

- 429, 5xx and connection failures (nothing was sent): on any method.
- A timeout or a connection dropped mid-answer: only on GET. A POST may have been
  applied, and Clockwork has no idempotency keys, so it surfaces as AmbiguousOutcome
  and the sync engine looks the record up before deciding to create it again.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from app.clockwork.credentials import Credentials
from app.clockwork.endpoints import Endpoint
from app.clockwork.errors import (
    AmbiguousOutcome,
    AuthError,
    ClockworkError,
    NoResponse,
    RateLimited,
    ServerError,
    Unreachable,
)
from app.clockwork.meter import RequestMeter
from app.clockwork.ratelimit import RequestLimiter, Sleep
from app.clockwork.responses import error_for, parse_json, unwrap

log = logging.getLogger(__name__)

AuthHook = Callable[[AuthError], Awaitable[None] | None]
Query = Mapping[str, str | int]

#: Nothing reached the server: safe to repeat even for a write.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    #: A longer Retry-After is not waited out here: the error goes up so the queue can pause.
    max_retry_after: float = 120.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: spreads retries of many clients over the whole window."""
        return rng.uniform(0.0, min(self.backoff_cap, self.backoff_base * 2**attempt))


class Requester:
    def __init__(
        self,
        credentials: Credentials,
        base: str,
        *,
        limiter: RequestLimiter,
        policy: RetryPolicy,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        on_auth_failure: AuthHook | None = None,
    ) -> None:
        self.base = base
        self.limiter = limiter
        self.policy = policy
        self.on_auth_failure = on_auth_failure
        self.request_count = 0
        self.meter = RequestMeter()
        self._firm = credentials.firm
        self._timeout = timeout
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._http = httpx.AsyncClient(
            base_url=base,
            headers=credentials.headers(),
            transport=transport,
            verify=_tls_context() if transport is None else True,
            timeout=timeout,
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(
        self,
        endpoint: Endpoint,
        params: Mapping[str, str] | None = None,
        *,
        query: Query | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        url = endpoint.url(**(params or {}))
        attempt = 0
        while True:
            try:
                return await self._attempt(endpoint, url, query, body)
            except ClockworkError as error:
                if isinstance(error, RateLimited):
                    self.meter.throttled()
                delay = self._retry_delay(error, attempt)
                if delay is None:
                    raise
                log.debug("Clockwork %s: %s, retry in %.2f s", endpoint.name, error.title, delay)
            attempt += 1
            await self._sleep(delay)

    def _retry_delay(self, error: ClockworkError, attempt: int) -> float | None:
        if attempt >= self.policy.max_retries:
            return None
        if isinstance(error, RateLimited):
            if error.retry_after > self.policy.max_retry_after:
                return None
            self.limiter.bucket.pause(error.retry_after)  # the server's limit is for everyone
            return error.retry_after
        if isinstance(error, ServerError | Unreachable):
            return self.policy.backoff(attempt, self._rng)
        return None

    async def _attempt(
        self, endpoint: Endpoint, url: str, query: Query | None, body: Mapping[str, Any] | None
    ) -> Any:
        async with self.limiter.slot():
            request = self._http.build_request(endpoint.method, url, params=query, json=body)
            self._check_destination(request)
            self.request_count += 1
            self.meter.request()
            started = time.monotonic()
            try:
                # httpx's timeouts apply per connect or read, so they fire first and tell
                # "nothing sent" apart; this one bounds the whole exchange, and is the only
                # one in-process transports (which ignore httpx timeouts) respect.
                async with asyncio.timeout(self._timeout * 2):
                    response = await self._http.send(request)
            except (TimeoutError, httpx.TransportError) as exc:
                log.debug("Clockwork %s: %s", endpoint.name, type(exc).__name__)
                raise _transport_error(endpoint, exc) from exc
        log.debug(
            "Clockwork %s %s -> %d in %.0f ms",
            endpoint.method,
            endpoint.name,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        error = error_for(response, self._firm)
        if error is not None:
            if isinstance(error, AuthError):
                await self._notify_auth_failure(error)
            raise error
        is_write = endpoint.method != "GET"
        return unwrap(parse_json(response, is_write=is_write), endpoint, is_write=is_write)

    def _check_destination(self, request: httpx.Request) -> None:
        # Paths are built from the endpoint table, so this only fails on a bug; it is here
        # because a request elsewhere would carry the credentials with it.
        if not str(request.url).startswith(self.base + "/"):
            raise RuntimeError("refusing to send Clockwork credentials outside the API base URL")

    async def _notify_auth_failure(self, error: AuthError) -> None:
        if self.on_auth_failure is None:
            return
        try:
            result = self.on_auth_failure(error)
            if inspect.isawaitable(result):
                await result
        except Exception:  # a broken hook must not hide the AuthError itself
            log.exception("on_auth_failure hook failed")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Building one loads the CA bundle (about 0.1 s); all clients can share it.
    return httpx.create_ssl_context()


def _transport_error(endpoint: Endpoint, exc: Exception) -> ClockworkError:
    if isinstance(exc, _NOT_SENT):
        return Unreachable()
    if endpoint.method == "GET":
        return NoResponse()
    return AmbiguousOutcome()
