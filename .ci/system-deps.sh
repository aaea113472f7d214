#!/usr/bin/env bash
# Debian packages the test suite needs; the list lives in scripts/system-deps.sh, which
# `make run` uses too, so CI installs exactly what a real window needs plus the test tools.
set -euo pipefail
exec bash "$(dirname "$0")/../scripts/system-deps.sh" test
