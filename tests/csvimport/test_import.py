"""The CSV contact parser on files: real export formats, structure, quoting and line numbers,
and unusable files. Cleaning, merging and the properties are in test_csv_cleaning.py."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from app.csvimport import (
    ColumnMapping,
    parse_csv_bytes,
    parse_csv_file,
)
from app.domain import ContactInput, RejectedRow
from app.errors import InputError
from tests.csv_text import parse_text

DATA = Path(__file__).parent.parent / "data" / "csv"


# --- Real-world sample files -------------------------------------------------------------------


def test_linkedin_recruiter_export() -> None:
    result = parse_csv_file(DATA / "linkedin_recruiter.csv")

    assert result.delimiter == ","
    assert result.mapping == ColumnMapping(
        fields={
            "email": "Email Address",
            "first_name": "First Name",
            "last_name": "Last Name",
            "title": "Current Title",
            "company": "Current Company",
            "linkedin_url": "Public Profile URL",
            "phone": "Phone Number",
        },
        unmapped=["Headline", "Location", "Notes"],
    )
    assert result.contacts == [
        ContactInput(
            email="amara.okafor@northwind.example",
            first_name="Amara",
            last_name="Okafor",
            title="Chief Financial Officer",
            company="Northwind Holdings",
            linkedin_url="https://www.linkedin.com/in/amara-okafor-cfo",
            phone="+44 20 7946 0958",
        ),
        ContactInput(
            email="l.vanderberg@fjordcapital.example",
            first_name="Lars",
            last_name="van der Berg",
            title="Managing Director",
            company="Fjord Capital",
            linkedin_url="https://www.linkedin.com/in/larsvdberg",
        ),
        ContactInput(
            email="priya.raman@contoso.example",
            first_name="Priya",
            last_name="Raman",
            title="Head of People, EMEA",
            company="Contoso, Ltd.",
            linkedin_url="https://www.linkedin.com/in/priya-raman-hr",
            phone="+353 1 555 0100",  # Excel's leading apostrophe is gone
        ),
    ]
    # Priya's notes run over lines 4-5, so Tomás (no email) starts on line 6.
    assert result.rejected == [RejectedRow(6, "missing email")]
    assert result.merged_duplicates == 0


def test_sales_navigator_export_with_notes_above_the_header() -> None:
    result = parse_csv_file(DATA / "sales_navigator.csv")

    assert result.mapping == ColumnMapping(
        fields={
            "email": "Email",
            "first_name": "First Name",
            "last_name": "Last Name",
            "title": "Title",
            "company": "Company",
            "linkedin_url": "LinkedIn URL",
        },
        unmapped=["Sales Navigator URL", "Connection Degree"],
    )
    assert result.contacts == [
        ContactInput(
            email="hannah.schmidt@globex.example",
            first_name="Hannah",
            last_name="Schmidt",
            title="Chief Financial Officer",  # the first non-empty value wins over "CFO"
            company="Globex GmbH",
            linkedin_url="https://www.linkedin.com/in/hannah-schmidt-cfo",  # filled from line 8
        ),
        ContactInput(
            email="omar.haddad@initech.example",
            first_name="Omar",
            last_name="Haddad",
            title="VP Finance",
            company="Initech",
            linkedin_url="https://www.linkedin.com/in/omarhaddad",
        ),
    ]
    assert result.merged_duplicates == 1
    assert result.rejected == [RejectedRow(9, 'invalid email "grace.liu@umbrella"')]


def test_gmail_contacts_export() -> None:
    result = parse_csv_file(DATA / "gmail_contacts.csv")

    assert result.mapping.fields == {
        "email": "E-mail 1 - Value",
        "first_name": "First Name",
        "last_name": "Last Name",
        "title": "Organization 1 - Title",
        "company": "Organization 1 - Name",
        "phone": "Phone 1 - Value",
    }
    assert result.mapping.unmapped == [
        "Middle Name",
        "Phonetic First Name",
        "Phonetic Middle Name",
        "Phonetic Last Name",
        "Name Prefix",
        "Name Suffix",
        "Nickname",
        "File As",
        "Organization 1 - Department",
        "Birthday",
        "Notes",
        "Labels",
        "E-mail 1 - Label",
        "E-mail 2 - Label",
        "E-mail 2 - Value",
        "Phone 1 - Label",
    ]
    assert result.contacts == [
        ContactInput(
            # Google packs several addresses into one cell with " ::: "; the first is used.
            email="sofia.rossi@acme.example",
            first_name="Sofia",
            last_name="Rossi",
            title="General Counsel",
            company="Acme Corp",
            phone="+39 06 5550 1234",
        ),
        ContactInput(
            email="kenji.tanaka@wayne.example",
            first_name="Kenji",
            last_name="Tanaka",
            title="Head of Talent",
            company="Wayne Enterprises",
            phone="+81 3-5555-0101",
        ),
    ]
    assert result.rejected == [RejectedRow(4, "missing email")]


def test_outlook_export_uses_job_title_not_the_honorific_title_column() -> None:
    result = parse_csv_file(DATA / "outlook_contacts.csv")

    assert result.mapping.fields == {
        "email": "E-mail Address",
        "first_name": "First Name",
        "last_name": "Last Name",
        "title": "Job Title",
        "company": "Company",
        "phone": "Business Phone",
    }
    assert "Title" in result.mapping.unmapped
    assert "Mobile Phone" in result.mapping.unmapped
    assert result.contacts == [
        ContactInput(
            email="elena.petrova@fabrikam.example",
            first_name="Elena",
            last_name="Petrova",
            title="Chief Scientist",
            company="Fabrikam Inc.",
            phone="(617) 555-0199",
        ),
        ContactInput(
            email="david.oconnor@litware.example",
            first_name="David",
            last_name="O'Connor",
            title="CTO",
            company="Litware, Inc.",
        ),
    ]
    assert result.rejected == []


def test_european_excel_semicolon_cp1252() -> None:
    raw = (DATA / "spreadsheet_semicolon.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the sample really is what Excel writes on Windows

    result = parse_csv_bytes(raw)

    assert result.delimiter == ";"
    assert result.mapping == ColumnMapping(
        fields={
            "email": "E-mail",
            "name": "Name",
            "title": "Position",
            "company": "Company",
            "phone": "Phone",
        },
        unmapped=["Notes"],
    )
    assert result.contacts == [
        ContactInput(
            email="zoe.mueller@beispiel.example",
            first_name="Zoë",
            last_name="Müller",
            title="Geschäftsführerin",
            company="Müller & Söhne GmbH",
            phone="+49 30 1234567",
        ),
        ContactInput(
            email="jose.garcia@ejemplo.example",
            first_name="José",
            last_name="García",
            title="Director Financiero",
            company="Café Olé; S.L.",
        ),
        ContactInput(
            email="francois.lefevre@exemple.example",
            first_name="François",
            last_name="Lefèvre",
            title="Directeur, Trésorerie",
            company="Société Générale",
            phone="0145550000",  # written as ="0145550000" to keep Excel from eating the 0
        ),
    ]
    assert result.rejected == []


def test_tab_separated_file_with_commas_in_every_row() -> None:
    result = parse_csv_file(DATA / "spreadsheet_tab.tsv")

    assert result.delimiter == "\t"
    assert result.mapping.fields == {
        "email": "Email Address",
        "name": "Full Name",
        "title": "Job Title",
        "company": "Company Name",
        "linkedin_url": "LinkedIn",
    }
    assert result.contacts == [
        ContactInput(
            email="ana.silva@example.com",
            first_name="Ana",
            last_name="Silva",
            title="Partner, M&A, Lisbon",
            company="Silva, Costa & Filhos",
            linkedin_url="https://www.linkedin.com/in/anasilva",
        ),
        ContactInput(
            email="bo.chen@example.com",
            first_name="Bo",
            last_name="Chen",
            title="CTO, co-founder",
            company='Quote "Inc", Ltd',
        ),
        ContactInput(
            email="carla.diaz@example.com",
            first_name="Carla",
            last_name="Díaz PhD",
            title="Advisor, Boards",
            company="North, South, East & West",
            linkedin_url="https://example.com/carla",  # not LinkedIn: kept as given
        ),
    ]
    assert result.rejected == []  # the row of empty tabs on line 4 is skipped silently


def test_utf8_with_bom() -> None:
    result = parse_csv_file(DATA / "utf8_bom.csv")

    assert result.mapping.fields["email"] == "Email"
    assert result.contacts == [
        ContactInput(
            email="bjorn.angstrom@example.se",
            first_name="Björn",
            last_name="Ångström",
            company="Ångström Läkemedel AB",
        )
    ]


def test_excel_unicode_text_utf16_tab_separated() -> None:
    assert (DATA / "utf16_excel.txt").read_bytes().startswith(codecs.BOM_UTF16_LE)

    result = parse_csv_file(DATA / "utf16_excel.txt")

    assert result.delimiter == "\t"
    assert result.contacts == [
        ContactInput(
            email="chloe.dubois@exemple.example",
            first_name="Chloé",
            last_name="Dubois",
            title="Directrice RH",
            company="L'Oréal",
        ),
        ContactInput(
            email="soren@filosofi.example",
            first_name="Søren",
            last_name="Kierkegaard",
            title="Founder and Chair",  # a line break inside a cell becomes a space
            company="Kierkegaard & Co, ApS",
        ),
    ]


def test_single_name_column_is_split() -> None:
    result = parse_csv_file(DATA / "name_only.csv")

    assert result.mapping == ColumnMapping(fields={"email": "Email", "name": "Name"}, unmapped=[])
    names = [(c.email, c.first_name, c.last_name) for c in result.contacts]
    assert names == [
        ("jane.public@example.com", "Jane Q.", "Public"),
        ("john.smith@example.com", "John", "Smith"),
        ("mlk@example.com", "Martin Luther", "King Jr."),
        ("cher@example.com", "Cher", ""),
        ("ludwig@example.com", "Ludwig", "van Beethoven"),
        ("mj.delacruz@example.com", "María José", "de la Cruz"),
        ("nobody@example.com", "", ""),
    ]


def test_malformed_file_rejects_bad_rows_with_their_lines_and_keeps_the_rest() -> None:
    result = parse_csv_file(DATA / "malformed.csv")

    assert [c.email for c in result.contacts] == [
        "ann@example.com",
        "carl@example.com",  # extra fields ignored
        "ivy@example.com",  # a short row is padded; <...> and capitals normalised
        "gina@example.com",  # read again after the unbalanced quote on line 11
    ]
    assert result.contacts[2] == ContactInput("ivy@example.com", "Ivy", "Hall")
    assert result.rejected == [
        RejectedRow(3, "missing email"),
        RejectedRow(4, 'invalid email "bob@"'),
        RejectedRow(8, "missing email (the row has 2 fields, the header has 4)"),
        RejectedRow(9, 'invalid email "eve at example.com"'),
        RejectedRow(11, 'unbalanced quote: a field opened with " on this line is never closed'),
    ]


# --- Structure, quoting and line numbers -------------------------------------------------------


def test_quoted_delimiters_and_newlines_keep_line_numbers_physical() -> None:
    text = (
        "Email,Name,Notes\n"  # 1
        'a@example.com,"Lee, Ann","first line\n'  # 2
        "second line\n"  # 3
        'third, with ""quotes"""\n'  # 4
        "not-an-email,Bob,x\n"  # 5
        '"c@example.com","Cole, Carl",\n'  # 6
        ",,\n"  # 7
        "also bad,Dan,y\n"  # 8
    )
    result = parse_text(text)

    assert result.contacts == [
        ContactInput("a@example.com", "Ann", "Lee"),
        ContactInput("c@example.com", "Carl", "Cole"),
    ]
    assert result.rejected == [
        RejectedRow(5, 'invalid email "not-an-email"'),
        RejectedRow(8, 'invalid email "also bad"'),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline: str) -> None:
    text = newline.join(
        ["Email,First Name", "a@example.com,Ann", "", "bad,Bob", "b@example.com,Bo"]
    )

    result = parse_text(text + newline)

    assert [c.first_name for c in result.contacts] == ["Ann", "Bo"]
    assert result.rejected == [RejectedRow(4, 'invalid email "bad"')]


