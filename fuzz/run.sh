#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each):
#   fuzz/run.sh [seconds] [target…]
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Corpora grow under fuzz/corpus/ (not committed); crashes land in
# fuzz/artifacts/<target>/ and become regression tests in the crate.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    echo "== $target: ${seconds}s"
    cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len=1048576 -print_final_stats=1 2>&1 \
        | grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|.*ERROR)" || true
    if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
        echo "!! $target: crashes in fuzz/artifacts/$target" >&2
        exit 1
    fi
done
