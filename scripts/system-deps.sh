#!/usr/bin/env bash
# The Debian/Ubuntu packages Escapement needs, shared by `make run` and CI (.ci/system-deps.sh).
#
#   bash scripts/system-deps.sh run    # what a real window needs: Qt's xcb platform libraries
#   bash scripts/system-deps.sh test   # that, plus what the test suite needs
#
# As root it installs what is missing. As anyone else it prints the exact install line and
# exits 1 when something is missing. Without dpkg (not Debian) it does nothing:
# scripts/check_qt_platform.py then names the missing libraries itself.
set -euo pipefail

# Everything PySide6's plugins/platforms/libqxcb.so links against outside Qt (found with ldd;
# scripts/check_qt_platform.py maps each library to these names). Qt's message names only
# xcb-cursor0, whichever of them is missing.
run_packages=(
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libxcb1 libx11-6 libx11-xcb1
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0
  libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0
  libxcb-xkb1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 fonts-dejavu-core
)
# The tests: a real Secret Service (gnome-keyring in a private D-Bus session), PostgreSQL
# (.ci/postgres.sh), a real X server and the tools that find the window in it
# (tests/test_real_window.py), and the validators for the Linux desktop files
# (tests/packaging/).
test_packages=(
  gnome-keyring dbus-daemon postgresql
  xvfb xauth xdotool x11-utils
  appstream desktop-file-utils
)

case "${1:-run}" in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${run_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: $0 [run | test]" >&2; exit 2 ;;
esac

command -v dpkg-query >/dev/null 2>&1 || exit 0

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing=()
for p in "${packages[@]}"; do
  # Ubuntu 24.04 renamed some libraries for 64-bit time (libglib2.0-0 is libglib2.0-0t64).
  installed "$p" || installed "${p}t64" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Escapement needs these system packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
