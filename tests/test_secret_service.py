"""SecretStore against a real Secret Service: gnome-keyring in a private D-Bus session.

The daemon and the bus live only as long as one subprocess, with HOME and the XDG folders
in a temp dir, so the test never sees or touches the developer's own keyring.
Debian packages: gnome-keyring, dbus-daemon (for dbus-run-session).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.secretservice

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("dbus-run-session", "gnome-keyring-daemon")

# Unlock with a throwaway password on stdin, then run the Python given as arguments.
SESSION = (
    "echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
    ' && exec "$0" "$@"'
)

PROGRAM = """
import json, keyring
from keyring.backends import SecretService
from app.clockwork.credentials import Credentials
from app.secrets import SERVICE, SecretStore

backend = keyring.get_keyring()
store = SecretStore()
keys = Credentials("acme", "ss-api-key-4711", "ss-secret-0815", "ss-firm-key-1234")
before = store.get("acme", "ada@example.com")
store.put(keys, "ada@example.com")
raw = keyring.get_password(SERVICE, "ada@example.com@acme")
again = store.get("acme", "Ada@Example.com")
deleted = store.delete("acme", "ada@example.com")
print(json.dumps({
    "backend": type(backend).__module__ + "." + type(backend).__name__,
    "is_secret_service": isinstance(backend, SecretService.Keyring),
    "before": before is None,
    "raw": json.loads(raw),
    "round_trip": again == keys,
    "deleted": deleted,
    "after": store.get("acme", "ada@example.com") is None,
    "deleted_again": store.delete("acme", "ada@example.com"),
}))
"""


def isolated_env(home: Path) -> dict[str, str]:
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CLOCKWORK_", "DBUS_", "PYTHON_KEYRING", "GNOME_KEYRING"))
    }
    return {
        **env,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),  # no keyringrc.cfg can choose a backend
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHONPATH": str(ROOT),
    }


def test_keys_round_trip_through_the_real_secret_service(tmp_path: Path) -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} (Debian: gnome-keyring, dbus-daemon)")
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", SESSION, sys.executable, "-c", PROGRAM],
        env=isolated_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "backend": "keyring.backends.SecretService.Keyring",
        "is_secret_service": True,
        "before": True,
        "raw": {
            "api_key": "ss-api-key-4711",
            "secret_key": "ss-secret-0815",
            "firm_service_key": "ss-firm-key-1234",
        },
        "round_trip": True,
        "deleted": True,
        "after": True,
        "deleted_again": False,
    }
    assert "ss-secret-0815" not in done.stderr
