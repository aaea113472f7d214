"""Read contacts from the CSV files recruiters have: LinkedIn Recruiter and Sales Navigator
exports, Google and Outlook contacts exports, and hand-made spreadsheets.

Pure parsing, no database: `parse_csv_bytes` returns the column mapping (for the import
preview), the valid contacts merged by email, and the rejected rows with the physical line they
start on and a reason. Files that cannot be a contact list raise `CsvFileError` (an InputError).

Modules, in the order a file goes through them: decoding (bytes to text), records (CSV records
with line numbers), layout (delimiter and header row), columns (header synonyms), values and
names (cleaning cells), parser (rows to contacts).
"""

from __future__ import annotations

from app.csvimport.columns import FIELD_SYNONYMS, FIELDS, ColumnMapping, layout_key
from app.csvimport.decoding import CsvFileError
from app.csvimport.names import split_name
from app.csvimport.parser import ParsedCsv, parse_csv_bytes, parse_csv_file
from app.csvimport.values import normalise_email, normalise_linkedin_url

__all__ = [
    "FIELDS",
    "FIELD_SYNONYMS",
    "ColumnMapping",
    "CsvFileError",
    "ParsedCsv",
    "layout_key",
    "normalise_email",
    "normalise_linkedin_url",
    "parse_csv_bytes",
    "parse_csv_file",
    "split_name",
]
