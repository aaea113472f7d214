"""A store already at head opens without Alembic; any other schema still goes through it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command

from app.store import migrate, open_store
from app.store.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
OPEN_AND_LIST_MODULES = (
    "import sys; from app.store import open_store; open_store(sys.argv[1]).dispose();"
    "print(' '.join(sorted(sys.modules)))"
)


def loaded_modules(url: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", OPEN_AND_LIST_MODULES, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(done.stdout.split())


def test_the_scripts_head_is_alembics() -> None:
    assert migrate.scripted_head() == migrate.head_revision()


def test_opening_a_store_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'escapement.db'}"
    assert "alembic" in loaded_modules(url)  # a new store is made by the migrations
    assert "alembic" not in loaded_modules(url)  # and found at head the next time


def test_a_store_behind_head_is_still_migrated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'escapement.db'}"
    open_store(url).dispose()
    engine = make_engine(url)
    config = migrate._config()
    with engine.begin() as conn:  # as if written before the newest migration
        config.attributes["connection"] = conn
        command.downgrade(config, "-1")
    assert not migrate.is_at_head(engine)
    engine.dispose()
    store = open_store(url)
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    store.dispose()


def test_a_new_database_is_not_at_head(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert migrate.stored_revisions(engine) == []
    assert not migrate.is_at_head(engine)
    engine.dispose()


@pytest.fixture
def scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty folder of migration scripts in place of the app's."""
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    monkeypatch.setattr(migrate, "MIGRATIONS", versions.parent)
    migrate.scripted_head.cache_clear()
    yield versions
    migrate.scripted_head.cache_clear()


def test_scripts_in_one_line_name_their_head(scripts: Path) -> None:
    write_scripts(scripts, a=None, b="a", c="b")
    assert migrate.scripted_head() == "c"


def test_a_branch_leaves_the_answer_to_alembic(scripts: Path) -> None:
    write_scripts(scripts, a=None, b="a", c="a")
    assert migrate.scripted_head() is None


def write_scripts(folder: Path, **parents: str | None) -> None:
    for number, (revision, parent) in enumerate(parents.items(), start=1):
        down = "None" if parent is None else f'"{parent}"'
        text = f'revision = "{revision}"\ndown_revision = {down}\n'
        (folder / f"{number:04d}_{revision}.py").write_text(text)
