"""Column mappings the user chose for a CSV layout, remembered per user.

Kept in the `settings` key/value table: the key names the user and a digest of the layout
(a header row may be longer than the key column), the value is the mapping as JSON.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.orm import Session

from app.csvimport import FIELDS
from app.store.models import Setting

_KEY = "csv_columns:{user}:{digest}"


def _key(user_id: int, layout_key: str) -> str:
    digest = hashlib.sha256(layout_key.encode("utf-8")).hexdigest()[:32]
    return _KEY.format(user=user_id, digest=digest)


def remembered_columns(session: Session, user_id: int, layout_key: str) -> dict[str, int] | None:
    """The mapping last chosen for this layout, or None; a value that no longer reads as a
    mapping (a field renamed since) counts as none rather than failing the import."""
    found = session.get(Setting, _key(user_id, layout_key))
    if found is None:
        return None
    try:
        value = json.loads(found.value)
    except ValueError:
        return None
    if not isinstance(value, dict) or "email" not in value:
        return None
    if not all(f in FIELDS and type(i) is int and i >= 0 for f, i in value.items()):
        return None
    return {str(f): int(i) for f, i in value.items()}


def remember_columns(
    session: Session, user_id: int, layout_key: str, columns: dict[str, int]
) -> None:
    value = json.dumps(dict(sorted(columns.items())))
    session.merge(Setting(key=_key(user_id, layout_key), value=value))