def test_unterminated_quote_at_end_of_file_without_final_newline() -> None:
    result = parse_text('Email,Name\na@example.com,Ann\nb@example.com,"Bob')

    assert [c.email for c in result.contacts] == ["a@example.com"]
    assert result.rejected == [
        RejectedRow(3, 'unbalanced quote: a field opened with " on this line is never closed')
    ]


def test_stray_quote_is_rejected_on_its_line_and_the_rows_it_swallowed_read_again() -> None:
    text = (
        "Name,Email\n"
        '"Ann,ann@example.com\n'  # 2: the quote is closed only on line 4
        "Bob,bob@example.com\n"
        'Carl,"carl@example.com"\n'
        "Dora,dora@example.com\n"
    )
    result = parse_text(text)

    assert [c.email for c in result.contacts] == [
        "bob@example.com",
        "carl@example.com",
        "dora@example.com",
    ]
    assert result.rejected == [
        RejectedRow(
            2,
            'a field opened with " on this line swallows line 3, which reads as a row of its'
            " own; check its quotes (lines 3–4 read again)",
        )
    ]


def test_field_over_the_csv_size_limit_is_rejected_not_a_crash() -> None:
    huge = "x" * 200_000
    text = f'Email,Notes\na@example.com,"{huge}"\nb@example.com,ok\n'

    result = parse_text(text)

    assert [c.email for c in result.contacts] == ["b@example.com"]
    assert len(result.rejected) == 1
    assert result.rejected[0].line == 2
    assert result.rejected[0].reason.startswith("unreadable row (field larger than field limit")


