#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
#
# Installs what Portent needs to build, test and benchmark on Debian 12 (bookworm).
# Run as root, or as a user with sudo.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-base-dev-tools libqt6charts6-dev libqt6sql6-sqlite qt6-l10n-tools
    qt6-qpa-plugins libgl-dev libqt6opengl6-dev
    libsqlite3-dev sqlite3 libsqlitecpp-dev libsimdjson-dev libcsv-dev libssl-dev libxxhash-dev
    xvfb xauth imagemagick time
)

run_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

export DEBIAN_FRONTEND=noninteractive
run_as_root apt-get update -q
run_as_root apt-get install -y -q --no-install-recommends "${packages[@]}"
