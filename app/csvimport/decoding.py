"""Turn the bytes of an uploaded file into text lines, or refuse it with a message a recruiter
can act on.

Recruiters' files come from Excel (UTF-8 with a BOM, cp1252 on Windows, UTF-16 for "Unicode
Text"), from Google and Outlook (UTF-8) and from LinkedIn (UTF-8). There is no reliable way to
tell cp1252 from other 8-bit encodings, so bytes that are not UTF-8 are read as cp1252, which is
what Excel on Windows writes in Western Europe and the Americas. That choice is made line by
line: a file pasted together from two sources keeps its valid UTF-8 lines as they are.

The file is read as a stream, one line at a time, so a large file is never in memory whole.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

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
_CHUNK = 1 << 20
#: Longest physical line accepted; csv refuses a field over 128 KiB anyway.
MAX_LINE_BYTES = 1 << 20
_SENTINEL_LINE = "\x00\n"  # records.SENTINEL_LINE: a NUL, which no accepted line has


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """The file's physical lines (each with its ending), then the sentinel line.

    Raises CsvFileError, as the lines are read, for an empty, spreadsheet or binary file."""
    head = stream.read(_CHUNK)
    if not head.strip() and len(head) < _CHUNK:
        raise CsvFileError("The file is empty.")
    _refuse_workbooks(head)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        lines = _split_text(_decode(head + stream.read()))  # rare and small: Excel's Unicode Text
    else:
        lines = _decoded_lines(_byte_lines(head.removeprefix(codecs.BOM_UTF8), stream))
    yield from _checked(lines)
    yield _SENTINEL_LINE


def _byte_lines(head: bytes, stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    carry, number = b"", 0
    chunk = head
    while chunk:
        parts = (carry + chunk).split(b"\n")
        carry = parts.pop()
        for part in parts:
            number += 1
            yield number, part + b"\n"
        if len(carry) > MAX_LINE_BYTES:
            raise CsvFileError(
                f"Line {number + 1} is longer than 1 MB; this is not a contact list."
            )
        chunk = stream.read(_CHUNK)
    if carry:
        yield number + 1, carry + b"\n"


def _decoded_lines(lines: Iterator[tuple[int, bytes]]) -> Iterator[str]:
    for _, raw in lines:
        text = decode_line(raw)
        body = text.rstrip("\r\n")
        if "\r" in body:  # old Mac line endings: lone CRs end lines too
            yield from _split_text(text)
        else:
            yield text


def decode_line(raw: bytes) -> str:
    """UTF-8 where the line is valid UTF-8, else cp1252 (Latin-1 for cp1252's five holes)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _split_text(text: str) -> Iterator[str]:
    if not text.endswith(("\n", "\r")):
        text += "\n"
    # newline="" splits on all three line endings but keeps them, as csv.reader needs.
    return iter(io.StringIO(text, newline="").readlines())


def _checked(lines: Iterator[str]) -> Iterator[str]:
    """Refuses a file that is not text: judged on its first 4 KB, and a NUL anywhere."""
    sample: list[str] = []
    size = 0
    blank = True
    for line in lines:
        if "\x00" in line:
            raise CsvFileError(_NOT_TEXT)
        if size < _BINARY_SAMPLE:
            sample.append(line)
            size += len(line)
            if size >= _BINARY_SAMPLE and _looks_binary("".join(sample)):
                raise CsvFileError(_NOT_TEXT)
        blank = blank and not line.strip()
        yield line
    if blank:
        raise CsvFileError("The file is empty.")
    if size < _BINARY_SAMPLE and _looks_binary("".join(sample)):
        raise CsvFileError(_NOT_TEXT)


_NOT_TEXT = "This file is not a CSV text file. Export the contacts as CSV and import that file."


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
