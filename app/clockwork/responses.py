"""Turn an HTTP answer into plain data or a typed ClockworkError."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from app.clockwork.endpoints import FIRM_NOT_FOUND_ERROR, Endpoint
from app.clockwork.errors import (
    AuthError,
    BadRequest,
    ClockworkError,
    FirmNotFound,
    ForbiddenError,
    MalformedResponse,
    NotFound,
    RateLimited,
    ServerError,
    ShapeDrift,
)
from app.clockwork.redact import redact
from app.clockwork.shapes import shape_text

DEFAULT_RETRY_AFTER = 1.0
_MAX_DETAIL = 300
_ID_KEY = re.compile(r"(?:id|.*Id|.*_id)")


def error_for(response: httpx.Response, firm: str) -> ClockworkError | None:
    """The error a non-2xx answer stands for; None for a success."""
    status = response.status_code
    if 200 <= status < 300:
        return None
    if status == 401:
        return AuthError(status=status)
    if status == 403:
        return ForbiddenError(status=status)
    if status == 404:
        if _error_code(response) == FIRM_NOT_FOUND_ERROR:
            return FirmNotFound(firm)
        return NotFound(status=status)
    if status == 429:
        return RateLimited(retry_after_seconds(response.headers.get("Retry-After")))
    if status >= 500:
        return ServerError(status)
    if 400 <= status < 500:
        return BadRequest(status, _detail(response))
    # Redirects are never followed: the target could be another host, and httpx would
    # drop Authorization there but still send X-API-Key.
    return MalformedResponse(f"Clockwork answered with an unexpected redirect ({status}).")


def parse_json(response: httpx.Response, *, is_write: bool) -> Any:
    """The decoded JSON body of a success, with every id as a string."""
    if not response.content.strip():
        return {}
    try:
        data = json.loads(response.content)
    except ValueError:
        raise MalformedResponse(status=response.status_code, maybe_applied=is_write) from None
    return stringify_ids(data)


def unwrap(data: Any, endpoint: Endpoint, *, is_write: bool) -> Any:
    """The value under the endpoint's response key (the whole answer when it has none)."""
    key = endpoint.response_key
    if key is None:
        return data
    if not isinstance(data, dict) or key not in data:
        # Readable JSON in another shape: never "not found" (a lookup that took it so would
        # create a duplicate), and not a passing glitch to retry either.
        raise ShapeDrift(
            endpoint.name,
            shape_text(data),
            problem=f"has no “{key}” part",
            maybe_applied=is_write,
        )
    return data[key]


def expect_dict(value: Any, *, is_write: bool = False) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedResponse(maybe_applied=is_write)
    return value


def expect_list(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise MalformedResponse()
    return value


def stringify_ids(value: Any) -> Any:
    """Clockwork ids are integers in some answers and UUIDs in others; we keep strings."""
    if isinstance(value, list):
        return [stringify_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _id_value(key, item) for key, item in value.items()}
    return value


def _id_value(key: str, value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and _ID_KEY.fullmatch(key):
        return str(value)
    return stringify_ids(value)


def retry_after_seconds(header: str | None, *, now: datetime | None = None) -> float:
    """Seconds to wait from a Retry-After header: delay-seconds (decimals accepted) or a date."""
    if not header:
        return DEFAULT_RETRY_AFTER
    try:
        seconds = float(header)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else DEFAULT_RETRY_AFTER
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_RETRY_AFTER
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def _error_code(response: httpx.Response) -> str | None:
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    code = data.get("error") if isinstance(data, dict) else None
    return code if isinstance(code, str) else None


def _detail(response: httpx.Response) -> str:
    """A short, secret-free explanation from an error body, for BadRequest."""
    try:
        data = json.loads(response.content)
    except ValueError:
        return ""
    if isinstance(data, dict):
        text = data.get("message") or data.get("error") or data.get("errors") or ""
    else:
        text = data
    detail = redact(" ".join(str(text).split()))
    return detail if len(detail) <= _MAX_DETAIL else detail[: _MAX_DETAIL - 1] + "…"
