"""The local store: models, engine set-up, migrations and the queries the Workspace runs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL
from sqlalchemy.exc import OperationalError

from app.errors import StoreError
from app.store.engine import Store, make_engine
from app.store.migrate import upgrade
from app.store.progress import Progress, silent
from app.store.urls import PASSWORD_ENV, describe, resolve_database_url


def open_store(url: str | URL, progress: Progress = silent) -> Store:
    """Open (creating if needed) and migrate the database at `url`, telling `progress`."""
    resolved = resolve_database_url(url)
    if resolved.get_backend_name() == "sqlite" and resolved.database not in (None, "", ":memory:"):
        Path(resolved.database).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(resolved)
    try:
        upgrade(engine, progress)
    except OperationalError as exc:
        engine.dispose()
        if resolved.get_backend_name() != "postgresql":
            raise
        raise _unreachable(resolved, exc) from None
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


def _unreachable(url: URL, exc: OperationalError) -> StoreError:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    hint = ""
    if url.password is None and "password" in reason:
        hint = f" Store the password in the keyring or set {PASSWORD_ENV}."
    return StoreError(
        f"Could not open the team database {describe(url)}: {reason}.{hint}",
        title="Team database unavailable",
    )


__all__ = ["Store", "open_store"]
