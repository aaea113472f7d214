"""Where Escapement keeps its files: the platformdirs data and log dirs, or an override."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Escapement"
DATA_DIR_ENV = "ESCAPEMENT_DATA_DIR"
DATABASE_URL_ENV = "ESCAPEMENT_DATABASE_URL"


def data_dir(override: str | Path | None = None) -> Path:
    """`--data-dir` wins, then `ESCAPEMENT_DATA_DIR`, then the platform's user data dir."""
    chosen = override or os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir(APP_NAME)
    path = Path(chosen).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir(override: str | Path | None = None) -> Path:
    """Logs sit inside an overridden data dir, else in the platform's log dir."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    path = data_dir(chosen) / "logs" if chosen else Path(platformdirs.user_log_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(data: Path, override: str | None = None) -> str:
    return override or os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{data / 'escapement.db'}"
