#!/usr/bin/env bash
# Builds lookback-cli and bench_backfill in a build folder of their own and runs the
# backfill benchmark (lookback-cli vs mbsync with and without fsync, same Dovecot,
# cygwin-patches corpus) for the first 1,000 messages, the last 1,000 (the largest ones)
# and the whole corpus (15,304). Results (Markdown) on stdout, progress on stderr.
# About 4 minutes on 2 cores plus the first build; up to about 7 on a disk with slow
# fsync (mbsync fsyncs every message).
#
#   bench/run.sh                          # --messages 1000,last1000,all --rounds 3
#   bench/run.sh --messages 1000 --rounds 1
#   bench/run.sh --tools lookback --messages all --rounds 1   # one tool, one size
#
# Every argument goes to bench_backfill (see bench/bench_backfill.cpp, or run it with --help).
#
#   bench/run.sh gmail                    # bench_gmail: 6,000 messages, Gmail's real quota (~2 minutes)
#   bench/run.sh gmail --quick            # 600 messages, the quota scaled down 10x in size and time (~15 s)
#
#   bench/run.sh graph                    # bench_graph: 6,000 messages, Graph's real limits, 100 ms a request (~1 minute)
#   bench/run.sh graph --quick            # 600 messages, 50 ms a request (~5 s)
#
# With "gmail" first, builds and runs bench_gmail instead (a Gmail backfill against the
# Google fake, measured against the time the quota allows; see bench/bench_gmail.cpp);
# the arguments after it go to bench_gmail. "graph" likewise builds and runs bench_graph (a
# Microsoft 365 backfill against the Microsoft fake with Graph's mailbox limits; see
# bench/bench_graph.cpp).
# Environment: LOOKBACK_BENCH_BUILD_DIR (default: build-bench in the repository),
# LOOKBACK_CORPUS_DIR (default: ../shared/corpus next to the repository), JOBS.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LOOKBACK_BENCH_BUILD_DIR:-$repo/build-bench}"
export LOOKBACK_CORPUS_DIR="${LOOKBACK_CORPUS_DIR:-$(cd "$repo/.." && pwd)/shared/corpus}"

driver=bench_backfill
targets=(lookback-cli bench_backfill)
peers=(isync notmuch time)
if [ "${1:-}" = "gmail" ] || [ "${1:-}" = "graph" ]; then
    # The fake and the engine run inside the driver: no peer tools, no lookback-cli.
    driver="bench_$1"
    targets=("$driver")
    peers=()
    shift
fi

# Packages: the project's own list plus the peers (mbsync for the backfill, notmuch for search).
# shellcheck source=../scripts/deps.sh
source "$repo/scripts/deps.sh"
lookback_install_deps "${peers[@]}" >&2

# The top-level CMakeLists.txt adds bench/ when LOOKBACK_BUILD_BENCH is ON. If this
# checkout does not have that option yet, configure through a throw-away copy of the
# top-level CMakeLists.txt in /tmp (symlinks to everything else), never touching the repo.
src="$repo"
if ! grep -q 'LOOKBACK_BUILD_BENCH' "$repo/CMakeLists.txt"; then
    src="${TMPDIR:-/tmp}/lookback-bench-src-$(id -u)"
    rm -rf "$src"
    mkdir -p "$src"
    for entry in "$repo"/* "$repo"/.[!.]*; do
        [ -e "$entry" ] || continue
        name="$(basename "$entry")"
        case "$name" in
            CMakeLists.txt|build|build-*|.git) continue ;;
        esac
        ln -s "$entry" "$src/$name"
    done
    cp "$repo/CMakeLists.txt" "$src/CMakeLists.txt"
    cat >>"$src/CMakeLists.txt" <<'EOF'

# Added by bench/run.sh (temporary copy; the repository's file is unchanged).
option(LOOKBACK_BUILD_BENCH "Build the benchmark drivers in bench/ (needs LOOKBACK_BUILD_TESTS)" OFF)
if(LOOKBACK_BUILD_BENCH)
    add_subdirectory(bench)
endif()
EOF
    echo "bench/run.sh: top-level CMakeLists.txt has no LOOKBACK_BUILD_BENCH yet; configuring via $src" >&2
fi

# A build folder configured from another source folder cannot be reused.
if [ -f "$build/CMakeCache.txt" ]; then
    home="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")"
    if [ "$home" != "$src" ]; then
        echo "bench/run.sh: $build was configured from $home; starting it afresh" >&2
        rm -rf "$build"
    fi
fi

cmake -S "$src" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DLOOKBACK_BUILD_TESTS=ON \
    -DLOOKBACK_BUILD_BENCH=ON >&2
cmake --build "$build" --target "${targets[@]}" -j"${JOBS:-$(nproc)}" >&2

if [ "$driver" = bench_backfill ] && [ "$#" -eq 0 ]; then
    set -- --messages 1000,last1000,all --rounds 3
fi
exec "$build/bench/$driver" "$@"
