"""Parsing CSV given as text, for the parser's tests."""

from __future__ import annotations

from app.csvimport import ParsedCsv, parse_csv_bytes


def parse_text(text: str, encoding: str = "utf-8") -> ParsedCsv:
    return parse_csv_bytes(text.encode(encoding))
