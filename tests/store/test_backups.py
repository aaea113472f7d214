"""Backups: the newest five kept, restored on the user's word with the damaged file set aside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.domain import ContactInput
from app.errors import DamagedStore, StoreError
from app.store import open_store
from app.store.backups import KEEP, list_backups, make_backup, restore_backup
from app.workspace import Workspace
from tests.store.fs_faults import OLD_REVISION, make_database

DB = "escapement.db"


def test_only_the_newest_backups_are_kept(tmp_path: Path) -> None:
    path = make_database(tmp_path / DB)
    made = []
    for n in range(KEEP + 3):
        backup = make_backup(path, f"r{n}")
        os.utime(backup, (1_000_000 + n, 1_000_000 + n))  # distinct ages, oldest first
        made.append(backup)
    make_backup(path, "last")
    kept = list_backups(path)
    assert len(kept) == KEEP
    assert not any(p.exists() for p in made[: len(made) - KEEP + 1])


def test_each_migration_makes_one_whole_private_backup(tmp_path: Path) -> None:
    path = make_database(tmp_path / DB, revision=OLD_REVISION)
    open_store(f"sqlite:///{path}").dispose()
    (backup,) = list_backups(path)
    assert f".{OLD_REVISION}." in backup.name
    assert backup.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob("*.partial"))


def test_restore_puts_the_backup_back_and_sets_the_damaged_file_aside(tmp_path: Path) -> None:
    path = tmp_path / DB
    ws = Workspace.open(f"sqlite:///{path}")
    seq = ws.create_sequence("Before the damage")
    ws.add_contacts(seq.id, [ContactInput(email="kept@example.com")])
    ws.close()
    make_backup(path, "manual")
    path.write_bytes(path.read_bytes()[:5000])
    damaged = path.read_bytes()
    with pytest.raises(DamagedStore) as caught:
        open_store(f"sqlite:///{path}")
    assert caught.value.backup is not None

    aside = restore_backup(path, Path(caught.value.backup))
    assert aside.read_bytes() == damaged  # set aside whole, never deleted
    assert path.stat().st_mode & 0o777 == 0o600
    ws = Workspace.open(f"sqlite:///{path}")
    assert [s.name for s in ws.sequences()] == ["Before the damage"]
    ws.close()


def test_restore_refuses_a_backup_that_is_not_good(tmp_path: Path) -> None:
    path = make_database(tmp_path / DB)
    bad = tmp_path / f"{DB}.x.20260101T000000000000.bak"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="No good backup"):
        restore_backup(path, bad)
    assert path.read_bytes() == before


def test_the_cli_restores_the_backup_its_error_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from main import main

    data = tmp_path / "data"
    args = ["--data-dir", str(data)]
    assert main([*args, "sequence", "create", "Saved"]) == 0
    make_backup(data / DB, "manual")
    (data / DB).write_bytes(b"")
    capsys.readouterr()
    assert main([*args, "status"]) == 1
    assert "restore it with: escapement backup restore" in capsys.readouterr().err
    assert main([*args, "backup", "list"]) == 0
    assert capsys.readouterr().out.count("  good\n") == 1
    assert main([*args, "backup", "restore"]) == 0
    assert "The file it replaced is kept as" in capsys.readouterr().out
    ws = Workspace.open(f"sqlite:///{data / DB}")
    assert [s.name for s in ws.sequences()] == ["Saved"]
    ws.close()
    assert main([*args, "backup", "restore", str(tmp_path / "nope.bak")]) == 2
