"""Shared fixtures: a Workspace on a fresh database, and offscreen Qt for GUI tests.

The database is a SQLite file; tests marked `both_databases` also run on PostgreSQL when
ESCAPEMENT_TEST_PG_URL names a server (`.ci/postgres.sh start` sets it), and skip there if not.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app import events, paths
from app.domain import ContactInput
from app.store.models import ClockworkSettings
from app.workspace import Workspace
from main import main
from tests.keyring_fakes import MemoryKeyring, use_keyring
from tests.mail.servers import Recorder, smtp_server
from tests.pg import database as pg
from tests.redaction import secrets_forgotten_after


@pytest.fixture(autouse=True)
def _secrets_forgotten() -> Iterator[None]:
    """The redactor's secrets are process-wide: each test forgets those it registered, or a
    made-up one-letter password would mask that letter in every later test's messages."""
    with secrets_forgotten_after():
        yield


@pytest.fixture(autouse=True)
def _own_data_and_log_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test writes to the user's real folders: each gets its own data dir (logs inside it,
    child processes included), and asking platformdirs for one is an error."""
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path_factory.mktemp("escapement-data")))

    def refused(*_args: object, **_kwargs: object) -> str:
        raise AssertionError("a test reached for the user's real folders (platformdirs)")

    monkeypatch.setattr(paths.platformdirs, "user_data_dir", refused)
    monkeypatch.setattr(paths.platformdirs, "user_log_dir", refused)


@pytest.fixture(autouse=True)
def _memory_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets an empty in-memory keyring; tests that need another install their own."""
    use_keyring(monkeypatch, MemoryKeyring())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_databases: run on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: tests SQLite itself (WAL, locks, the file)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`db_url` is SQLite, and PostgreSQL too for tests marked both_databases."""
    marked = metafunc.definition.get_closest_marker
    if "db_url" in metafunc.fixturenames and marked("both_databases") and not marked("sqlite_only"):
        backends = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
        metafunc.parametrize("db_url", backends, indirect=True)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and not os.environ.get(pg.PG_ENV):
        pytest.skip(pg.SKIP_REASON)


@pytest.fixture(scope="session")
def pg_session_database() -> Iterator[URL]:
    url = pg.create_database(f"escapement_test_{os.getpid()}")
    yield url
    pg.drop_database(url)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or the session's PostgreSQL database emptied."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'escapement.db'}"
    url: URL = request.getfixturevalue("pg_session_database")
    pg.empty_schema(url)
    return pg.render(url)


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    ws = Workspace.open(db_url)
    yield ws
    ws.close()


def connect_firm(ws: Workspace, firm: str = "demo") -> None:
    """Marks the user as connected without the network, for rule tests that need no Clockwork."""
    with ws.store.write() as session:
        settings = session.get(ClockworkSettings, ws.user_id) or ClockworkSettings(
            user_id=ws.user_id
        )
        settings.firm = firm
        session.add(settings)
    # As the Workspace's own writes do: listeners (the connection's state) read it again.
    ws.bus.publish(events.SETTINGS_CHANGED)


def people(n: int, domain: str = "example.com") -> list[ContactInput]:
    return [
        ContactInput(
            email=f"person{i}@{domain}",
            first_name=f"First{i}",
            last_name=f"Last{i}",
            company="Acme",
        )
        for i in range(n)
    ]


Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def recorder() -> Recorder:
    """What the loopback SMTP server (`smtp`) was given, envelope and all."""
    return Recorder()


@pytest.fixture
def smtp(recorder: Recorder) -> Iterator[tuple[str, int]]:
    """A real SMTP server (aiosmtpd) on loopback, for the mail and the Email pane tests."""
    with smtp_server(recorder) as address:
        yield address


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Runs the CLI against a temp data dir; returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(tmp_path / "data"), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run
