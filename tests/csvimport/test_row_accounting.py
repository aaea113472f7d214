"""Every line of a CSV file is accounted for: imported, merged or rejected on the line where the
trouble starts. Stray and unclosed quotes cannot swallow the rows below them; a second email
column is used or reported, never dropped silently; UTF-8 and cp1252 lines may be mixed."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.csvimport import parse_csv_bytes
from app.csvimport.records import MAX_RECORD_LINES, TOO_LONG, UNBALANCED_QUOTE
from app.domain import RejectedRow
from tests.csv_text import parse_text

NAMES = st.text(alphabet="AaBbEeLlOoRrZz éüñ-", min_size=1, max_size=10).map(str.strip)
TITLES = st.one_of(
    st.sampled_from(["CFO", "VP, Finance", "Chair of the Board"]),
    # A legitimate note over several lines: kept whole, never mistaken for a stray quote.
    st.sampled_from(["Line one\nline two", 'Said "hi"\nthen left']),
)
# What a careless edit does to a row: a quote opened and never closed, at a field's start.
DAMAGE = st.sampled_from([None, None, None, "name", "title", "middle"])


@dataclass
class Row:
    email: str
    name: str
    title: str
    damage: str | None
    line: int = 0
    end_line: int = 0


def render(rows: list[Row]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["First Name", "Email", "Title"])
    lines = ["First Name,Email,Title\n"]
    number = 2
    for row in rows:
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerow([row.name, row.email, row.title])
        text = buffer.getvalue()
        if row.damage == "name":
            text = '"' + text
        elif row.damage == "title":
            text = text.replace(f"{row.email},", f'{row.email},"', 1)
        elif row.damage == "middle":
            text = text.replace(row.email, row.email[:2] + '"' + row.email[2:], 1)
        row.line = number
        number += text.count("\n")
        row.end_line = number - 1
        lines.append(text)
    return "".join(lines)


@st.composite
def files(draw: st.DrawFn) -> list[Row]:
    count = draw(st.integers(1, 40))
    return [
        Row(f"p{i}@example.com", draw(NAMES) or "X", draw(TITLES), draw(DAMAGE))
        for i in range(count)
    ]


@settings(max_examples=300)
@given(rows=files())
def test_every_row_is_imported_or_rejected_on_its_own_line(rows: list[Row]) -> None:
    result = parse_text(render(rows))
    imported = {c.email: c for c in result.contacts}
    rejected_lines = {r.line for r in result.rejected}
    for row in rows:
        assert row.email in imported or row.line in rejected_lines, (row, result.rejected)
        if row.damage is None and row.email in imported:
            # An undamaged row that was imported has its own values, nothing absorbed.
            contact = imported[row.email]
            assert contact.first_name == " ".join(row.name.split())
            assert contact.title == " ".join(row.title.split())
    # No field holds another row's address (a swallowed row).
    for contact in result.contacts:
        fields = (contact.first_name, contact.last_name, contact.title, contact.company)
        assert not any("@example.com" in value for value in fields), contact
    # Only damaged rows' lines are rejected (a damaged row's later lines are read again, each
    # rejected on its own line when it is no row); undamaged rows never are.
    damaged = {n for row in rows if row.damage for n in range(row.line, row.end_line + 1)}
    assert rejected_lines <= damaged
    assert not {row.line for row in rows if row.damage is None} & rejected_lines


def test_a_100_row_file_with_one_stray_quote_loses_only_that_row() -> None:
    lines = ["Email,First Name,Title\n"]
    for i in range(100):
        title = '"VP' if i == 50 else "VP"  # line 52: an unclosed quote
        lines.append(f"p{i}@example.com,Pat,{title}\n")
    result = parse_text("".join(lines))
    assert len(result.contacts) == 99
    assert result.rejected == [RejectedRow(52, UNBALANCED_QUOTE)]


def test_a_quote_that_runs_on_and_on_is_cut_at_the_limit_and_the_rest_read() -> None:
    note = "\n".join("more words" for _ in range(MAX_RECORD_LINES + 5))
    text = f'Email,Notes\na@example.com,"{note}\nb@example.com,ok\n'
    result = parse_text(text)
    assert result.rejected[0] == RejectedRow(2, TOO_LONG)
    assert [c.email for c in result.contacts] == ["b@example.com"]
    # The note's later lines (3 to 206) are read again, each rejected on its own line.
    assert [r.line for r in result.rejected[1:]] == list(range(3, MAX_RECORD_LINES + 7))


# --- several email columns ------------------------------------------------------------------


def test_a_second_email_column_fills_in_and_a_second_address_is_reported() -> None:
    text = (
        "Email,Work Email,First Name\n"
        ",ann@work.example.com,Ann\n"  # 2: only the second column: imported from it
        "bob@home.example.com,bob@work.example.com,Bob\n"  # 3: two addresses: one imported
        "cy@example.com,cy@example.com,Cy\n"  # 4: the same twice: nothing to say
        "not-an-address,dee@work.example.com,Dee\n"  # 5: the first unusable: the second
    )
    result = parse_text(text)
    assert [c.email for c in result.contacts] == [
        "ann@work.example.com",
        "bob@home.example.com",
        "cy@example.com",
        "dee@work.example.com",
    ]
    assert result.rejected == []
    assert result.mapping.fields["email"] == "Email, then Work Email"
    [warning] = result.warnings
    assert "1 rows (lines 3)" in warning
    assert "Email" in warning


# --- mixed encodings ------------------------------------------------------------------------

# Non-ASCII letters, each followed by an ASCII one: cp1252 bytes of such a name are never
# valid UTF-8 by accident, so each line's encoding is knowable.
ACCENTED = st.lists(
    st.tuples(st.sampled_from("éèüöñçåøÉÖß"), st.sampled_from("abcxyz")), min_size=1, max_size=5
).map(lambda pairs: "".join(a + b for a, b in pairs))


@given(names=st.lists(st.tuples(ACCENTED, st.sampled_from(["utf-8", "cp1252"])), min_size=1))
def test_utf8_and_cp1252_lines_in_one_file_each_read_right(
    names: list[tuple[str, str]],
) -> None:
    data = b"Email,First Name\r\n" + b"".join(
        f"p{i}@example.com,{name}\r\n".encode(encoding) for i, (name, encoding) in enumerate(names)
    )
    result = parse_csv_bytes(data)
    assert [c.first_name for c in result.contacts] == [name for name, _ in names]


def test_a_file_over_the_contact_cap_is_refused_with_the_line() -> None:
    from app.csvimport import parser

    text = "Email\n" + "".join(f"p{i}@example.com\n" for i in range(5))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "MAX_CONTACTS", 3)
        with pytest.raises(parser.CsvFileError, match=r"more than 3 contacts \(line 5\)"):
            parse_text(text)
