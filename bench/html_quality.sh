#!/usr/bin/env bash
# Main-content quality of the HTML extractor on the three benchmark sets of ../shared/bench/html,
# scored by its score.py (shingle F1 / snippet F1, plus title/author/date/lang metadata).
# Usage: bench/html_quality.sh [OUT_DIR] [extra score.py args, e.g. --bootstrap 200]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="${HTML_BENCH:-$ROOT/../shared/bench/html}"
OUT="${1:-/tmp/docfacts-html-pred}"
shift || true
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target}"
# DOCFACTS_BIN: use this binary instead of building. The target dir is shared with other
# worktrees, so the fresh binary is copied away before another build replaces it.
BIN="${DOCFACTS_BIN:-}"
if [ -z "$BIN" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  BIN="$(mktemp /tmp/docfacts-html-quality.XXXXXX)"
  cp "$CARGO_TARGET_DIR/release/docfacts" "$BIN"
fi
for set in scrapinghub readability trafilatura-fr-de; do
  rm -rf "$OUT/$set"
  "$BIN" html-main "$BENCH/$set/html" -o "$OUT/$set"
  echo "== $set"
  python3 "$BENCH/score.py" "$OUT/$set" --set "$set" --quiet "$@" | tail -n 25
  if [ "$set" = trafilatura-fr-de ]; then
    echo "== $set --lang fr"
    python3 "$BENCH/score.py" "$OUT/$set" --set "$set" --lang fr --quiet "$@" | tail -n 25
  fi
done
