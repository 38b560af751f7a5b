#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
#
# Import and detection benchmark: Portent against the sqlite3 shell on the same generated
# Defender export, in one run on one machine.
#
#   scripts/bench.sh [--rows N] [--reps N] [--cli PATH] [--keep DIR]
#
# Generates N events (default 1,000,000, about 790 MB of CSV) with portent-cli generate, then
# runs each measurement --reps times (default 3) and reports medians:
#   - portent-cli import into a fresh case: wall time, rows/s, peak RSS
#   - sqlite3 .import --csv into a fresh database: wall time, peak RSS
#   - portent-cli detect (default rule): the match phase (what produces the matches, the figure
#     compared with the SQL rule), the whole engine (matches plus the candidate count for the
#     status line) and the whole command
#   - scripts/bench-rule.sql (the same rule as SQL) in sqlite3 over the imported table
# Needs /usr/bin/time (Debian package "time") and sqlite3 (package "sqlite3").
# Goals: import <= 0.5x sqlite3's .import, detection >= 10x faster than the SQL, peak RSS < 256 MB.
set -euo pipefail

rows=1000000
reps=3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cli="${PORTENT_CLI:-}"
keep=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rows) rows="$2"; shift 2 ;;
        --reps) reps="$2"; shift 2 ;;
        --cli) cli="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        -h|--help) sed -n '3,19p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument $1" >&2; exit 1 ;;
    esac
done
if [[ -z "$cli" ]]; then
    # The README's build directory first; never the sanitizer build CI also makes, which runs
    # several times slower and uses several times the memory.
    for candidate in "$here"/../build/app/cli/portent-cli "$here"/../build*/app/cli/portent-cli; do
        [[ "$candidate" == *sanitize* ]] && continue
        [[ -x "$candidate" ]] && cli="$candidate" && break
    done
fi
for tool in /usr/bin/time sqlite3; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing" >&2; exit 2; }
done
[[ -x "$cli" ]] || { echo "bench.sh: portent-cli not found; pass --cli PATH" >&2; exit 2; }

work="${keep:-$(mktemp -d "${TMPDIR:-/tmp}/portent-bench.XXXXXX")}"
mkdir -p "$work"
[[ -n "$keep" ]] || trap 'rm -rf "$work"' EXIT
csv="$work/events.csv"

echo "portent-cli: $cli ($("$cli" --version))"
echo "sqlite3:     $(sqlite3 --version | cut -d' ' -f1)"
echo "machine:     $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)"
echo "work dir:    $work"
if [[ ! -s "$csv" ]]; then
    "$cli" generate "$csv" --rows "$rows" --seed 1 --truth "$work/truth.csv" >/dev/null
fi
bytes=$(stat -c %s "$csv")
echo "export:      $rows rows, $((bytes / 1000000)) MB"
echo

# run NAME COMMAND...: appends "wall_seconds max_rss_kb" to $work/NAME.times. The previous
# step's writes are flushed first (sync), so that writing back one tool's output does not slow
# down the next tool's measurement.
run() {
    local name="$1"; shift
    sync
    /usr/bin/time -f "%e %M" -o "$work/$name.last" "$@"
    cat "$work/$name.last" >> "$work/$name.times"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
column_median() { awk -v c="$2" '{ print $c }' "$work/$1.times" | median; }

rm -f "$work"/*.times "$work/engine.ms" "$work/match.ms"
for ((i = 1; i <= reps; ++i)); do
    echo "repetition $i of $reps"
    rm -f "$work/case.portent" "$work/case.portent-wal" "$work/case.portent-shm"
    run import "$cli" import "$work/case.portent" "$csv" >/dev/null

    rm -f "$work/sqlite.db"
    run sqlite_import sqlite3 "$work/sqlite.db" ".import --csv $csv events"

    run detect "$cli" detect "$work/case.portent" --format csv \
        >"$work/portent-matches.csv" 2>"$work/detect.err"
    grep -o 'detection [0-9]* ms' "$work/detect.err" | grep -o '[0-9]*' >> "$work/engine.ms"
    grep -o 'matches [0-9]* ms' "$work/detect.err" | grep -o '[0-9]*' >> "$work/match.ms"

    run sql_rule sqlite3 -csv -header "$work/sqlite.db" ".read $here/bench-rule.sql" \
        >"$work/sql-matches.csv"
done

portent_matches=$(($(wc -l < "$work/portent-matches.csv") - 1))
sql_matches=$(($(wc -l < "$work/sql-matches.csv") - 1))
truth_beacons=$(grep -c ',beacon,' "$work/truth.csv" || true)

import_s=$(column_median import 1)
import_kb=$(column_median import 2)
sqlite_import_s=$(column_median sqlite_import 1)
sqlite_import_kb=$(column_median sqlite_import 2)
detect_s=$(column_median detect 1)
detect_kb=$(column_median detect 2)
engine_ms=$(median < "$work/engine.ms")
match_ms=$(median < "$work/match.ms")
sql_s=$(column_median sql_rule 1)
sql_kb=$(column_median sql_rule 2)

awk -v rows="$rows" -v is="$import_s" -v ikb="$import_kb" -v ss="$sqlite_import_s" \
    -v skb="$sqlite_import_kb" -v ds="$detect_s" -v dkb="$detect_kb" -v ems="$engine_ms" \
    -v mms="$match_ms" \
    -v qs="$sql_s" -v qkb="$sql_kb" -v reps="$reps" 'BEGIN {
    printf "\nMedians of %d repetitions\n", reps
    printf "%-34s %12s %12s %10s %s\n", "measure", "Portent", "sqlite3", "ratio", "goal"
    printf "%-34s %12.2f %12.2f %9.2fx %s\n", "import wall time (s)", is, ss, is / ss,
           (is / ss <= 0.5 ? "<= 0.5x: met" : "<= 0.5x: NOT met")
    printf "%-34s %12.0f %12.0f\n", "import rows/s", rows / is, rows / ss
    printf "%-34s %12.0f %12.0f %10s %s\n", "import peak RSS (MB)", ikb / 1024, skb / 1024, "",
           (ikb / 1024 < 256 ? "< 256 MB: met" : "< 256 MB: NOT met")
    m = mms / 1000 > 0 ? mms / 1000 : 0.001
    printf "%-34s %12.3f %12.3f %9.1fx %s\n", "detection, match phase (s)", mms / 1000, qs,
           qs / m, (qs / m >= 10 ? ">= 10x: met" : ">= 10x: NOT met")
    e = ems / 1000 > 0 ? ems / 1000 : 0.001
    printf "%-34s %12.3f %12.3f %9.1fx\n", "detection, + candidate count (s)", ems / 1000, qs,
           qs / e
    printf "%-34s %12.3f %12.3f %9.1fx\n", "detection, whole command (s)", ds, qs, qs / ds
    printf "%-34s %12.0f %12.0f %10s %s\n", "detection peak RSS (MB)", dkb / 1024, qkb / 1024, "",
           (dkb / 1024 < 256 ? "< 256 MB: met" : "< 256 MB: NOT met")
}'
echo
echo "matches: Portent $portent_matches, SQL rule $sql_matches, planted beacons $truth_beacons"
if [[ "$portent_matches" != "$sql_matches" || "$portent_matches" != "$truth_beacons" ]]; then
    echo "bench.sh: the match counts disagree" >&2
    exit 3
fi
