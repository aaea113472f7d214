"""Starts pymap for the tests with a cheap password hash.

pymap stores the demo user's password with PBKDF2 at 500,000 rounds when passlib is absent:
a third of a second for every IMAP login, paid many times a test. A test server's password
guards nothing, so a few rounds do.
"""

from __future__ import annotations

from typing import Any

from pymap.config import IMAPConfig
from pymap.main import main
from pysasl.hashing import BuiltinHash


def _cheap_hash(cls: type[IMAPConfig], passlib_cfg: Any) -> BuiltinHash:
    return BuiltinHash(rounds=10)


if __name__ == "__main__":
    IMAPConfig._get_hash_context = classmethod(_cheap_hash)  # type: ignore[method-assign,assignment]
    main()
