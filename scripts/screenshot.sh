#!/bin/sh
# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
#
# Regenerates resources/screenshots/main-window.png: the workbench on the sample case at
# 1366x768 under Xvfb. Needs xvfb-run and ImageMagick's `import`.
# Usage: scripts/screenshot.sh [build-dir]   (default: build)
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$repo/build"}
app="$build/app/gui/portent"
out="$repo/resources/screenshots/main-window.png"
[ -x "$app" ] || { echo "no $app; build the 'portent' and 'sample_case' targets first" >&2; exit 1; }

# A throw-away home: fresh settings, and the sample copied anew into its data directory.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$(dirname "$out")"

HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
xvfb-run -a -s "-screen 0 1366x768x24" sh -c '
    "$1" --sample &
    pid=$!
    sleep 6
    import -window root "$2"
    kill "$pid"
' sh "$app" "$out"
echo "wrote $out"
