"""The contacts search: a NUL matches nothing, and an over-long search is refused clearly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import ContactFilter
from app.errors import InputError
from app.store.search import MAX_SEARCH
from app.workspace import Workspace
from tests.conftest import people


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    seq = workspace.create_sequence("Search")
    workspace.add_contacts(seq.id, people(20))
    return workspace


@pytest.mark.parametrize("search", ["\x00", "person1\x00", "\x00person", "a\x00b"])
def test_a_search_with_a_nul_matches_no_one(ws: Workspace, search: str) -> None:
    flt = ContactFilter(search=search)
    assert ws.count_contacts(flt) == 0
    assert ws.contacts_page(flt, 0, 50) == []


@pytest.mark.parametrize("length", [MAX_SEARCH + 1, 100_000])
def test_an_over_long_search_is_refused_in_one_line(ws: Workspace, length: int) -> None:
    with pytest.raises(InputError) as caught:
        ws.count_contacts(ContactFilter(search="x" * length))
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        f"A search can be at most {MAX_SEARCH} characters; this one is {length:,}."
    )
    assert ws.count_contacts(ContactFilter()) == 20  # nothing stuck


def test_the_longest_allowed_search_runs(ws: Workspace) -> None:
    assert ws.count_contacts(ContactFilter(search="é" * MAX_SEARCH)) == 0


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(search=st.text(max_size=MAX_SEARCH))
def test_any_search_counts_what_it_lists(ws: Workspace, search: str) -> None:
    flt = ContactFilter(search=search)
    rows = ws.contacts_page(flt, 0, 100)
    assert ws.count_contacts(flt) == len(rows) <= 20
    if "\x00" in search:
        assert rows == []
