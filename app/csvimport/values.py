"""Clean single cell values: whitespace, Excel artefacts, email addresses, LinkedIn URLs.

These run once per cell of a possibly 100,000-row file, so each takes a cheap path for plain
ASCII text and uses a precompiled pattern only where a real check is needed.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters pasted along with text from web pages; never meaningful in a contact.
# (ZWJ and ZWNJ are left alone: some scripts need them inside names.)
_INVISIBLE = "\u200b\u2060\ufeff"  # keep _has_invisible in step
_DROP_INVISIBLE = str.maketrans("", "", _INVISIBLE)
_MULTI_VALUE_SEPARATOR = ":::"  # Google Contacts joins several addresses of one kind with " ::: "

_SHORTEN_TO = 60
_MAX_EMAIL = 254
_MAX_LOCAL_PART = 64
# Pragmatic, not RFC 5322: one @, a local part without spaces or the characters that only occur
# in quoted or bracketed forms, and a domain of letter/digit labels with an alphabetic (or
# punycode) top-level label. \w and [^\W_] accept non-ASCII letters, so IDN and EAI addresses pass.
_LOCAL_ATOM = r"[^\s@()<>\[\]:;\\,.\"\x00-\x1f\x7f]+"
# A label is letters and digits with inner hyphens. Its middle is [\w-], which also takes "_":
# one character class is twice as fast as the alternation ([^\W_]|-) it stands for, and
# normalise_email refuses an underscore in the domain separately.
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_EMAIL = re.compile(
    rf"{_LOCAL_ATOM}(?:\.{_LOCAL_ATOM})*@(?:{_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9-]{{1,59}})"
)
_PROFILE_PATH = "linkedin.com/in/"
_CANONICAL_PROFILE = "https://www.linkedin.com/in/"


def clean_cell(raw: str) -> str:
    """Trim, collapse whitespace (contact fields are single-line), undo Excel's text markers."""
    text = raw.strip()
    # isprintable() is False for every whitespace character but the space and for zero-width
    # characters, so this one check sends only the rare messy cell down the slow path.
    if "  " in text or not text.isprintable():
        if _has_invisible(text):
            text = text.translate(_DROP_INVISIBLE)
        text = " ".join(text.split())
    if not text:
        return text
    first = text[0]
    if first == "'":
        # Excel's "store as text" apostrophe, e.g. '+44 20 7946 0000.
        text = text[1:].lstrip()
    elif first == "=" and text.startswith('="') and text.endswith('"') and len(text) >= 3:
        # ="00123": the formula some exporters write so Excel keeps leading zeros.
        text = text[2:-1].strip()
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)  # macOS writes decomposed accents (e + ´)


def _has_invisible(text: str) -> bool:
    # Three substring searches are much cheaper than translate() on every non-ASCII value.
    return "\u200b" in text or "\u2060" in text or "\ufeff" in text


def first_of_many(text: str) -> str:
    """The first of several values Google Contacts packed into one cell."""
    if _MULTI_VALUE_SEPARATOR in text:
        return text.split(_MULTI_VALUE_SEPARATOR, 1)[0].strip()
    return text


def normalise_email(text: str) -> str | None:
    """The address in `text`, lower-cased for storage, or None if it is not a usable address.

    Accepts what people paste: surrounding whitespace, `mailto:` links (query dropped),
    `<addr>` and `Jane Doe <addr>`.
    """
    candidate = text.strip()
    if candidate.endswith(">") and "<" in candidate:
        candidate = candidate[candidate.rindex("<") + 1 : -1].strip()
    if ":" in candidate and candidate[:7].lower() == "mailto:":
        candidate = candidate[7:].split("?", 1)[0].strip()
    candidate = candidate.lower()
    if not candidate.isascii():
        # After lower(): lower-casing can decompose a letter, and the stored form must be stable.
        if _has_invisible(candidate):
            candidate = candidate.translate(_DROP_INVISIBLE)
        candidate = unicodedata.normalize("NFC", candidate)
    if len(candidate) > _MAX_EMAIL or _EMAIL.fullmatch(candidate) is None:
        return None
    at = candidate.index("@")
    if at > _MAX_LOCAL_PART or "_" in candidate[at:]:
        return None
    return candidate


def normalise_linkedin_url(text: str) -> str:
    """`https://www.linkedin.com/in/<slug>` for any form of a profile URL; other text as given.

    Country subdomains, missing scheme, http, trailing slashes, sub-pages and tracking queries
    all name the same profile. Recruiter and Sales Navigator URLs (/talent/, /sales/) are not
    public profile URLs and are kept as they are.
    """
    if text.startswith(_CANONICAL_PROFILE):
        # Fast path for what LinkedIn's own exports contain.
        slug = text[len(_CANONICAL_PROFILE) :].removesuffix("/")
        if slug and "/" not in slug and "?" not in slug and "#" not in slug and " " not in slug:
            return _CANONICAL_PROFILE + slug
    lowered = text.lower()
    at = lowered.find(_PROFILE_PATH)
    if at < 0 or " " in text or not _is_host_prefix(lowered[:at]):
        return text  # not a profile URL, or a sentence that mentions one
    slug = text[at + len(_PROFILE_PATH) :].split("?", 1)[0].split("#", 1)[0].split("/", 1)[0]
    return _CANONICAL_PROFILE + slug if slug else text


def _is_host_prefix(prefix: str) -> bool:
    # What may precede "linkedin.com": a scheme and subdomains ("https://uk."), or nothing.
    # String checks rather than a regex: this runs on every row of a LinkedIn export.
    host = prefix.removeprefix("https://").removeprefix("http://")
    if not host:
        return True
    labels = host.removesuffix(".")
    return (
        host.endswith(".") and labels.replace(".", "").replace("-", "").isalnum() and host.isascii()
    )


def shorten(text: str) -> str:
    """`text` on one line and cut to a length that fits in a message."""
    line = " ".join(text.split())
    return line if len(line) <= _SHORTEN_TO else line[: _SHORTEN_TO - 1] + "…"
