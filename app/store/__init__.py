"""The local store: models, engine set-up, migrations and the queries the Workspace runs."""

from __future__ import annotations

from pathlib import Path

from app.store.engine import Store, make_engine
from app.store.migrate import upgrade


def open_store(url: str) -> Store:
    """Open (creating if needed) and migrate the database at `url`."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


__all__ = ["Store", "open_store"]
