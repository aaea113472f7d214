"""The sync log's step keys in words a recruiter understands."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from app.sync.facade import SyncLogRow
from app.sync.log_words import in_words, step_words
from app.workspace import Workspace

PROJECTS = {"1": "CFO – Northwind"}
NOTES = {46: ("sent", 1), 47: ("replied", None)}


def test_note_keys_name_the_email_step_and_what_happened() -> None:
    assert step_words("note:46", "sent note", NOTES, PROJECTS) == ("Email note (step 2 sent)", "")
    assert step_words("note:47", "replied note", NOTES, PROJECTS) == ("Email note (reply)", "")
    assert step_words("note:99", "sent note", NOTES, PROJECTS) == ("Email note", "")


def test_projects_are_named_not_numbered() -> None:
    words = step_words("candidacy", "added to project 1", NOTES, PROJECTS)
    assert words == ("Added to project CFO – Northwind", "")
    assert step_words("candidacy", "added to project 7", NOTES, PROJECTS)[0] == (
        "Added to project project 7"
    )


def test_detail_steps_and_errors_read_as_sentences() -> None:
    assert step_words("linkedin", "", NOTES, PROJECTS) == ("LinkedIn profile added", "")
    assert step_words("lookup", "not in Clockwork", NOTES, PROJECTS) == (
        "Looked up in Clockwork",
        "not in Clockwork",
    )
    assert step_words("create", "Clockwork person 12", NOTES, PROJECTS) == (
        "Created in Clockwork",
        "Clockwork person id 12",
    )
    assert step_words("sync_contact", "HTTP 500", NOTES, PROJECTS) == ("Contact sync", "HTTP 500")


@given(st.text(alphabet="abcdefghij_:0123456789", min_size=1, max_size=20), st.text(max_size=40))
def test_no_key_is_shown_raw_with_underscores_or_as_a_note_id(step: str, message: str) -> None:
    words, _ = step_words(step, message, NOTES, PROJECTS)
    assert words
    assert "_" not in words
    assert not words.startswith("note:")


def test_the_facade_reads_the_log_in_words(tmp_path: object) -> None:
    ws = Workspace.open(f"sqlite:///{tmp_path}/w.db")
    try:
        row = SyncLogRow(1, datetime.now(UTC), 1, "a@b.c", "candidacy", "ok", "added to project 9")
        with ws.store.read() as session:
            [shown] = in_words(session, [row])
        assert (shown.step, shown.message) == ("Added to project project 9", "")
        assert ws.sync.log_in_words() == []
    finally:
        ws.close()