def test_excel_sep_line_and_blank_lines_before_the_header_are_skipped() -> None:
    result = parse_text("sep=;\n\n\nEmail;Company\na@example.com;Acme, Inc.\n;\nbad;X\n")

    assert result.delimiter == ";"
    assert result.contacts == [ContactInput("a@example.com", company="Acme, Inc.")]
    assert result.rejected == [RejectedRow(7, 'invalid email "bad"')]


def test_header_further_down_than_ten_rows_is_not_found() -> None:
    preamble = "".join(f"note {n}\n" for n in range(10))
    with pytest.raises(InputError, match="No email column found"):
        parse_text(preamble + "Email\na@example.com\n")
    assert parse_text(preamble[7:] + "Email\na@example.com\n").contacts  # within 10: found


def test_single_column_file_prefers_comma() -> None:
    result = parse_text("Email\nA@Example.com\n")

    assert result.delimiter == ","
    assert result.contacts == [ContactInput("a@example.com")]


def test_header_only_gives_an_empty_result() -> None:
    result = parse_text("Email,First Name\n")

    assert result.contacts == []
    assert result.rejected == []
    assert result.merged_duplicates == 0


@pytest.mark.parametrize(
    "header",
    [
        "email",
        "E-MAIL",
        "e_mail",
        "Email Address",
        "E-mail Address",
        "E-mail 1 - Value",
        "Work Email",
        "primary_email",
        " Email ",
    ],
)
def test_email_header_synonyms(header: str) -> None:
    result = parse_text(f'"{header}",Surname,Given Name\nA@B.example,Lee,Ann\n')

    assert result.mapping.fields == {
        "email": header.strip(),
        "first_name": "Given Name",
        "last_name": "Surname",
    }
    assert result.contacts == [ContactInput("a@b.example", "Ann", "Lee")]


