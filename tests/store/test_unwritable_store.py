"""A read-only or full disk: one line, exit 1, nothing changed, no empty or half backup."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from app.errors import StoreError
from app.store import backups, open_store
from app.store.backups import list_backups
from app.workspace import Workspace
from main import main
from tests.store.fs_faults import (
    OLD_REVISION,
    can_mount,
    fill,
    make_database,
    read_only,
    revision_of,
    small_tmpfs,
    snapshot,
)

DB = "escapement.db"


def run_cli(data: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["--data-dir", str(data), *(argv or ("status",))])
    return code, capsys.readouterr().err


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    make_database(folder / DB)
    (folder / "logs").mkdir()
    return folder


@pytest.mark.skipif(not can_mount(), reason="a read-only bind mount needs root")
@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_database_or_folder(
    what: str, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The logs go elsewhere, so that it is the database that meets the read-only disk.
    logs = data.parent / "elsewhere"
    shutil.move(data / "logs", logs)
    before = snapshot(data)
    target = data / DB if what == "file" else data
    with read_only(target):
        code = main(["--database-url", f"sqlite:///{data / DB}", "--data-dir", str(logs), "status"])
        err = capsys.readouterr().err
    assert code == 1
    assert err == (
        f"escapement: Escapement cannot write its database {data / DB}: "
        "the file or its folder is read-only.\n"
    )
    assert snapshot(data) == before


@pytest.mark.skipif(not can_mount(), reason="a read-only bind mount needs root")
def test_read_only_data_dir_with_the_logs_in_it(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with read_only(data):
        code, err = run_cli(data, capsys)
    assert code == 1
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_full_disk_while_backing_up_leaves_no_backup_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ENOSPC fault injector: runs without root."""
    path = make_database(tmp_path / DB, revision=OLD_REVISION)
    before = path.read_bytes()

    def disk_full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_fsync", disk_full)
    with pytest.raises(StoreError, match="No room on the disk to back up") as caught:
        open_store(f"sqlite:///{path}")
    assert caught.value.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir() if "bak" in p.name) == []
    assert path.read_bytes() == before
    assert revision_of(path) == OLD_REVISION


def test_a_real_full_disk_while_migrating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = make_database(tmp_path / DB, revision=OLD_REVISION)
    with small_tmpfs(tmp_path / "disk", 1024) as disk:
        data = disk / "data"
        data.mkdir()
        (data / "logs").mkdir()
        (data / "logs" / "escapement.log").write_text("")
        shutil.copy(old, data / DB)
        fill(disk, leave_bytes=old.stat().st_size // 2)
        before = snapshot(data)
        code, err = run_cli(data, capsys)
        assert code == 1
        *progress, last = err.splitlines()
        assert all(line.startswith("Backing up the database") for line in progress), err
        assert "No room on the disk" in last or "is full" in last
        after = snapshot(data)
        assert [n for n in after if ".bak" in n] == []
        assert after[DB] == before[DB]
        (disk / "filler").unlink()
        code, _ = run_cli(data, capsys)  # room again: it migrates, with a whole backup
        assert code == 0
        assert len(list_backups(data / DB)) == 1
        assert revision_of(data / DB) != OLD_REVISION


def test_a_real_full_disk_on_a_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with small_tmpfs(tmp_path / "disk", 1024) as disk:
        data = disk / "data"
        assert run_cli(data, capsys, "sequence", "create", "Kept")[0] == 0
        fill(disk)
        code, err = run_cli(data, capsys, "sequence", "create", "Too many " + "x" * 150)
        for n in range(40):  # the WAL may still have room for a few small writes
            if code != 0:
                break
            code, err = run_cli(data, capsys, "sequence", "create", f"Again {n} " + "y" * 150)
        assert code == 1
        assert err.count("\n") == 1, err
        assert "full" in err
        (disk / "filler").unlink()
        code, _ = run_cli(data, capsys, "sequence", "create", "After")
        assert code == 0
        ws = Workspace.open(f"sqlite:///{data / DB}")
        assert {"Kept", "After"} <= {s.name for s in ws.sequences()}
        ws.close()
