"""The CSV contact parser's cleaning and merging of values, and properties over random files
(round trips through csv.writer, arbitrary bytes)."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.csvimport import (
    normalise_email,
    normalise_linkedin_url,
    parse_csv_bytes,
    split_name,
)
from app.domain import ContactInput
from app.errors import InputError
from tests.csv_text import parse_text

# --- Cleaning and merging ----------------------------------------------------------------------


def test_duplicates_merge_case_insensitively_filling_blanks_in_first_seen_order() -> None:
    text = (
        "Email,First Name,Last Name,Company,Phone\n"
        "ann@example.com,Ann,,,\n"
        "bob@example.com,Bob,Stone,Acme,\n"
        "ANN@Example.com,Annie,Lee,Acme,\n"
        "Ann@example.COM,,,Other,+1 555\n"
    )
    result = parse_text(text)

    assert result.contacts == [
        ContactInput("ann@example.com", "Ann", "Lee", company="Acme", phone="+1 555"),
        ContactInput("bob@example.com", "Bob", "Stone", company="Acme"),
    ]
    assert result.merged_duplicates == 2


def test_cells_are_trimmed_collapsed_and_unicode_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "José")
    text = (
        "Email,First Name,Last Name,Title,Phone\n"
        f'  a@example.com  ,"\u200b {decomposed} ","  van\u00a0 der\n Berg ",\'Head of X,="007"\n'
    )
    result = parse_text(text)

    assert result.contacts == [
        ContactInput("a@example.com", "José", "van der Berg", title="Head of X", phone="007")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bob@Example.COM", "bob@example.com"),
        ("  bob@example.com\t", "bob@example.com"),
        ("mailto:Bob@Example.com", "bob@example.com"),
        ("MAILTO:bob@example.com?subject=Hello", "bob@example.com"),
        ("<bob@example.com>", "bob@example.com"),
        ("Bob Stone <bob@example.com>", "bob@example.com"),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("josé@bücher.example", "josé@bücher.example"),
        ("a@xn--80ak6aa92e.xn--p1ai", "a@xn--80ak6aa92e.xn--p1ai"),
        ("", None),
        ("bob", None),
        ("bob@", None),
        ("@example.com", None),
        ("bob@example", None),
        ("bob@@example.com", None),
        ("bob@exa@mple.com", None),
        ("bob smith@example.com", None),
        ("bob@exam ple.com", None),
        (".bob@example.com", None),
        ("bob.@example.com", None),
        ("bo..b@example.com", None),
        ("bob@example..com", None),
        ("bob@-example.com", None),
        ("bob@example-.com", None),
        ("bob@exa_mple.com", None),
        ("bob@example.c", None),
        ("bob@example.123", None),
        ("a@example.com; b@example.com", None),
        ("a@example.com,b@example.com", None),
        ('"bob"@example.com', None),
        ("x" * 65 + "@example.com", None),
        ("x@" + "a" * 250 + ".com", None),
    ],
)
def test_normalise_email(text: str, expected: str | None) -> None:
    assert normalise_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/jane-doe/", "https://www.linkedin.com/in/jane-doe"),
        ("linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("http://uk.linkedin.com/in/jane-doe?trk=x", "https://www.linkedin.com/in/jane-doe"),
        ("HTTPS://WWW.LINKEDIN.COM/in/Jane-Doe#top", "https://www.linkedin.com/in/Jane-Doe"),
        ("https://www.linkedin.com/in/jane/details/", "https://www.linkedin.com/in/jane"),
        ("https://www.linkedin.com/in/jos%C3%A9", "https://www.linkedin.com/in/jos%C3%A9"),
        (
            "https://www.linkedin.com/talent/profile/AEM",
            "https://www.linkedin.com/talent/profile/AEM",
        ),
        (
            "https://www.linkedin.com/sales/lead/ACw,NAME",
            "https://www.linkedin.com/sales/lead/ACw,NAME",
        ),
        ("https://www.linkedin.com/in/", "https://www.linkedin.com/in/"),
        ("https://evil.example/linkedin.com/in/x", "https://evil.example/linkedin.com/in/x"),
        ("see linkedin.com/in/jane", "see linkedin.com/in/jane"),
        ("https://github.com/jane", "https://github.com/jane"),
    ],
)
def test_normalise_linkedin_url(text: str, expected: str) -> None:
    assert normalise_linkedin_url(text) == expected


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Jane Doe", "Jane", "Doe"),
        ("Mary Ann Smith", "Mary Ann", "Smith"),
        ("Doe, Jane", "Jane", "Doe"),
        ("Müller, Zoë Anna", "Zoë Anna", "Müller"),
        ("Dr. Jane Doe", "Jane", "Doe"),
        ("Prof. Dr. Hans Weber", "Hans", "Weber"),
        ("John Smith Jr.", "John", "Smith Jr."),
        ("John Smith, Jr.", "John", "Smith Jr."),
        ("Smith, John, Jr.", "John", "Smith Jr."),
        ("Jane Doe, PhD", "Jane", "Doe PhD"),
        ("Henry Ford III", "Henry", "Ford III"),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Anna Van Der Berg", "Anna", "Van Der Berg"),
        ("Van Morrison", "Van", "Morrison"),
        ("Cher", "Cher", ""),
        ("", "", ""),
        (" , ", "", ""),
    ],
)
def test_split_name(name: str, first: str, last: str) -> None:
    assert split_name(name) == (first, last)


# --- Properties --------------------------------------------------------------------------------

# Written from the specification, not imported from the implementation's table.
SYNONYMS = {
    "email": [
        "Email",
        "E-mail",
        "Email Address",
        "E-mail Address",
        "E-mail 1 - Value",
        "Work Email",
        "Primary Email",
    ],
    "first_name": ["First Name", "Given Name", "FirstName", "First"],
    "last_name": ["Last Name", "Family Name", "Surname", "LastName", "Last"],
    "title": ["Title", "Job Title", "Position", "Current Title", "Organization 1 - Title"],
    "company": [
        "Company",
        "Organization",
        "Organisation",
        "Current Company",
        "Company Name",
        "Organization 1 - Name",
        "Account Name",
    ],
    "linkedin_url": ["LinkedIn", "LinkedIn URL", "LinkedIn Profile", "Profile URL"],
    "phone": ["Phone", "Phone Number", "Mobile", "Business Phone", "Phone 1 - Value"],
}
OPTIONAL_FIELDS = ["first_name", "last_name", "title", "company", "linkedin_url", "phone"]


def header_spelling(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [name, name.upper(), name.lower(), name.replace(" ", "_"), name.replace(" ", "")]
    )


free_text = st.text(
    st.one_of(
        # No control or format characters: the parser drops zero-width ones on purpose.
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf")),
        st.sampled_from([",", ";", "\t", "\n", "\r", '"', " ", "'", "="]),
    ),
    max_size=12,
    # A leading ' or =" is an Excel marker that the parser removes on purpose.
).filter(lambda text: not " ".join(text.split()).startswith(("'", "=")))
emails = st.builds(
    "{}@{}".format,
    st.from_regex(r"[a-z0-9](?:[a-z0-9_+-]{0,8}[a-z0-9])?(?:\.[a-z0-9]{1,5})?", fullmatch=True),
    st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?\.(?:com|org|co\.uk|de)", fullmatch=True),
)
slugs = st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)
linkedin_urls = st.one_of(
    st.just(""),
    slugs.map("https://www.linkedin.com/in/{}".format),
    slugs.map("http://uk.linkedin.com/in/{}/".format),
)
phones = st.from_regex(r"(?:\+?[0-9][0-9 ()-]{0,14})?", fullmatch=True)


@st.composite
def contact_rows(draw: st.DrawFn) -> dict[str, str]:
    row = {"email": draw(emails), "notes": draw(free_text)}
    for field in ("first_name", "last_name", "title", "company"):
        row[field] = draw(free_text)
    row["linkedin_url"] = draw(linkedin_urls)
    row["phone"] = draw(phones)
    return row


def expected_text(raw: str) -> str:
    return unicodedata.normalize("NFC", " ".join(raw.split()))


def expected_contact(row: dict[str, str], fields: list[str]) -> ContactInput:
    values = {field: expected_text(row[field]) for field in fields}
    if values.get("linkedin_url"):
        slug = values["linkedin_url"].rstrip("/").rsplit("/", 1)[1]
        values["linkedin_url"] = f"https://www.linkedin.com/in/{slug}"
    return ContactInput(email=row["email"], **values)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(contact_rows(), max_size=8, unique_by=lambda row: row["email"]),
    fields=st.lists(st.sampled_from(OPTIONAL_FIELDS), unique=True),
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    lineterminator=st.sampled_from(["\r\n", "\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    shout=st.booleans(),
)
def test_round_trip_through_csv_writer(
    rows: list[dict[str, str]],
    fields: list[str],
    data: st.DataObject,
    delimiter: str,
    lineterminator: str,
    encoding: str,
    shout: bool,
) -> None:
    columns = data.draw(st.permutations(["email", "notes", *fields]))
    headers = {"notes": "Notes"}
    for column in columns:
        if column in SYNONYMS:
            headers[column] = data.draw(st.sampled_from(SYNONYMS[column]).flatmap(header_spelling))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow([headers[column] for column in columns])
    for row in rows:
        cells = {**row, "email": row["email"].upper() if shout else row["email"]}
        writer.writerow([cells[column] for column in columns])

    result = parse_csv_bytes(buffer.getvalue().encode(encoding))

    assert result.delimiter == delimiter
    assert result.mapping.fields == {c: headers[c] for c in [*SYNONYMS] if c in columns}
    assert result.mapping.unmapped == ["Notes"]
    assert result.contacts == [expected_contact(row, fields) for row in rows]
    assert result.rejected == []
    assert result.merged_duplicates == 0


csv_tokens = st.sampled_from(
    ["Email", "Name", "a@b.co", "B@C.io", "x", ",", ";", "\t", "\n", "\r\n", "\r", '"', " ", "é"]
)
csvish_bytes = st.builds(
    lambda header, tokens, encoding: (header + "".join(tokens)).encode(encoding),
    st.sampled_from(["", "Email,Name\n", "E-mail;Name\r\n", "name\temail\n"]),
    st.lists(csv_tokens, max_size=60),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=400), csvish_bytes))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        result = parse_csv_bytes(data)
    except InputError:
        return

    assert result.delimiter in (",", ";", "\t")
    emails_seen = [contact.email for contact in result.contacts]
    assert all(normalise_email(email) == email for email in emails_seen)
    assert len(set(emails_seen)) == len(emails_seen)
    lines = [row.line for row in result.rejected]
    assert all(line >= 2 for line in lines)
    assert lines == sorted(set(lines))  # file order, one entry per record
    # Every physical line ends in a CR or LF byte (in UTF-16 too), so this bounds the count.
    assert all(line <= data.count(b"\n") + data.count(b"\r") + 1 for line in lines)
    assert result.merged_duplicates >= 0
