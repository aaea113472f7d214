"""Where Escapement keeps its files: the platformdirs data and log dirs, or an override."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from app.errors import InputError
from app.private_files import private_dir

APP_NAME = "Escapement"
DATA_DIR_ENV = "ESCAPEMENT_DATA_DIR"
DATABASE_URL_ENV = "ESCAPEMENT_DATABASE_URL"


def data_dir(override: str | Path | None = None) -> Path:
    """`--data-dir` wins, then `ESCAPEMENT_DATA_DIR`, then the platform's user data dir."""
    chosen = override or os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir(APP_NAME)
    return _usable_dir(Path(chosen).expanduser(), "data")


def log_dir(override: str | Path | None = None) -> Path:
    """Logs sit inside an overridden data dir, else in the platform's log dir."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    path = data_dir(chosen) / "logs" if chosen else Path(platformdirs.user_log_dir(APP_NAME))
    return _usable_dir(path, "log")


def _usable_dir(path: Path, what: str) -> Path:
    """The folder, made 0700 if missing; a file, a device or a locked parent is bad usage."""
    try:
        return private_dir(path)
    except FileExistsError:
        raise InputError(f"The {what} folder {path} is a file, not a folder.") from None
    except NotADirectoryError:
        raise InputError(f"The {what} folder {path} is inside a file, not a folder.") from None
    except OSError as exc:
        raise InputError(
            f"Cannot create the {what} folder {path}: {exc.strerror or type(exc).__name__}."
        ) from None


def database_url(data: Path, override: str | None = None) -> str:
    return override or os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{data / 'escapement.db'}"
