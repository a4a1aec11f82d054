#!/usr/bin/env bash
# Runs every cargo-fuzz target (or the ones named) for a bounded time each, starting from the
# small seed corpus committed under fuzz/corpus/<target>/. New inputs the fuzzer finds go to a
# scratch folder, so the committed seeds stay as they are; crashes land in fuzz/artifacts/.
#
#   scripts/fuzz.sh            # 60 s per target
#   scripts/fuzz.sh 300 csv_ingest spreadsheet_ingest
#
# cargo-fuzz needs nightly compiler features: the script uses a nightly toolchain when rustup
# has one, and otherwise the stable compiler with RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(money date csv_ingest spreadsheet_ingest xlsx_sheet)
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=(+nightly)
else
    export RUSTC_BOOTSTRAP=1
fi
target_dir="${FUZZ_TARGET_DIR:-$HOME/.cache/fundrisk-fuzz-target}"

status=0
for target in "${targets[@]}"; do
    scratch="fuzz/scratch/$target"
    mkdir -p "$scratch" "fuzz/artifacts/$target"
    extra=()
    if [ "$target" = spreadsheet_ingest ]; then
        # calamine's .xls reader can ask for gigabytes on a malformed file; fundrisk runs it in
        # a child process under a memory cap, so here an out-of-memory is noted, not fatal.
        extra=(-fork=1 -ignore_ooms=1)
    fi
    echo "== $target: ${seconds}s"
    if ! cargo "${toolchain[@]}" fuzz run "$target" --fuzz-dir fuzz --target-dir "$target_dir" \
        "$scratch" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
        "${extra[@]}"; then
        echo "== $target: FAILED (see fuzz/artifacts/$target/)"
        status=1
    fi
    rm -rf "$scratch"
done
exit $status
