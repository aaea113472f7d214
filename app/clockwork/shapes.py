"""What an answer looks like, with its values left out, and whether it fits the table.

The shape goes into the sync log and the compatibility report, so it must never carry a
value: a person's email or a note's text would otherwise end up there.
"""

from __future__ import annotations

import json
from typing import Any

from app.clockwork.endpoints import READ_FIELDS, Endpoint
from app.clockwork.errors import ShapeDrift

_MAX_KEYS = 12
_MAX_SHAPE = 400


def describe(value: Any, depth: int = 0) -> Any:
    """The structure of `value`: keys kept, every value replaced by its JSON type."""
    if isinstance(value, dict):
        if depth >= 4:
            return "{…}"
        keys = sorted(value)[:_MAX_KEYS]
        return {key: describe(value[key], depth + 1) for key in keys}
    if isinstance(value, list):
        return [describe(value[0], depth)] if value else []
    if isinstance(value, bool):
        return "<bool>"
    if isinstance(value, int | float):
        return "<number>"
    if isinstance(value, str):
        return "<string>"
    return "<null>"


def shape_text(value: Any) -> str:
    text = json.dumps(describe(value), ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= _MAX_SHAPE else text[: _MAX_SHAPE - 1] + "…"


def missing_fields(endpoint: Endpoint, record: dict[str, Any]) -> list[str]:
    """The fields we read from this answer that it lacks, or whose id is not an id."""
    missing = [name for name in READ_FIELDS.get(endpoint.name, ()) if name not in record]
    if "id" in record and not _is_id(record["id"]):
        missing.append("id (not a number or a string)")
    return missing


def check_record(
    endpoint: Endpoint, record: Any, whole: Any, *, maybe_applied: bool = False
) -> None:
    """Raises ShapeDrift when `record` (the unwrapped answer) lacks what we read from it."""
    if not isinstance(record, dict):
        raise ShapeDrift(
            endpoint.name,
            shape_text(whole),
            problem="is not a single record",
            maybe_applied=maybe_applied,
        )
    missing = missing_fields(endpoint, record)
    if missing:
        raise ShapeDrift(
            endpoint.name,
            shape_text(whole),
            problem=f"lacks {', '.join(missing)}",
            maybe_applied=maybe_applied,
        )


def _is_id(value: Any) -> bool:
    # Ids were made strings on the way in (responses.stringify_ids); anything else is odd.
    return isinstance(value, str) and value != ""
