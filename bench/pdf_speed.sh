#!/usr/bin/env bash
# PDF text extraction speed: docfacts (examples/pdftext, extraction alone) vs pdftotext, same run.
#
# Builds a 200+ page PDF by concatenating the sample PDFs (qpdf), extracts its text with both
# tools (best of N runs, wall clock, process start included for both), prints pages/s and the
# ratio docfacts / pdftotext (>= 1.0 means docfacts is at least as fast).
#
# usage: bench/pdf_speed.sh [SAMPLES_DIR] [COPIES] [RUNS]
#   SAMPLES_DIR  default ../shared/bench/pdf (every *.pdf in it is used)
#   COPIES       times each sample is repeated (default 16: 13 sample pages x 16 = 208 pages)
#   RUNS         timing runs per tool, best kept (default 3)
# needs: qpdf, pdftotext (apt-get install -y qpdf poppler-utils), python3
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-../shared/bench/pdf}
copies=${2:-16}
runs=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in qpdf pdftotext python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y qpdf poppler-utils)" >&2; exit 2; }
done
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target} cargo build --release --example pdftext -q
ours="${CARGO_TARGET_DIR:-/work/target}/release/examples/pdftext"

pages_args=()
for _ in $(seq "$copies"); do
  for f in "$samples"/*.pdf; do pages_args+=("$f"); done
done
big="$work/big.pdf"
qpdf --empty --pages "${pages_args[@]}" -- "$big"
pages=$(qpdf --show-npages "$big")
echo "test file: $pages pages, $(du -h "$big" | cut -f1) ($copies copies of $(ls "$samples"/*.pdf | wc -l) samples)"

best_time() { # best wall time in seconds of "$@" over $runs runs
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = None
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    d = time.perf_counter() - t
    best = d if best is None else min(best, d)
print(f"{best:.4f}")
PY
}

t_ours=$(best_time "$ours" --out "$work" "$big")
t_ptt=$(best_time pdftotext "$big" "$work/ptt.txt")
python3 - "$pages" "$t_ours" "$t_ptt" <<'PY'
import sys
pages, ours, ptt = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"docfacts  {ours:8.3f} s  {pages / ours:8.1f} pages/s  {1000 * ours / pages:6.2f} ms/page")
print(f"pdftotext {ptt:8.3f} s  {pages / ptt:8.1f} pages/s  {1000 * ptt / pages:6.2f} ms/page")
print(f"ratio (docfacts pages/s / pdftotext pages/s): {ptt / ours:.2f}")
PY
