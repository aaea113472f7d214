"""Turn the bytes of an uploaded file into text, or refuse it with a message a recruiter can act on.

Recruiters' files come from Excel (UTF-8 with a BOM, cp1252 on Windows, UTF-16 for "Unicode
Text"), from Google and Outlook (UTF-8) and from LinkedIn (UTF-8). There is no reliable way to
tell cp1252 from other 8-bit encodings, so bytes that are not UTF-8 are read as cp1252, which is
what Excel on Windows writes in Western Europe and the Americas.
"""

from __future__ import annotations

import codecs
import re

from app.errors import InputError


class CsvFileError(InputError):
    title = "Cannot read this CSV file"


_XLSX_MAGIC = b"PK\x03\x04"  # a zip archive: .xlsx, .numbers, .ods
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .xls
_SAVE_AS_CSV = "In Excel, use File › Save As and choose “CSV UTF-8”, then import that file."
# Control characters that never occur in a text export (tab, CR and LF excluded; C1 controls
# appear only when non-text bytes were read as Latin-1).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BINARY_SAMPLE = 4096
_MAX_CONTROL_SHARE = 0.05


def decode_csv_bytes(data: bytes) -> str:
    """The file's text; raises CsvFileError for an empty, spreadsheet or binary file."""
    if not data.strip():
        raise CsvFileError("The file is empty.")
    _refuse_workbooks(data)
    text = _decode(data)
    if not text.strip():
        raise CsvFileError("The file is empty.")
    if _looks_binary(text):
        raise CsvFileError(
            "This file is not a CSV text file. Export the contacts as CSV and import that file."
        )
    return text


def _refuse_workbooks(data: bytes) -> None:
    # Picking the .xlsx instead of the exported .csv is the most common mistake; say so.
    if data.startswith(_XLSX_MAGIC):
        raise CsvFileError(f"This is a spreadsheet workbook, not a CSV file. {_SAVE_AS_CSV}")
    if data.startswith(_XLS_MAGIC):
        raise CsvFileError(f"This is an Excel .xls workbook, not a CSV file. {_SAVE_AS_CSV}")


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # the codec reads and drops the BOM
        except UnicodeDecodeError:
            raise CsvFileError(
                "The file says it is UTF-16 text but is not. Save it again as CSV UTF-8."
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five byte values undefined; Latin-1 accepts every byte, and the
        # binary check below catches files that only decode this way because they are not text.
        return data.decode("latin-1")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        # Also guarantees the NUL sentinel in records.py cannot clash with the file's content.
        return True
    sample = text[:_BINARY_SAMPLE]
    return len(_CONTROL.findall(sample)) > len(sample) * _MAX_CONTROL_SHARE
