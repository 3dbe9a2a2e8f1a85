#!/usr/bin/env bash
# Kill-and-resume: a run killed with SIGKILL at random moments, then run to completion, must give
# the same output folder, byte for byte, as a clean run; no temporary file may be left and
# summary.json must exist. Checked for a plain rerun and for `--incremental` reruns.
#
# Usage: bench/kill_resume.sh [REPLICAS] [KILLS]   (default 200 replicas of corpus/, 5 kills)
# Env:   JOBS=n (worker threads, default: all cores), SEED=n (random kill moments, default: $RANDOM)
#        KEEP=1 keeps the temp folder
#        DOCFACTS_BIN=path tests that binary instead of building one (with a target folder
#        shared by several worktrees, copy the binary right after your own build)
set -euo pipefail
cd "$(dirname "$0")/.."
replicas=${1:-200}
kills=${2:-5}
seed=${SEED:-$RANDOM}
RANDOM=$seed
jobs_args=()
[ -n "${JOBS:-}" ] && jobs_args=(-j "$JOBS")

if [ -n "${DOCFACTS_BIN:-}" ]; then
  bin=$DOCFACTS_BIN
else
  echo "== building the release binary =="
  cargo build --release -q
  bin=$(cargo metadata --format-version 1 --no-deps 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/docfacts
fi
tmp=$(mktemp -d)
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; fi
# Run from a private copy: the manifest hashes the executable, and a rebuild by someone else
# during the test must not change it.
cp "$bin" "$tmp/docfacts"
bin="$tmp/docfacts"

in="$tmp/in"
mkdir -p "$in"
for i in $(seq 0 $((replicas - 1))); do
  # Hard links: the same bytes, no disk space (copies where links are refused).
  cp -al corpus "$in/$(printf 'r%03d' "$i")" 2>/dev/null || cp -a corpus "$in/$(printf 'r%03d' "$i")"
done
files=$(find "$in" -type f | wc -l)
echo "input: $replicas replicas of corpus/ = $files files (kill seed $seed)"

run() { "$bin" run "$in" -o "$@" "${jobs_args[@]}" >/dev/null 2>&1 || true; }

start=$(date +%s.%N)
run "$tmp/A"
clean=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
echo "clean run into A: ${clean} s"
[ -f "$tmp/A/summary.json" ] || { echo "FAIL: the clean run wrote no summary.json"; exit 1; }

# Kills at random moments within the clean run's duration (at least 0.3 s in, so that some
# output has been written; the binary's start-up takes about that long).
kill_run() { # OUT extra-args...
  local out=$1
  shift
  for k in $(seq 1 "$kills"); do
    local delay
    delay=$(python3 -c "import random; random.seed($seed * 100 + $k); print(round(random.uniform(0.3, max(0.6, $clean * 0.9)), 2))")
    "$bin" run "$in" -o "$out" "$@" "${jobs_args[@]}" >/dev/null 2>&1 &
    local pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local done_files temps
    done_files=$(find "$out" -name '*.json' -not -name '.*' 2>/dev/null | wc -l)
    temps=$(find "$out" -name '.*.tmp*' 2>/dev/null | wc -l)
    echo "  kill $k after ${delay} s: $done_files records on disk, $temps temp files left"
  done
}

check() { # NAME OUT
  local name=$1 out=$2 ok=1
  if ! diff -r -x '.docfacts-manifest.json' "$tmp/A" "$out" >"$tmp/$name.diff" 2>&1; then
    echo "FAIL $name: output differs from the clean run ($(wc -l <"$tmp/$name.diff") diff lines):"
    head -20 "$tmp/$name.diff"
    ok=0
  fi
  local temps
  temps=$(find "$out" -name '.*.tmp*' | wc -l)
  if [ "$temps" -ne 0 ]; then
    echo "FAIL $name: $temps temporary files left:"
    find "$out" -name '.*.tmp*' | head -5
    ok=0
  fi
  if [ ! -f "$out/summary.json" ]; then
    echo "FAIL $name: no summary.json"
    ok=0
  fi
  if [ "$ok" = 1 ]; then
    echo "OK $name: identical to the clean run ($(find "$out" -name '*.json' -not -name '.*' | wc -l) files), no temp files, summary.json present"
  fi
  [ "$ok" = 1 ]
}

status=0
echo "== B: $kills kills, then a plain rerun =="
kill_run "$tmp/B"
run "$tmp/B"
check B "$tmp/B" || status=1

echo "== C: $kills kills of --incremental runs, then an --incremental rerun =="
kill_run "$tmp/C" --incremental
start=$(date +%s.%N)
"$bin" run "$in" -o "$tmp/C" --incremental "${jobs_args[@]}" >"$tmp/C.log" 2>&1 || true
echo "  final incremental run: $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s: $(tail -1 "$tmp/C.log")"
check C "$tmp/C" || status=1

echo "== D: a complete --incremental run, a plain run with other settings killed, then --incremental =="
# The killed run rewrites records with other settings: the manifest must not vouch for them.
run "$tmp/D" --incremental
"$bin" run "$in" -o "$tmp/D" --repair-disable lexical "${jobs_args[@]}" >/dev/null 2>&1 &
pid=$!
sleep "$(python3 -c "print(max(0.6, $clean / 2))")"
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
run "$tmp/D" --incremental
check D "$tmp/D" || status=1

if [ "$status" = 0 ]; then echo "kill-resume: PASS"; else echo "kill-resume: FAIL"; fi
exit "$status"
