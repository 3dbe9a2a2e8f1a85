#!/usr/bin/env bash
# Runs every cargo-fuzz target for N seconds (default 600) and prints, per target, the executions,
# the coverage reached (libFuzzer `cov:` edges and `ft:` features), the corpus size and the
# crashes found (files under fuzz/artifacts/<target>/).
#
# Usage: bench/fuzz.sh [SECONDS] [TARGET...]     (default: 600 s, all targets)
# Env:   SANITIZER=none|address (default none: the targets look for panics, hangs and memory
#        blow-ups; `address` is ~2x slower and only matters for unsafe code in dependencies)
#        FUZZ_WORK=dir  working corpora, kept between runs (default fuzz/work, git-ignored)
#        CARGO_TARGET_DIR  build folder for the instrumented binaries (default fuzz/target)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and, on a stable toolchain, RUSTC_BOOTSTRAP=1
# (set here): cargo-fuzz passes -Z flags to rustc.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(pdf_extract html_extract repair facts)
fi
sanitizer=${SANITIZER:-none}
work=${FUZZ_WORK:-fuzz/work}
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
  exit 2
fi

echo "== building ${#targets[@]} fuzz targets (sanitizer: $sanitizer) =="
for t in "${targets[@]}"; do
  cargo fuzz build -s "$sanitizer" "$t" 2>&1 | grep -E "^error|warning: unused" || true
done

results=()
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "fuzz/artifacts/$t"
  log="$work/$t.log"
  before=$(find "fuzz/artifacts/$t" -type f | wc -l)
  echo "== $t: ${seconds} s =="
  # First corpus folder = where libFuzzer adds new inputs (the working one); the committed
  # seeds are read only. A crash stops the run: the time left is not used.
  # The extraction targets also start from the project's corpus/ (PDF and HTML pages as they arrive).
  seeds=("fuzz/corpus/$t")
  case "$t" in pdf_extract | html_extract) seeds+=(corpus) ;; esac
  cargo fuzz run -s "$sanitizer" "$t" "$work/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len=131072 \
    -print_final_stats=1 > "$log" 2>&1 || true
  execs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' | tail -1)
  status=$(grep -E "^#[0-9]+.*cov: " "$log" | tail -1)
  cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$status")
  ft=$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$status")
  corp=$(sed -nE 's/.*corp: ([0-9]+\/[0-9A-Za-z]+).*/\1/p' <<<"$status")
  speed=$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$status")
  after=$(find "fuzz/artifacts/$t" -type f | wc -l)
  crash=$(grep -E "^==[0-9]+== ERROR|deadly signal|panicked at|Test unit written" "$log" | head -3 || true)
  line=$(printf '%-13s execs=%-9s exec/s=%-6s cov=%-6s ft=%-7s corpus=%-10s new_artifacts=%s' \
    "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$((after - before))")
  echo "$line"
  [ -n "$crash" ] && echo "$crash" | sed 's/^/    /'
  results+=("$line")
done

echo "== summary (${seconds} s per target, log: $work/<target>.log) =="
printf '%s\n' "${results[@]}"
