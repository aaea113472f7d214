"""Step templates: `{first_name}`-style placeholders, checked when a step is saved.

A placeholder may carry a fallback for contacts without that value: `{first_name|there}`.
`{{` and `}}` stand for literal braces. Our own small grammar rather than `str.format`, whose
attribute access, indexing and format specs a recruiter's typo could trip over at send time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.errors import InputError
from app.store.models import Contact

PLACEHOLDERS = ("first_name", "last_name", "full_name", "company", "title", "email")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_FIELD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|(.*))?", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    missing: tuple[str, ...]


def check(template: str, where: str) -> None:
    """Raises InputError naming the first unknown placeholder or stray brace in `template`."""
    _parts(template, where)


def placeholders(template: str) -> set[str]:
    return {name for kind, name, _ in _parts(template, "template") if kind == "field"}


def render(template: str, values: Mapping[str, str]) -> Rendered:
    out: list[str] = []
    missing: list[str] = []
    for kind, text, fallback in _parts(template, "template"):
        if kind == "text":
            out.append(text)
            continue
        value = values.get(text, "").strip()
        if not value and fallback is None:
            missing.append(text)
        out.append(value or (fallback or ""))
    return Rendered("".join(out), tuple(dict.fromkeys(missing)))


def contact_values(contact: Contact) -> dict[str, str]:
    full = f"{contact.first_name} {contact.last_name}".strip()
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "full_name": full,
        "company": contact.company,
        "title": contact.title,
        "email": contact.email,
    }


def _parts(template: str, where: str) -> list[tuple[str, str, str | None]]:
    """("text", literal, None) and ("field", name, fallback) pieces, in order."""
    parts: list[tuple[str, str, str | None]] = []
    last = 0
    for match in _TOKEN.finditer(template):
        parts.append(("text", template[last : match.start()], None))
        last = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(("text", token[0], None))
        elif token in ("{", "}"):
            raise InputError(
                f'The {where} has a lone "{token}". Write {token}{token} for a literal brace.'
            )
        else:
            parts.append(("field", *_field(match.group(1), where)))
    parts.append(("text", template[last:], None))
    return parts


def _field(inner: str, where: str) -> tuple[str, str | None]:
    parsed = _FIELD.fullmatch(inner)
    name = parsed.group(1) if parsed else inner.strip()
    if parsed is None or name not in PLACEHOLDERS:
        known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        close = difflib.get_close_matches(name.lower(), PLACEHOLDERS, n=1)
        hint = f" Did you mean {{{close[0]}}}?" if close else ""
        raise InputError(
            f"Unknown placeholder {{{inner}}} in the {where}.{hint} Known: {known}.",
            title="Unknown placeholder",
        )
    fallback = parsed.group(2)
    return name, fallback.strip() if fallback is not None else None
