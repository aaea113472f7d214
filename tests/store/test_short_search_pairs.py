"""One- and two-character searches on PostgreSQL, served through `contact_pairs` (migration
'pgpairs'): the patterns built from the pairs match exactly the values holding the search, the
table follows every way contacts are written, and a store without it scans as before."""

from __future__ import annotations

import itertools
import re

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from app.domain import ContactInput
from app.store import migrate, search, search_backlog, search_index
from app.store.engine import make_engine
from app.workspace import Workspace
from tests.store.test_search_index import ALPHABET, assert_same_as_scan

pytestmark = pytest.mark.both_databases


def _like(pattern: str, value: str) -> bool:
    """LIKE with backslash escapes, in Python: the oracle for the patterns themselves."""
    parts = re.findall(r"\\.|%|_|.", pattern, re.DOTALL)
    as_regex = "".join(".*" if p == "%" else "." if p == "_" else re.escape(p[-1]) for p in parts)
    return re.fullmatch(as_regex, value, re.DOTALL) is not None


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for v in filter(None, values):
        edged = ["", *list(v), ""]
        found.update(itertools.pairwise(edged))
    return sorted(found)


@given(
    values=st.lists(st.text(ALPHABET, max_size=8), max_size=6),
    wanted=st.text(ALPHABET.lower(), min_size=1, max_size=2),
)
def test_the_patterns_match_exactly_the_values_holding_the_search(
    values: list[str], wanted: str
) -> None:
    patterns = search.pg_patterns(wanted, _pairs(values))
    for value in values:
        assert any(_like(p, value) for p in patterns) == (wanted in value), (value, patterns)


@given(values=st.lists(st.text(ALPHABET, min_size=1, max_size=8), max_size=12))
def test_a_bulk_adds_pairs_are_those_of_each_value_whatever_the_slices(
    values: list[str],
) -> None:
    """The add works out its pairs over all values joined, a few characters per C call here
    (search_index._PAIRS_SLICE), so pairs straddle the slices' edges."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "_PAIRS_SLICE", 3)
        found = search_index._pairs(values)
    assert sorted(found) == _pairs(values)


def _short_plan(ws: Workspace, wanted: str) -> search.SearchPlan:
    with ws.store.read() as session:
        return search.plan(session, wanted)


def test_rare_short_searches_use_the_pairs_and_follow_edits(workspace: Workspace) -> None:
    seq = workspace.create_sequence("Pairs")
    workspace.add_contacts(
        seq.id,
        [ContactInput(email=f"p{i}@ex.com", last_name=n) for i, n in enumerate(["Xu", "Ng"])],
    )
    # An update of a searched column goes through the update trigger, not the bulk path.
    workspace.add_contacts(seq.id, [ContactInput(email="p1@ex.com", company="Zqa-Q")])
    with workspace.store.write() as session:
        session.execute(text("UPDATE contacts SET title = 'Ωk' WHERE email_key = 'p0@ex.com'"))
    for wanted in ("xu", "x", "u", "ng", "zq", "q", "a-", "-q", "k", "ωk", "zz", "é", "%"):
        assert_same_as_scan(workspace, wanted)
    if workspace.store.is_sqlite:
        return
    assert _short_plan(workspace, "zq").patterns == ("zq%",)
    # Each place "q" may stand, as the pairs tell it: after "-" or "z", before "a" or the end.
    assert _short_plan(workspace, "q").patterns == ("%-q", "%-qa%", "%zq", "%zqa%")
    assert str(_short_plan(workspace, "zz").scan) == "false"  # no contact holds the pair


def test_a_character_with_too_many_neighbours_scans(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seq = workspace.create_sequence("Neighbours")
    names = [f"{a}q{b}" for a, b in itertools.product("abc", "xyz")]
    workspace.add_contacts(
        seq.id, [ContactInput(email=f"n{i}@ex.com", last_name=n) for i, n in enumerate(names)]
    )
    monkeypatch.setattr(search, "MAX_PATTERNS", 8)
    assert_same_as_scan(workspace, "q")
    if not workspace.store.is_sqlite:
        assert not _short_plan(workspace, "q").patterns  # nine places: over the limit
        monkeypatch.setattr(search, "MAX_PATTERNS", 9)
        assert len(_short_plan(workspace, "q").patterns) == 9


def test_without_the_pairs_table_short_searches_scan(workspace: Workspace) -> None:
    """As for a role that could not create pg_trgm: no trigram indexes, no pairs table."""
    seq = workspace.create_sequence("Bare")
    workspace.add_contacts(seq.id, [ContactInput(email="ada@ex.com", first_name="Quinn")])
    with workspace.store.write() as session:
        search_index.drop_pairs(session.connection())
    workspace.add_contacts(seq.id, [ContactInput(email="bob@ex.com", first_name="Qiu")])
    assert not _short_plan(workspace, "q").patterns
    for wanted in ("q", "qi", "zz"):
        assert_same_as_scan(workspace, wanted)


def test_the_migration_lists_the_pairs_of_existing_contacts_and_goes_back(
    db_url: str,
) -> None:
    ws = Workspace.open(db_url)
    seq = ws.create_sequence("Old")
    names = ["Quinn", "Xu", "Ng", "a_b", "Zoë"]
    ws.add_contacts(
        seq.id, [ContactInput(email=f"p{i}@ex.com", company=n) for i, n in enumerate(names)]
    )
    ws.close()
    engine = make_engine(db_url)
    config = migrate._config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "searchbacklog")
            assert conn.dialect.name == "sqlite" or not search_index.has_pairs(conn)
    finally:
        engine.dispose()
    ws = Workspace.open(db_url)  # migrates to head again, listing the pairs of the stored rows
    try:
        if not ws.store.is_sqlite:
            assert _short_plan(ws, "xu").patterns
        for wanted in ("q", "xu", "x", "ng", "_", "ë", "zz"):
            assert_same_as_scan(ws, wanted)
    finally:
        ws.close()


def test_short_searches_while_contacts_wait_for_the_index_match_the_scan(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk add records its pairs at once but leaves its contacts out of the index: the
    patterns find the indexed ones, the span's LIKE the waiting ones."""
    monkeypatch.setattr(search_backlog, "FROM_ROWS", 3)
    seq = workspace.create_sequence("Waiting")
    first = ["Xu", "Ng"]  # fewer than FROM_ROWS: indexed at once
    later = ["Zqa", "Qiu", "Yuqi", "ng-x"]  # these wait
    workspace.add_contacts(
        seq.id, [ContactInput(email=f"p{i}@ex.com", last_name=n) for i, n in enumerate(first)]
    )
    workspace.add_contacts(
        seq.id, [ContactInput(email=f"w{i}@ex.com", last_name=n) for i, n in enumerate(later)]
    )
    wanted = ("xu", "x", "q", "zq", "qi", "ng", "g-", "zz", "é")
    for search_for in wanted:
        assert_same_as_scan(workspace, search_for)
    if not workspace.store.is_sqlite:
        plan = _short_plan(workspace, "zq")
        assert (plan.patterns, plan.waiting) == (("zq%",), (3, 6))
    workspace.finish_search_backlog()
    for search_for in wanted:
        assert_same_as_scan(workspace, search_for)
    if not workspace.store.is_sqlite:
        assert _short_plan(workspace, "zq").waiting is None
