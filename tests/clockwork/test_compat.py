"""The compatibility check and the strict first write, against the sandbox."""

from __future__ import annotations

import json

import pytest

from app.clockwork import endpoints as ep
from app.clockwork.compat import check
from app.clockwork.errors import NotFound, ShapeDrift
from app.clockwork.shapes import check_record, describe, shape_text
from app.sandbox.harness import sandbox_client
from app.sandbox.seed import DEMO_SHARED_PEOPLE

READABLE = {e.name for e in ep.ENDPOINTS if e.method == "GET"}


async def test_every_readable_row_is_ok_against_the_sandbox() -> None:
    async with sandbox_client() as (client, _, _):
        report = await check(client, DEMO_SHARED_PEOPLE[0].email)
    results = {e.name: e.result for e in report.endpoints}
    assert report.compatible
    assert {name for name, result in results.items() if result == "ok"} == READABLE
    assert {name for name, result in results.items() if result == "not_tried"} == {
        e.name for e in ep.ENDPOINTS if e.method != "GET"
    }
    data = report.as_dict()
    assert set(data) == {"compatible", "endpoints"}
    assert all(
        set(row) == {"name", "certainty", "result", "detail"}
        for row in data["endpoints"]  # type: ignore[attr-defined]
    )


async def test_a_renamed_wrapper_differs_and_shows_the_shape_without_values() -> None:
    async with sandbox_client() as (client, _, knobs):
        knobs.drift_wrappers = "list_people"
        report = await check(client, DEMO_SHARED_PEOPLE[0].email)
    row = next(e for e in report.endpoints if e.name == "list_people")
    assert not report.compatible
    assert row.result == "differs"
    assert "“people”" in row.detail
    assert '"data"' in row.detail
    assert "@" not in row.detail  # no email, no value at all: only types


async def test_wrong_keys_are_refused() -> None:
    async with sandbox_client() as (client, state, _):
        state.credentials = type(state.credentials)(
            state.firm, "other", "other", state.credentials.firm_service_key
        )
        report = await check(client, "me@example.com")
    assert {e.result for e in report.endpoints if e.name == "list_people"} == {"refused"}
    assert not report.compatible


async def test_a_200_lookup_without_its_wrapper_is_malformed_never_not_found() -> None:
    async with sandbox_client() as (client, _, knobs):
        knobs.drift_wrappers = "get_person"
        with pytest.raises(ShapeDrift) as raised:
            await client.find_person_by_email(DEMO_SHARED_PEOPLE[0].email)
    assert not isinstance(raised.value, NotFound)


async def test_the_first_write_of_a_kind_is_strict_and_a_drift_stops_every_later_write() -> None:
    async with sandbox_client() as (client, state, knobs):
        knobs.drift_wrappers = "create_person"
        with pytest.raises(ShapeDrift) as first:
            await client.create_person("Ada", "Lovelace")
        assert first.value.maybe_applied
        people = state.stats()["people"]
        with pytest.raises(ShapeDrift) as second:
            await client.create_person("Grace", "Hopper")
        assert not second.value.maybe_applied  # never sent
        assert state.stats()["people"] == people
        client.write_gate.reset()
        knobs.drift_wrappers = ""
        assert (await client.create_person("Grace", "Hopper"))["id"]


def test_a_first_answer_without_an_id_is_a_drift() -> None:
    with pytest.raises(ShapeDrift, match="lacks id"):
        check_record(ep.CREATE_PERSON, {"name": "x"}, {"person": {"name": "x"}})


def test_a_shape_keeps_keys_and_drops_values() -> None:
    answer = {"person": {"id": 7, "name": "Ada", "emailAddresses": [{"address": "a@b.c"}]}}
    assert describe(answer) == {
        "person": {
            "emailAddresses": [{"address": "<string>"}],
            "id": "<number>",
            "name": "<string>",
        }
    }
    assert "Ada" not in shape_text(answer)
    assert json.loads(shape_text(answer))
