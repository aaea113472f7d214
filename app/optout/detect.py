"""Is this incoming mail an opt-out? Pure text work, no database.

Only the sender's own words count: quoted text (`>` lines, "On … wrote:" and its translations,
Outlook's header blocks) and signatures are cut off first, with mail-parser-reply (which knows
those markers in English, German, French, Spanish, Italian, Dutch, Polish, Swedish, Danish and
Czech) and a few patterns of our own for what it misses (Portuguese, Norwegian, `>` lines).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from mailparser_reply import EmailReplyParser

from app.optout.phrases import NEGATIONS, REPLY_PREFIXES, STOP_PHRASES, SUBJECT_REQUESTS

MAILTO, REPLY = "mailto", "reply"
_PARSER_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs"]
_PREFIX = re.compile(
    r"^\s*(?:(?:" + "|".join(REPLY_PREFIXES) + r")\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.IGNORECASE,
)
#: Where quoted text starts, beyond what the parser knows.
_QUOTE_START = re.compile(
    r"^\s*(?:>|-{2,}\s*(?:original|ursprüngliche|mensaje original|message d'origine)"
    r"|.*\b(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|skrev|napisał\(a\)|"
    r"napisał|napisała)\s*:\s*$)",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^--\s*$")
EXCERPT = 160
#: A line of at most this many words, where a signature may start, is taken as a sign-off.
CLOSING_WORDS = 3


@dataclass(frozen=True, slots=True)
class Detection:
    source: str  # MAILTO or REPLY
    #: The phrase of the table that matched, and the line it was found in, as written.
    phrase: str
    excerpt: str

    @property
    def trigger(self) -> str:
        return f'{self.phrase}: "{self.excerpt}"'


def detect(subject: str, text: str, ignore: Iterable[str] = ()) -> Detection | None:
    """An unsubscribe request (subject or first line), else a reply that asks to stop.

    `ignore`: lines of our own (a sequence footer) that a reply may carry unquoted."""
    own = new_text(text, ignore)
    bare = strip_prefixes(subject)
    if _is_request(bare):
        return Detection(MAILTO, _request(bare), f"Subject: {subject.strip()}"[:EXCERPT])
    first = next((line.strip() for line in own.splitlines() if line.strip()), "")
    if _is_request(first):
        return Detection(MAILTO, _request(first), first[:EXCERPT])
    for line in own.splitlines():
        phrase = _stop_phrase(line)
        if phrase is not None:
            return Detection(REPLY, phrase, " ".join(line.split())[:EXCERPT])
    return None


def strip_prefixes(subject: str) -> str:
    return _PREFIX.sub("", subject).strip()


def new_text(text: str, ignore: Iterable[str] = ()) -> str:
    """The reply's own words: no quoted text, no signature, none of the `ignore` lines."""
    replies = _parser().read(text).replies
    body = replies[0].body + "\n" + _before_closing(replies[0].signatures) if replies else text
    kept: list[str] = []
    for line in body.splitlines():
        if _QUOTE_START.match(line) or _SIGNATURE.match(line):
            break
        kept.append(line)
    folded_ignore = [_fold(i) for i in ignore if i.strip()]
    return "\n".join(
        line for line in kept if not any(i and i in _fold(line) for i in folded_ignore)
    )


def _before_closing(signature: str) -> str:
    """What the parser took for a signature, up to a line that is only a sign-off ("Best,",
    "Kind regards"): it starts one at any line opening with "Thanks," even when the sentence
    goes on ("Thanks, but please take me off your list")."""
    kept: list[str] = []
    for line in signature.splitlines():
        if len(line.split()) <= CLOSING_WORDS:
            break
        kept.append(line)
    return "\n".join(kept)


def _request(line: str) -> str:
    return _fold(line).strip(" .!?¡¿:;,-–—\"'()[]")


def _is_request(line: str) -> bool:
    return _request(line) in _requests()


def _stop_phrase(line: str) -> str | None:
    folded = _fold(line)
    for phrase, pattern in _patterns():
        for found in pattern.finditer(folded):
            before = folded[: found.start()].rstrip()
            if not before.endswith(_negations()):
                return phrase
    return None


def _fold(text: str) -> str:
    """Lower case, accents dropped, one kind of apostrophe and of space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


@cache
def _parser() -> EmailReplyParser:
    return EmailReplyParser(languages=_PARSER_LANGUAGES)


@cache
def _requests() -> frozenset[str]:
    return frozenset(_fold(p) for phrases in SUBJECT_REQUESTS.values() for p in phrases)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    phrases = dict.fromkeys(p for group in STOP_PHRASES.values() for p in group)
    return tuple(
        (p, re.compile(r"(?<!\w)" + re.escape(_fold(p)) + r"(?!\w)"))
        for p in sorted(phrases, key=len, reverse=True)
    )


@cache
def _negations() -> tuple[str, ...]:
    return tuple(f" {_fold(n)}" for n in NEGATIONS) + tuple(_fold(n) for n in NEGATIONS)