def test_headline_is_not_a_title_and_a_name_column_is_ignored_beside_first_and_last() -> None:
    text = (
        "Name,Given Name,Family Name,Headline,E-mail 1 - Value\nAcme Reception,Ann,Lee,Hi,a@x.io\n"
    )

    result = parse_text(text)

    assert result.mapping.unmapped == ["Name", "Headline"]
    assert result.contacts == [ContactInput("a@x.io", "Ann", "Lee")]


def test_no_email_column_names_the_accepted_headers_and_what_was_found() -> None:
    with pytest.raises(InputError) as caught:
        parse_text("First Name;Last Name;Company\nAnn;Lee;Acme\n")

    message = str(caught.value)
    assert message.startswith(
        "No email column found. Name one column Email, E-mail or Email Address."
    )
    assert "First Name, Last Name, Company" in message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b" \r\n\t\n", "The file is empty."),
        (codecs.BOM_UTF8, "The file is empty."),
        (codecs.BOM_UTF16_LE, "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "Excel .xls workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV text file"),
        (b"Email\na@example.com\x00\n", "not a CSV text file"),
        (codecs.BOM_UTF16_LE + b"E\x00\x00\xd8", "not valid UTF-16|is not"),
    ],
)
def test_unusable_files_raise_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_csv_bytes(data)


def test_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Could not read nope\.csv"):
        parse_csv_file(tmp_path / "nope.csv")
