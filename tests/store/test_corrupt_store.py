"""A damaged store through the real CLI: one line on stderr, exit 1, the file left as it was,
and the newest good backup named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain import ContactInput
from app.errors import DamagedStore
from app.store import open_store
from app.store.backups import make_backup
from app.workspace import Workspace
from main import main
from tests.store.fs_faults import snapshot

DB = "escapement.db"


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with enough contacts to span many pages."""
    path = tmp_path_factory.mktemp("good") / DB
    ws = Workspace.open(f"sqlite:///{path}")
    seq = ws.create_sequence("CFO search")
    ws.add_contacts(
        seq.id, [ContactInput(email=f"p{i}@example.com", first_name="P" * 40) for i in range(400)]
    )
    ws.close()
    return path


def data_dir_with(good_db: Path, tmp: Path) -> Path:
    folder = tmp / "data"
    folder.mkdir()
    shutil.copy(good_db, folder / DB)
    return folder


def run_cli(data: Path | str, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["--data-dir", str(data), *(argv or ("status",))])
    return code, capsys.readouterr().err


def truncate(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 3)


def overwrite_pages(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek(4096 * 2)
        fh.write(bytes(range(256)) * 16 * 20)


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def text_file(path: Path) -> None:
    path.write_text("name,email\nAda,ada@example.com\n")


def folder_in_place(path: Path) -> None:
    path.unlink()
    path.mkdir()


def header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


DAMAGE = [truncate, overwrite_pages, zero_bytes, text_file, folder_in_place, header_only]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_damaged_database_gives_one_line_and_is_left_untouched(
    damage: object, good_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_dir_with(good_db, tmp_path)
    damage(data / DB)  # type: ignore[operator]
    before = snapshot(data)
    code, err = run_cli(data, capsys)
    assert code == 1
    assert err.count("\n") == 1, err
    assert err.startswith(f"escapement: The database {data / DB} ")
    assert "It was left untouched" in err
    assert "Traceback" not in err
    assert snapshot(data) == before


def test_the_message_names_the_newest_good_backup(
    good_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_dir_with(good_db, tmp_path)
    older = make_backup(data / DB, "0001")
    newest = make_backup(data / DB, "0002")
    damaged_copy = newest.with_name(f"{DB}.0002.29990101T000000000000.bak")
    damaged_copy.write_bytes(b"not a database")  # newest by name and date, but no good
    truncate(data / DB)
    code, err = run_cli(data, capsys)
    assert code == 1
    assert f"The newest good backup is {newest}" in err
    assert str(older) not in err


def test_the_core_error_carries_the_backup_for_the_gui(good_db: Path, tmp_path: Path) -> None:
    data = data_dir_with(good_db, tmp_path)
    backup = make_backup(data / DB, "0002")
    zero_bytes(data / DB)
    with pytest.raises(DamagedStore) as caught:
        open_store(f"sqlite:///{data / DB}")
    assert caught.value.path == str(data / DB)
    assert caught.value.backup == str(backup)
    assert caught.value.exit_code == 1
    # The GUI offers the backup in its dialog: no CLI command in its words.
    assert caught.value.message.endswith(f"The newest good backup is {backup}.")


def test_a_zero_byte_file_is_never_opened_as_an_empty_database(tmp_path: Path) -> None:
    path = tmp_path / DB
    path.write_bytes(b"")
    with pytest.raises(DamagedStore, match="is empty"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == b""


@pytest.mark.parametrize("target", ["/dev/null", "file"])
def test_a_data_dir_that_is_not_a_folder_is_bad_usage(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if target == "file":
        target = str(tmp_path / "plain.txt")
        Path(target).write_text("x")
    code, err = run_cli(target, capsys)
    assert code == 2
    assert err == f"escapement: The data folder {target} is a file, not a folder.\n"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.floats(min_value=0.0, max_value=1.0),
    offset=st.integers(min_value=0, max_value=200_000),
    junk=st.binary(min_size=1, max_size=5000),
)
# A cut file whose change counter no longer matches its "valid for" copy: SQLite trusted the
# file's length instead of the header's page count, and rewrote page 1 on the first commit.
@example(cut=0.75, offset=24, junk=b"\x00\x00\x00\x00")
def test_any_cut_or_overwrite_ends_in_success_or_one_clear_line(
    good_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    cut: float,
    offset: int,
    junk: bytes,
) -> None:
    data = data_dir_with(good_db, tmp_path_factory.mktemp("fuzz"))
    path = data / DB
    raw = bytearray(path.read_bytes())
    raw[offset : offset + len(junk)] = junk
    path.write_bytes(bytes(raw[: max(0, int(len(raw) * cut))] if cut < 1 else raw))
    before = snapshot(data)
    code, err = run_cli(data, capsys, "status", "--contacts", "--json")
    assert "Traceback" not in err
    if code != 0:
        assert code == 1
        assert err.count("\n") == 1, err
        assert snapshot(data) == before
