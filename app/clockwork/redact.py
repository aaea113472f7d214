"""Keep secret values out of logs.

httpx masks the Authorization header in its reprs but not X-API-Key, and any library
may log a request. The client registers its secrets here when constructed; a
`SecretRedactor` on the log handlers replaces them with `***` in every record.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from urllib.parse import quote

MASK = "***"

_lock = threading.Lock()
_secrets: set[str] = set()


#: A base64 run shorter than this is not masked: it would match ordinary text by chance.
_MIN_ENCODED = 6


def register_secret(value: str) -> None:
    if not value:
        return
    with _lock:
        _secrets.update(encoded_forms(value))


def encoded_forms(value: str) -> set[str]:
    """The value as it can appear in text: plain, percent-encoded (a URL or form body),
    JSON-escaped (a JSON body or log), and base64 at any alignment (Basic auth, tokens)."""
    forms = {value, quote(value, safe=""), json.dumps(value)[1:-1]}
    forms.add(json.dumps(value, ensure_ascii=False)[1:-1])
    raw = value.encode("utf-8")
    for offset in range(3):
        # Inside a longer base64 text the value starts at one of three bit offsets; keep
        # only the characters that depend on the value alone, not on its neighbours.
        first = -(-offset * 8 // 6)
        last = (offset + len(raw)) * 8 // 6
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            core = encode(b"\0" * offset + raw).decode("ascii")[first:last]
            if len(core) >= _MIN_ENCODED:
                forms.add(core)
    return {form for form in forms if form}


def redact(text: str) -> str:
    with _lock:
        # Longest first, so that a secret containing another one is masked whole.
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class SecretRedactor(logging.Filter):
    """Masks registered secrets in a record's message, arguments, traceback and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: mask the raw parts instead
            message = f"{record.msg} {record.args}"
        # Replacing the args too keeps handlers that read them (JSON loggers) clean.
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_redactor(logger: logging.Logger | None = None) -> SecretRedactor:
    """Attach one redactor to every handler of `logger` (the root logger by default).

    Handler filters see records from every logger that propagates to them, which logger
    filters do not. Call again after adding handlers; it does not attach twice.
    """
    target = logger or logging.getLogger()
    redactor = SecretRedactor()
    for handler in target.handlers:
        if not any(isinstance(f, SecretRedactor) for f in handler.filters):
            handler.addFilter(redactor)
    return redactor
