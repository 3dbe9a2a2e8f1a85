#!/bin/sh
# Fact stage throughput: the corpus texts repeated to >= 50 MB (FACTS_BENCH_MB to change),
# one thread, rules compiled once. Prints "facts stage: N MB ... X MB/s".
set -e
cd "$(dirname "$0")/.."
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target}" cargo test --release --test facts_bench -- --ignored --nocapture 2>&1 | grep "facts stage"
