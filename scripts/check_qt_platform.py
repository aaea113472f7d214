"""Before `make run` opens a window: does Qt's platform plugin load here? If not, say why.

Qt's own message blames xcb-cursor0 whatever library is missing (seen on a fresh Debian 12
where libxcb-icccm4 and libxcb-keysyms1 were the missing ones). This starts a QGuiApplication
in a child process, exactly as the app would, and when that fails lists the libraries the
xcb plugin cannot find (`ldd`) with the exact install line. Exit 0 when the plugin loads,
1 when it does not. Nothing to check on Windows and macOS: their plugins need no extra
system libraries.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

START_TIMEOUT_S = 60
PROBE = "from PySide6.QtGui import QGuiApplication; QGuiApplication([])"

# What PySide6's libqxcb.so links against, outside Qt itself (`ldd` on PySide6 6.12), and
# the Debian 12 / Ubuntu package that ships each. scripts/system-deps.sh installs them all;
# tests/scripts/test_check_qt_platform.py keeps the two lists in step.
XCB_LIBRARIES = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
_NOT_FOUND = re.compile(r"^\s*(\S+) => not found", re.MULTILINE)


def plugin_loads(env: dict[str, str]) -> tuple[bool, str]:
    """Whether a QGuiApplication starts with this environment, and what Qt said on stderr."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE],
            env=env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return False, f"Qt did not start within {START_TIMEOUT_S} s"
    return done.returncode == 0, done.stderr


def xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")  # found, not imported: no Qt in this process
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(spec.submodule_search_locations[0]) / "Qt/plugins/platforms/libqxcb.so"
    return plugin if plugin.exists() else None


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames `ldd` could not resolve, each once, in the order it named them."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def install_line(missing: list[str]) -> str | None:
    """`sudo apt-get install -y …` for the missing libraries, when every one is known."""
    packages = [XCB_LIBRARIES.get(name) for name in missing]
    if not packages or None in packages:
        return None
    return "sudo apt-get install -y " + " ".join(sorted({p for p in packages if p}))


def advice(env: dict[str, str], qt_stderr: str, missing: list[str]) -> str:
    """What to tell someone whose window could not open."""
    if missing:
        lines = [f"Qt's xcb platform plugin cannot load: missing {', '.join(missing)}."]
        line = install_line(missing)
        if line:
            lines += ["Install them with:", f"  {line}"]
        else:
            lines.append(
                "Install the packages that provide them with your system's package manager."
            )
        return "\n".join(lines)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return (
            "No display: neither DISPLAY nor WAYLAND_DISPLAY is set. Run `make run` in a desktop"
            " session, or use the command line (`python main.py --help`)."
        )
    said = "\n".join(qt_stderr.strip().splitlines()[-5:])
    return (
        f"Qt could not start a window here. Qt said:\n{said}\n"
        "Rerun with QT_DEBUG_PLUGINS=1 for details."
    )


def main() -> int:
    if not sys.platform.startswith("linux"):
        return 0
    env = dict(os.environ)
    ok, qt_stderr = plugin_loads(env)
    if ok:
        return 0
    plugin = xcb_plugin()
    missing: list[str] = []
    if plugin is not None and shutil.which("ldd"):
        ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False)
        missing = missing_libraries(ldd.stdout)
    print(advice(env, qt_stderr, missing), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
