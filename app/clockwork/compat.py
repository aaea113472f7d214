"""The compatibility check: every readable row of the endpoint table, read once and compared
with the shape the table expects (wrapper key, id types, the fields we read).

Write rows cannot be tried without writing, so they are reported as not tried; the sync
checks the first write of each kind strictly instead (see write_gate).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from app.clockwork import endpoints as ep
from app.clockwork.errors import (
    AuthError,
    BadRequest,
    ClockworkError,
    ForbiddenError,
    MalformedResponse,
    NotFound,
)
from app.clockwork.shapes import missing_fields, shape_text

if TYPE_CHECKING:
    from app.clockwork.client import ClockworkClient

Result = Literal["ok", "differs", "refused", "not_tried"]
_WRITE_NOTE = "a write: checked strictly on the first one of each session instead"


@dataclass(frozen=True, slots=True)
class EndpointResult:
    name: str
    certainty: str
    result: Result
    detail: str

    def as_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class CompatReport:
    endpoints: tuple[EndpointResult, ...]

    @property
    def compatible(self) -> bool:
        return all(e.result in ("ok", "not_tried") for e in self.endpoints)

    def as_dict(self) -> dict[str, object]:
        return {"compatible": self.compatible, "endpoints": [e.as_dict() for e in self.endpoints]}


class _Probe:
    def __init__(self, client: ClockworkClient) -> None:
        self.client = client
        self.results: dict[str, EndpointResult] = {}

    async def read(
        self,
        endpoint: ep.Endpoint,
        params: dict[str, str] | None = None,
        query: dict[str, str | int] | None = None,
        *,
        many: bool,
    ) -> list[dict[str, Any]]:
        """Reads one row; records its result; returns the records found (for the next rows)."""
        try:
            whole = await self.client.read_raw(endpoint, params or {}, query)
        except NotFound:
            self._set(endpoint, "ok", "404 for a record that does not exist, as expected")
            return []
        except (AuthError, ForbiddenError, BadRequest) as error:
            self._set(endpoint, "refused", error.message)
            return []
        except MalformedResponse as error:
            self._set(endpoint, "differs", error.message)
            return []
        records, problem = _unwrap(endpoint, whole, many=many)
        if problem is None and records:
            missing = missing_fields(endpoint, records[0])
            problem = f"lacks {', '.join(missing)}" if missing else None
        if problem is not None:
            self._set(endpoint, "differs", f"{problem}; answer shape: {shape_text(whole)}")
            return []
        self._set(endpoint, "ok", "as expected" if records else "as expected (empty)")
        return records

    def _set(self, endpoint: ep.Endpoint, result: Result, detail: str) -> None:
        self.results[endpoint.name] = EndpointResult(
            endpoint.name, endpoint.certainty.value, result, detail
        )


def _unwrap(endpoint: ep.Endpoint, whole: Any, *, many: bool) -> tuple[list[Any], str | None]:
    key = endpoint.response_key
    if key is None:  # statuses: a bare list, or one under "statuses"
        value = whole.get("statuses") if isinstance(whole, dict) else whole
    elif not isinstance(whole, dict) or key not in whole:
        return [], f"has no “{key}” part"
    else:
        value = whole[key]
    if many:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return [], "is not a list of records"
        return value, None
    if not isinstance(value, dict):
        return [], "is not a single record"
    return [value], None


async def check(client: ClockworkClient, own_email: str) -> CompatReport:
    """Runs every readable row (about nine requests) and reports each row's result."""
    probe = _Probe(client)
    people = await probe.read(ep.LIST_PEOPLE, query={"limit": 1}, many=True)
    found = await probe.read(
        ep.GET_PERSON, {"ref": own_email or "nobody@example.invalid"}, many=False
    )
    if not found and people and probe.results["get_person"].result == "ok":
        found = await probe.read(ep.GET_PERSON, {"ref": str(people[0]["id"])}, many=False)
    await probe.read(ep.SEARCH_PEOPLE, query={"q": own_email.split("@")[0] or "a"}, many=True)
    person = (found or people or [{}])[0]
    if person.get("id"):
        await probe.read(ep.LIST_NOTES, {"person_id": str(person["id"])}, {"limit": 1}, many=True)
    projects = await probe.read(ep.LIST_PROJECTS, query={"limit": 5}, many=True)
    candidacy: dict[str, Any] = {}
    for project in projects:
        listed = await probe.read(
            ep.LIST_CANDIDACIES, {"project_id": str(project["id"])}, {"limit": 1}, many=True
        )
        if listed:
            candidacy = {**listed[0], "projectId": str(project["id"])}
            break
    if candidacy.get("id"):
        params = {"project_id": candidacy["projectId"], "candidacy_id": str(candidacy["id"])}
        await probe.read(ep.GET_CANDIDACY, params, many=False)
    await probe.read(ep.LIST_STATUSES, many=True)
    return CompatReport(tuple(_result(probe, e) for e in ep.ENDPOINTS))


def _result(probe: _Probe, endpoint: ep.Endpoint) -> EndpointResult:
    if endpoint.name in probe.results:
        return probe.results[endpoint.name]
    detail = _WRITE_NOTE if endpoint.method != "GET" else "nothing to read it with"
    return EndpointResult(endpoint.name, endpoint.certainty.value, "not_tried", detail)


__all__ = ["ClockworkError", "CompatReport", "EndpointResult", "check"]
