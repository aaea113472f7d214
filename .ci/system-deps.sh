#!/usr/bin/env bash
# Debian packages the test suite needs: Qt's offscreen libraries and fonts, and a real
# Secret Service (gnome-keyring in a private D-Bus session) for the keyring test, and
# PostgreSQL for the team-database tests (.ci/postgres.sh runs a private server).
set -euo pipefail
packages=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core gnome-keyring dbus-daemon postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages: ${missing[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
