"""The database, its -wal and -shm, backups and logs are 0600 in 0700 folders."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from app.logs import _OURS, setup_logging
from app.store import open_store
from app.workspace import Workspace


@pytest.fixture(autouse=True)
def close_our_log_handlers() -> Iterator[None]:
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(handler)
        handler.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_dir_and_everything_in_it_is_private(tmp_path: Path) -> None:
    data = tmp_path / "new" / "data"
    log_file = setup_logging(str(data))
    ws = Workspace.open(f"sqlite:///{data / 'escapement.db'}")
    ws.create_sequence("Open")  # a write, so the -wal and -shm files exist
    assert mode(data) == 0o700
    assert mode(data / "logs") == 0o700
    files = [p for p in data.iterdir() if p.is_file()] + [log_file]
    assert {p.name for p in files} >= {"escapement.db", "escapement.db-wal", "escapement.db-shm"}
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    ws.close()


def test_an_old_world_readable_database_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "escapement.db"
    open_store(f"sqlite:///{path}").dispose()
    path.chmod(0o644)
    open_store(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600


def test_rotated_logs_stay_private(tmp_path: Path) -> None:
    log_file = setup_logging(str(tmp_path))
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler))
    logging.getLogger("test").warning("before rotation")
    handler.doRollover()
    logging.getLogger("test").warning("after rotation")
    assert mode(log_file) == 0o600
    assert mode(log_file.with_name(log_file.name + ".1")) == 0o600
