"""The files that make the builds proper apps: Linux desktop entry and AppStream metainfo,
the icons in every size made from resources/escapement.svg, and the Windows version resource.

The validators are the freedesktop tools themselves (Debian: appstream, desktop-file-utils;
scripts/system-deps.sh test installs them); each test skips where its tool is missing.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "app.escapement.Escapement"
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "packaging" / "icons"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"needs {tool} (bash scripts/system-deps.sh test)")
    return path


def test_appstream_metainfo_validates() -> None:
    metainfo = LINUX / f"{APP_ID}.metainfo.xml"
    done = subprocess.run(
        [needs("appstreamcli"), "validate", "--no-net", str(metainfo)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_desktop_entry_validates() -> None:
    entry = LINUX / f"{APP_ID}.desktop"
    done = subprocess.run(
        [needs("desktop-file-validate"), str(entry)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error:" not in done.stdout


def test_metainfo_names_the_desktop_entry_the_binary_and_this_version() -> None:
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == "escapement"
    assert VERSION in [release.get("version") for release in root.iter("release")]


def test_build_spec_uses_the_same_app_id() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert f'APP_ID = "{APP_ID}"' in spec
    entry = (LINUX / f"{APP_ID}.desktop").read_text(encoding="utf-8").splitlines()
    assert f"Icon={APP_ID}" in entry


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_every_hicolor_icon_has_its_size(size: int) -> None:
    image = QImage(str(ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_the_committed_icons_are_made_from_the_current_svg() -> None:
    pytest.importorskip("PIL", reason="Pillow comes with .[dev]")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_icons.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def test_the_ico_and_icns_hold_every_size() -> None:
    image = pytest.importorskip("PIL.Image", reason="Pillow comes with .[dev]")
    with image.open(ICONS / "escapement.ico") as ico:
        assert ico.info["sizes"] == {(s, s) for s in (16, 24, 32, 48, 64, 128, 256)}
    with image.open(ICONS / "escapement.icns") as icns:
        assert {(w, h) for w, h, _scale in icns.info["sizes"]} >= {(16, 16), (512, 512)}


def test_the_windows_version_resource_fills_in_as_one_expression() -> None:
    template = (ROOT / "packaging" / "windows" / "version_info.txt").read_text(encoding="utf-8")
    text = template.replace("{version}", "1.2.3").replace("{numbers}", repr((1, 2, 3, 0)))
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Call)
    assert "StringStruct('ProductVersion', '1.2.3')" in text
    assert "{" not in text
