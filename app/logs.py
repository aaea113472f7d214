"""Logging to a rotating file in the log dir, with every known secret redacted."""

from __future__ import annotations

import logging
from pathlib import Path

from app.clockwork.redact import SecretRedactor
from app.errors import StoreError
from app.paths import log_dir
from app.private_files import PrivateRotatingFileHandler

LOG_FILE = "escapement.log"
_OURS = "_escapement_handler"


def setup_logging(data_override: str | None, *, console: bool = False) -> Path:
    folder = log_dir(data_override)
    try:
        handler = PrivateRotatingFileHandler(
            folder / LOG_FILE, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError as exc:
        raise StoreError(
            f"Cannot write the log file in {folder}: {exc.strerror or type(exc).__name__}.",
            title="Log folder not writable",
        ) from None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretRedactor())
    handlers: list[logging.Handler] = [handler]
    if console:
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        stream.addFilter(SecretRedactor())
        handlers.append(stream)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    # Called again (tests, a second window) replaces our handlers instead of stacking them.
    for old in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(old)
        old.close()
    for new in handlers:
        setattr(new, _OURS, True)
        root.addHandler(new)
    # httpx logs every request line at INFO; keep the file readable.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return folder / LOG_FILE
