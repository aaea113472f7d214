"""Which source column feeds which contact field, from the header row's names.

Header names are compared by `header_key`: case, spaces, underscores, hyphens and other
punctuation are ignored, so `E-mail`, `EMAIL`, `e_mail` and `Email:` are all `email`, and
`FirstName`, `first_name` and `First Name` need no separate entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.csvimport.decoding import CsvFileError

# One table for every synonym. Within a field the order is the priority when a file has several
# matching columns: Outlook's "Title" is the honorific (Mr., Dr.) and its job title is in
# "Job Title", so the bare "Title" comes last. "Headline" is deliberately absent: LinkedIn's
# headline is a slogan, not a job title.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": (
        "Email",
        "Email Address",
        "E-mail 1 - Value",
        "Work Email",
        "Primary Email",
    ),
    "first_name": ("First Name", "Given Name", "First"),
    "last_name": ("Last Name", "Family Name", "Surname", "Last"),
    "name": ("Name", "Full Name", "Display Name"),
    "title": (
        "Job Title",
        "Current Title",
        "Organization 1 - Title",
        "Organization Title",
        "Position",
        "Title",
    ),
    "company": (
        "Company",
        "Company Name",
        "Current Company",
        "Organization",
        "Organisation",
        "Organization 1 - Name",
        "Organization Name",
        "Account Name",
    ),
    "linkedin_url": (
        "LinkedIn",
        "LinkedIn URL",
        "LinkedIn Profile",
        "LinkedIn Profile URL",
        "Person LinkedIn URL",
        "Profile URL",
        "Public Profile URL",
    ),
    "phone": (
        "Phone",
        "Phone Number",
        "Mobile",
        # Outlook also exports "Mobile Phone" and "Home Phone"; only one column can feed the
        # field, and "Business Phone" is the one Outlook fills for business contacts.
        "Business Phone",
        "Phone 1 - Value",
    ),
}
FIELDS = tuple(FIELD_SYNONYMS)
EMAIL_HEADER_HINT = "Name one column Email, E-mail or Email Address."


def header_key(header: str) -> str:
    """The comparable form of a header name: case-folded letters and digits only."""
    return "".join(char for char in header.casefold() if char.isalnum())


def _build_key_table() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for field, synonyms in FIELD_SYNONYMS.items():
        for priority, synonym in enumerate(synonyms):
            key = header_key(synonym)
            if key in table:
                raise AssertionError(f"header synonym {synonym!r} is listed twice")
            table[key] = (field, priority)
    return table


_KEY_TABLE = _build_key_table()


def is_email_header(cell: str) -> bool:
    found = _KEY_TABLE.get(header_key(cell))
    return found is not None and found[0] == "email"


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds which field, for the import preview."""

    fields: dict[str, str]  # field name -> source header, in FIELDS order
    unmapped: list[str]  # non-blank source headers that feed nothing, in file order


@dataclass(frozen=True)
class ColumnPlan:
    """The mapping for people, and the column indexes for the parser."""

    mapping: ColumnMapping
    indexes: dict[str, int]  # field name -> 0-based column index; always has "email"
    width: int  # number of header cells
    #: Further email columns, in priority order: used where the first has no usable address.
    more_emails: tuple[int, ...] = ()


def plan_columns(header: list[str]) -> ColumnPlan:
    """Map header cells to fields; the caller has checked that one of them is an email header."""
    best: dict[str, tuple[int, int]] = {}  # field -> (priority, column index)
    emails: list[tuple[int, int]] = []
    for index, cell in enumerate(header):
        found = _KEY_TABLE.get(header_key(cell))
        if found is None:
            continue
        field, priority = found
        if field == "email":
            emails.append((priority, index))
        if field not in best or priority < best[field][0]:
            best[field] = (priority, index)
    if "first_name" in best or "last_name" in best:
        # A separate Name column is then usually a display or "file as" name; the split
        # columns are more reliable than splitting it.
        best.pop("name", None)
    indexes = {field: best[field][1] for field in FIELDS if field in best}
    more_emails = tuple(index for _, index in sorted(emails) if index != indexes["email"])
    used = set(indexes.values()) | set(more_emails)
    fields = {field: _display(header[index]) for field, index in indexes.items()}
    if more_emails:  # the preview says which column is read when the first is empty
        fields["email"] += "".join(f", then {_display(header[i])}" for i in more_emails)
    mapping = ColumnMapping(
        fields=fields,
        unmapped=[_display(c) for i, c in enumerate(header) if i not in used and _display(c)],
    )
    return ColumnPlan(mapping, indexes, len(header), more_emails)


def layout_key(header: list[str] | tuple[str, ...]) -> str:
    """One file layout: the header row's comparable names, joined. Two exports from the same
    tool share it, whatever their rows, so a mapping chosen for one fits the next."""
    return "|".join(header_key(cell) for cell in header)


def plan_chosen_columns(header: list[str], columns: dict[str, int]) -> ColumnPlan:
    """The plan for a mapping the user chose (field -> column index) instead of the synonyms;
    CsvFileError if it names no email column or a column the header does not have."""
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise CsvFileError(f"Unknown contact field in the column mapping: {', '.join(unknown)}.")
    if "email" not in columns:
        raise CsvFileError("No column is mapped to Email. Choose the column that holds addresses.")
    outside = [i for i in columns.values() if not 0 <= i < len(header)]
    if outside:
        width = len(header)
        raise CsvFileError(f"The file has no column {outside[0] + 1}: its header has {width}.")
    indexes = {field: columns[field] for field in FIELDS if field in columns}
    used = set(indexes.values())
    mapping = ColumnMapping(
        fields={field: _display(header[index]) for field, index in indexes.items()},
        unmapped=[_display(c) for i, c in enumerate(header) if i not in used and _display(c)],
    )
    return ColumnPlan(mapping, indexes, len(header))


def _display(header: str) -> str:
    return " ".join(header.split())
