"""The frozen build starts: the window opens on the sandbox, a few contacts sync, the app quits.

It builds with `make dist` (a few minutes), unless dist/ is newer than every source file. The
app runs its smoke test itself when ESCAPEMENT_SMOKE=1 (ui/runtime/smoke.py); any output on stderr
other than the offscreen platform's notice fails the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# On macOS the smoke test runs the binary inside the .app bundle, so the bundle is what it proves.
if sys.platform == "win32":
    BINARY = ROOT / "dist" / "escapement" / "escapement.exe"
elif sys.platform == "darwin":
    BINARY = ROOT / "dist" / "Escapement.app" / "Contents" / "MacOS" / "escapement"
else:
    BINARY = ROOT / "dist" / "escapement" / "escapement"
SHARE = ROOT / "dist" / "escapement" / "share"
APP_ID = "app.escapement.Escapement"
SOURCES = ("main.py", "build.spec", "pyproject.toml", "app", "ui", "resources", "packaging")
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
BUILD_TIMEOUT_S = 1800
RUN_TIMEOUT_S = 120


def newest_source() -> float:
    files: list[Path] = []
    for name in SOURCES:
        path = ROOT / name
        files += [path] if path.is_file() else [p for p in path.rglob("*.*") if p.is_file()]
    return max(p.stat().st_mtime for p in files if "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def binary() -> Path:
    if BINARY.exists() and BINARY.stat().st_mtime > newest_source():
        return BINARY
    build = subprocess.run(
        ["make", "dist"], cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )
    assert build.returncode == 0, f"make dist failed:\n{build.stdout[-3000:]}{build.stderr[-3000:]}"
    return BINARY


def test_the_built_app_syncs_with_the_sandbox_and_quits_by_itself(
    binary: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ESCAPEMENT_SMOKE": "1"}
    command = [str(binary), "--sandbox", "--data-dir", str(tmp_path / "data")]
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the app did not quit by itself within {RUN_TIMEOUT_S} s:\n{exc.stderr!r}")
    errors = [
        line for line in done.stderr.splitlines() if line.strip() and OFFSCREEN_NOISE not in line
    ]
    assert errors == []
    assert done.returncode == 0
    assert "smoke ok: 5 synced" in done.stdout.splitlines()


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the freedesktop files are Linux's"
)
def test_the_linux_build_carries_its_desktop_entry_metainfo_and_icons(binary: Path) -> None:
    assert (SHARE / "applications" / f"{APP_ID}.desktop").is_file()
    metainfo = SHARE / "metainfo" / f"{APP_ID}.metainfo.xml"
    assert metainfo.is_file()
    sizes = {p.parent.parent.name for p in (SHARE / "icons" / "hicolor").glob(f"*/apps/{APP_ID}.*")}
    assert sizes >= {"16x16", "48x48", "256x256", "512x512", "scalable"}
    if shutil.which("appstreamcli"):
        done = subprocess.run(
            ["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout
