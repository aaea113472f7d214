"""scripts/check_qt_platform.py: what `make run` says when Qt's window cannot open."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_qt_platform.py"

# What `ldd libqxcb.so` printed on a fresh Debian 12 (trimmed).
LDD_FRESH_DEBIAN = """\
\tlinux-vdso.so.1 (0x00007f1dd7451000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f1dd7320000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f1dd6771000)
\tlibxcb-keysyms.so.1 => not found
\tlibX11.so.6 => /lib/x86_64-linux-gnu/libX11.so.6 (0x00007f1dd5e43000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
"""


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_qt_platform", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = load()


def test_the_missing_libraries_are_read_from_ldd_once_each_in_order() -> None:
    assert check.missing_libraries(LDD_FRESH_DEBIAN) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_the_advice_names_the_libraries_and_the_exact_install_line() -> None:
    missing = check.missing_libraries(LDD_FRESH_DEBIAN)
    said = check.advice({"DISPLAY": ":0"}, "xcb-cursor0 is needed", missing)
    assert "missing libxcb-icccm.so.4, libxcb-keysyms.so.1" in said
    assert "  sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1" in said.splitlines()


def test_an_unknown_library_gets_no_made_up_package_name() -> None:
    said = check.advice({"DISPLAY": ":0"}, "", ["libxcb-icccm.so.4", "libfoo.so.9"])
    assert "libfoo.so.9" in said
    assert "apt-get" not in said


@given(st.lists(st.sampled_from(sorted(check.XCB_LIBRARIES)), min_size=1))
def test_every_known_library_maps_to_its_package_once(missing: list[str]) -> None:
    line = check.install_line(missing)
    assert line is not None
    packages = line.removeprefix("sudo apt-get install -y ").split()
    assert sorted(packages) == sorted({check.XCB_LIBRARIES[name] for name in missing})


def test_system_deps_installs_every_package_the_xcb_plugin_needs() -> None:
    text = (ROOT / "scripts" / "system-deps.sh").read_text(encoding="utf-8")
    listed = re.search(r"run_packages=\((.*?)\)", text, re.DOTALL)
    assert listed is not None
    assert set(check.XCB_LIBRARIES.values()) <= set(listed.group(1).split())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_without_a_display_the_script_says_so_and_fails(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env |= {"QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    # With the xcb libraries installed the reason is the display; without, the libraries.
    assert "No display" in done.stderr or "sudo apt-get install -y" in done.stderr


def test_with_a_platform_that_loads_the_script_passes(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stderr) == (0, "")
