"""`connect`, `disconnect` and `projects` through main(), against the sandbox on loopback."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail

from app.clockwork.domain_input import InvalidApiOrigin
from app.connection import Connection, api_origin
from app.projects import list_projects, refresh_projects
from app.sandbox.seed import DEMO_CREDENTIALS as GOOD
from app.sandbox.server import SandboxServer
from app.secrets import SERVICE, SecretStore
from app.workspace import Workspace
from main import main
from tests.test_secrets import MemoryKeyring, clear_clockwork_env, set_env, use_keyring

Cli = Callable[..., tuple[int, str, str]]
PROJECT_KEYS = {"id", "name", "status", "company", "syncable"}


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture(autouse=True)
def memory(monkeypatch: pytest.MonkeyPatch, server: SandboxServer) -> MemoryKeyring:
    clear_clockwork_env(monkeypatch)
    server.state.reset()
    server.state.credentials = GOOD
    backend = MemoryKeyring()
    use_keyring(monkeypatch, backend)
    return backend


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], server: SandboxServer) -> Cli:
    """main() on a temp data dir, pointed at the sandbox; returns (exit code, out, err)."""

    def run(*argv: str, url: str | None = None) -> tuple[int, str, str]:
        data = ["--data-dir", str(tmp_path / "data"), "--clockwork-url", url or server.url]
        code = main([*data, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connect_with_keys_from_the_environment(
    cli: Cli, memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(monkeypatch, GOOD, None)
    code, out, err = cli("connect", "--domain", "demo.clockworkrecruiting.com")
    assert (code, err) == (0, "")
    assert out == "Connected to Clockwork firm demo (8 projects).\n"
    [(service, name)] = memory.entries
    assert (service, name.endswith("@localhost@demo")) == (SERVICE, True)
    assert json.loads(memory.entries[service, name])["secret_key"] == GOOD.secret_key
    clear_clockwork_env(monkeypatch)
    # Without the environment, the keyring's keys serve every later command.
    code, out, _ = cli("projects", "--refresh", "--json")
    assert code == 0
    projects = json.loads(out)
    assert len(projects) == 8
    assert all(set(p) == PROJECT_KEYS for p in projects)
    assert all(isinstance(p["id"], str) for p in projects)
    syncable = {p["status"] for p in projects if p["syncable"]}
    assert syncable == {"Active", "Pitch", "On Hold"}
    assert {p["status"] for p in projects if not p["syncable"]} == {"Closed"}


def test_connect_prompts_without_echo_in_a_terminal(
    cli: Cli, memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([GOOD.api_key, GOOD.secret_key, GOOD.firm_service_key])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("sys.stdin", FakeTerminal())
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    code, out, err = cli("connect", "--domain", "demo")
    assert code == 0, err
    assert len(prompts) == 3
    assert "firm service key" in prompts[2]
    assert GOOD.api_key not in out + err
    assert len(memory.entries) == 1


def test_no_keys_and_no_terminal_exits_2_with_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = cli("connect", "--domain", "demo")
    assert code == 2
    assert "CLOCKWORK_API_KEY" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("domain", "keys", "code", "words"),
    [
        ("demo", ("bad-key", GOOD.secret_key, GOOD.firm_service_key), 2, "API key or secret key"),
        ("demo", (GOOD.api_key, GOOD.secret_key, "bad-service"), 2, "firm service key is wrong"),
        ("nosuchfirm", None, 2, "no firm called"),
        ("https://evil.example.com", None, 2, "not a Clockwork address"),
        ("", None, 2, "--domain"),
    ],
    ids=["wrong-key", "wrong-firm-service-key", "unknown-firm", "bad-domain", "no-domain"],
)
def test_connect_failures_say_what_was_wrong(
    cli: Cli,
    memory: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    domain: str,
    keys: tuple[str, str, str] | None,
    code: int,
    words: str,
) -> None:
    monkeypatch.setenv("CLOCKWORK_API_KEY", keys[0] if keys else GOOD.api_key)
    monkeypatch.setenv("CLOCKWORK_SECRET_KEY", keys[1] if keys else GOOD.secret_key)
    monkeypatch.setenv("CLOCKWORK_FIRM_SERVICE_KEY", keys[2] if keys else GOOD.firm_service_key)
    got, out, err = cli("connect", "--domain", domain)
    assert (got, out) == (code, "")
    assert words in err
    assert err.count("\n") == 1
    assert memory.entries == {}


def test_unreachable_clockwork_exits_1(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, GOOD, "demo")
    code, _, err = cli("connect", url=f"http://127.0.0.1:{closed_port()}")
    assert code == 1
    assert "could not connect to Clockwork" in err


def test_a_non_loopback_api_url_is_refused(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, GOOD, "demo")
    code, _, err = cli("connect", url="https://attacker.example.com")
    assert code == 2
    assert "this computer" in err


def test_without_a_keyring_env_keys_still_connect_but_typed_ones_do_not(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keyring(monkeypatch, fail.Keyring())
    set_env(monkeypatch, GOOD, "demo")
    code, out, err = cli("connect")
    assert code == 0
    assert "Connected" in out
    assert "not saved" in err
    clear_clockwork_env(monkeypatch)
    monkeypatch.setattr("sys.stdin", FakeTerminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "typed-key")
    code, out, err = cli("connect", "--domain", "demo")
    assert (code, out) == (1, "")
    assert "no secure place" in err


def test_disconnect_removes_the_keys(
    cli: Cli, memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(monkeypatch, GOOD, "demo")
    assert cli("connect")[0] == 0
    clear_clockwork_env(monkeypatch)
    code, out, _ = cli("disconnect")
    assert code == 0
    assert "Disconnected from Clockwork firm demo" in out
    assert memory.entries == {}
    code, _, err = cli("projects", "--refresh")
    assert code == 1
    assert "Connect to Clockwork first" in err
    assert cli("disconnect")[1] == "Not connected to Clockwork.\n"


def test_projects_text_lists_the_cache_without_network(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("projects") == (0, "No projects. Connect to Clockwork, then run: "
                                  "projects --refresh\n", "")  # fmt: skip
    set_env(monkeypatch, GOOD, "demo")
    cli("connect")
    code, out, _ = cli("projects", url=f"http://127.0.0.1:{closed_port()}")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 8
    assert sum(line.startswith("-") for line in lines) == 2  # the two closed projects
    assert any("Pitch" in line and line.startswith("+") for line in lines)


def test_keys_stay_out_of_the_log_file_and_the_terminal(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(monkeypatch, GOOD, "demo")
    outputs = [cli("connect"), cli("projects", "--refresh")]
    monkeypatch.setenv("CLOCKWORK_SECRET_KEY", "wrong-secret-key")
    outputs.append(cli("connect"))
    logs = "".join(p.read_text() for p in (tmp_path / "data" / "logs").glob("*.log*"))
    for secret in (*GOOD.secrets(), "wrong-secret-key"):
        assert secret not in logs
        assert all(secret not in out + err for _, out, err in outputs)


def test_only_a_loopback_origin_may_replace_clockwork(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def connection(origin: str | None) -> Connection:
        ws = workspace
        return Connection(ws.store, ws.bus, ws.user_id, "x@y", origin=origin, secrets=SecretStore())

    with pytest.raises(InvalidApiOrigin):
        connection("http://api.example.com")
    monkeypatch.setenv("CLOCKWORK_API_URL", "http://127.0.0.1:9/")
    assert api_origin(None) == "http://127.0.0.1:9/"
    assert api_origin("http://[::1]:8") == "http://[::1]:8"
    assert connection(api_origin(None)).origin == "http://127.0.0.1:9"


class FakeProjects:
    def __init__(self, *pages: list[dict[str, Any]]) -> None:
        self.pages = list(pages)

    async def list_projects(self) -> list[dict[str, Any]]:
        return self.pages.pop(0)


async def test_refresh_replaces_the_cached_projects(workspace: Workspace) -> None:
    source = FakeProjects(
        [
            {"id": "1", "name": "CFO", "status": "Active", "companyName": "Acme"},
            {"id": "2", "name": "COO", "status": {"name": "On Hold"}, "company": {"name": "Bx"}},
            {"id": "3", "name": "CTO", "status": "Pitch"},
            {"name": "no id"},
        ],
        [
            {"id": "1", "name": "CFO (renamed)", "status": "Closed", "companyName": "Acme"},
            {"id": "4", "name": "Board", "status": "Retained - Active", "companyName": "Cy"},
        ],
    )
    assert await refresh_projects(workspace.store, source) == 3
    first = {p.id: p for p in list_projects(workspace.store)}
    assert (first["2"].status, first["2"].company) == ("On Hold", "Bx")
    assert all(p.syncable for p in first.values())
    assert await refresh_projects(workspace.store, source) == 2
    assert [p.as_dict() for p in list_projects(workspace.store)] == [
        {"id": "4", "name": "Board", "status": "Retained - Active", "company": "Cy",
         "syncable": True},
        {"id": "1", "name": "CFO (renamed)", "status": "Closed", "company": "Acme",
         "syncable": False},
    ]  # fmt: skip
    assert [p.id for p in list_projects(workspace.store, syncable_only=True)] == ["4"]


def test_disconnect_without_a_keyring_still_unlinks_the_firm(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_env(monkeypatch, GOOD, "demo")
    assert cli("connect")[0] == 0
    clear_clockwork_env(monkeypatch)
    use_keyring(monkeypatch, fail.Keyring())
    code, out, err = cli("disconnect")
    assert code == 0
    assert out == "Disconnected from Clockwork firm demo.\n"
    assert err.count("\n") == 1
    assert err.startswith("escapement: warning: the keyring could not be used")
    assert cli("disconnect")[1] == "Not connected to Clockwork.\n"
