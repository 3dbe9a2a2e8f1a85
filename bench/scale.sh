#!/usr/bin/env bash
# Scale benchmark of docfacts against the Python stack a user would pick instead.
#
#   bench/scale.sh [--docs N] [--big N | --no-big] [--py-sample N] [--threads-sample N]
#                  [--work DIR [--resume]] [--keep]
#
# 1. Builds a scale corpus of N documents (default 5000) under a temp folder: the corpus/ files,
#    the HTML benchmark pages of ../shared/bench/html, the PDF samples of ../shared/bench/pdf,
#    replicated with small variations (bench/scale/build_corpus.py).
# 2. docfacts on it with all threads (--incremental --timings): docs/s, MB/s, peak RSS
#    (/usr/bin/time -v), per-stage time; then the incremental rerun on the unchanged corpus, and
#    after changing one document; then 1 thread vs all threads on the whole corpus, three
#    interleaved runs each, the median reported (--threads-sample N: an even sample of N
#    documents instead, quicker; a small sample weighs the per-thread warm-up of caches and
#    memos more, and lowers the ratio).
# 3. The Python stack (trafilatura, pdfminer.six, lingua, dateparser search_dates, regexes,
#    phonenumbers; bench/scale/pystack.py, installed in a venv) on the whole corpus: docs/s,
#    MB/s, peak RSS. It takes some 13 minutes on 2 cores. --py-sample N runs it on the seed
#    files plus an even sample instead and extrapolates docs/s; a 200-document sample ran it
#    40 % faster per document than the whole corpus did (few large PDFs, which pdfminer is slow
#    on, fall in a small sample), so a sampled ratio is a conservative one.
# 4. Seed-gold F1 of both on the corpus part (seed/), with ../shared/gold/score.py.
# 5. Peak RSS of docfacts on a corpus of --big documents (default 50000; --no-big skips it).
#
# --resume (with --work): steps whose logs are already in DIR/logs are not run again (to finish
# an interrupted run without redoing its long steps).
#
# Environment: DOCFACTS (binary to measure; default: built with cargo and copied to the work
# folder), PYSTACK_VENV (default $TMPDIR/docfacts-pystack-venv), CARGO_TARGET_DIR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="$(cd "$root/../shared" 2>/dev/null && pwd || true)"
tmp="${TMPDIR:-/tmp}"
docs=5000
big=50000
py_sample=0
threads_sample=0
work=""
keep=0
resume=0
while (($#)); do
  case "$1" in
    --docs) docs="$2"; shift 2 ;;
    --big) big="$2"; shift 2 ;;
    --no-big) big=0; shift ;;
    --py-sample) py_sample="$2"; shift 2 ;;
    --threads-sample) threads_sample="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --resume) resume=1; shift ;;
    --shared) shared="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "scale.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$shared" || ! -d "$shared/bench/html" ]]; then
  echo "scale.sh: ../shared (with bench/html, bench/pdf, gold) not found; pass --shared DIR" >&2
  exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "scale.sh: /usr/bin/time (GNU time) is needed: apt-get install time" >&2
  exit 2
fi
if [[ -z "$work" ]]; then
  work="$(mktemp -d "$tmp/docfacts-scale.XXXXXX")"
fi
mkdir -p "$work/logs"
logs="$work/logs"
if ((keep == 0)); then
  trap 'rm -rf "$work"' EXIT
fi
cores="$(nproc)"
say() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# The binary: a private copy, so that a concurrent build cannot swap it mid-run.
if [[ -z "${DOCFACTS:-}" ]]; then
  say "building docfacts (release)"
  (cd "$root" && cargo build --release --quiet)
  target="${CARGO_TARGET_DIR:-$root/target}"
  cp "$target/release/docfacts" "$work/docfacts"
  DOCFACTS="$work/docfacts"
fi
bin="$DOCFACTS"

# The Python stack, in its own venv.
venv="${PYSTACK_VENV:-$tmp/docfacts-pystack-venv}"
py_check='import trafilatura, pdfminer, lingua, dateparser, phonenumbers'
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "$py_check" 2>/dev/null; then
  say "installing the Python stack into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet trafilatura lxml_html_clean pdfminer.six \
    lingua-language-detector dateparser phonenumbers
fi
"$venv/bin/pip" freeze 2>/dev/null |
  grep -iE '^(trafilatura|pdfminer.six|lingua-language-detector|dateparser|phonenumbers)==' \
    >"$logs/pystack-versions.txt" || true

timed() { # timed NAME CMD...: runs CMD under /usr/bin/time -v, stderr to logs/NAME.err
  local name="$1"; shift
  local status=0
  if ((resume)) && grep -qE 'Exit status: [01]$' "$logs/$name.time" 2>/dev/null; then
    say "  (resumed: $name already done)"
    return 0
  fi
  # Dirty pages of the previous step (the corpus just built, outputs just written) are flushed
  # first, so their writeback does not run during, and slow down, the next timed command.
  sync
  /usr/bin/time -v -o "$logs/$name.time" "$@" >"$logs/$name.out" 2>"$logs/$name.err" || status=$?
  if ((status >= 2)); then
    tail -n 20 "$logs/$name.err" >&2
    echo "scale.sh: $name failed ($status)" >&2
    exit 1
  fi
}

if ((resume == 0)) || [[ ! -s "$logs/uptime-start.txt" ]]; then
  uptime >"$logs/uptime-start.txt"
  cat /proc/pressure/cpu >>"$logs/uptime-start.txt" 2>/dev/null || true
fi
"$bin" --version >"$logs/version.txt" 2>&1 || true

corpus="$work/corpus-$docs"
if ((resume == 0)) || [[ ! -s "$logs/corpus.txt" ]]; then
  say "building the scale corpus: $docs documents"
  python3 "$here/scale/build_corpus.py" --count "$docs" --out "$corpus" \
    --corpus "$root/corpus" --shared "$shared" >"$logs/corpus.txt"
fi
cat "$logs/corpus.txt" >&2
# Input files only (the builder's manifest.tsv is not a document).
mkdir -p "$work/in"
ln -sfn "$corpus/seed" "$work/in/seed"
ln -sfn "$corpus/docs" "$work/in/docs"
inputs=("$work/in")

say "docfacts, all $cores threads (full run, --incremental manifest written)"
timed all "$bin" run "${inputs[@]}" -o "$work/out-all" --incremental --timings
say "docfacts, incremental rerun on the unchanged corpus"
timed rerun "$bin" run "${inputs[@]}" -o "$work/out-all" --incremental --timings
if ((resume == 0)) || [[ ! -s "$logs/changed.txt" ]]; then
  # awk, not head: head would close the pipe early, and pipefail would stop the script.
  changed="$(find "$corpus/docs" -name '*.txt' | LC_ALL=C sort | awk 'NR == 1')"
  printf '\nOne more line, added to change this document.\n' >>"$changed"
  echo "${changed#"$corpus/"}" >"$logs/changed.txt"
fi
say "docfacts, incremental rerun after changing $(cat "$logs/changed.txt")"
timed rerun1 "$bin" run "${inputs[@]}" -o "$work/out-all" --incremental --timings

# 1 thread vs all threads, on an even sample (symlinks, so the files are the same).
rm -rf "$work/in-threads"
python3 - "$corpus" "$threads_sample" "$work/in-threads" <<'EOF'
import os, sys
corpus, sample, dest = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(corpus, "manifest.tsv"))][1:]
step = 1 if sample <= 0 else max(1, len(rows) // sample)
for r in rows[::step][: sample if sample > 0 else None]:
    link = os.path.join(dest, r[0])
    os.makedirs(os.path.dirname(link), exist_ok=True)
    os.symlink(os.path.join(corpus, r[0]), link)
EOF
say "docfacts on $(find "$work/in-threads" -type l | wc -l) sampled documents: all $cores threads, then 1 thread"
# Three interleaved pairs, and the median run of each kind is reported: on a shared machine a
# single pair swings by 10 % either way, which is the whole margin of the target.
for round in 1 2 3; do
  timed "threads-all-$round" "$bin" run "$work/in-threads" -o "$work/out-threads" --timings
  rm -rf "$work/out-threads"
  timed "threads-one-$round" "$bin" run "$work/in-threads" -o "$work/out-threads" --jobs 1 --timings
  rm -rf "$work/out-threads"
done
python3 "$here/scale/median_threads.py" "$logs"

# Python stack: the seed files, then every k-th other document up to the sample size.
say "Python stack on a sample"
python3 - "$corpus" "$py_sample" >"$work/py.list" <<'EOF'
import os, sys
corpus, sample = sys.argv[1], int(sys.argv[2])
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(corpus, "manifest.tsv"))][1:]
seed = [r for r in rows if r[0].startswith("seed/")]
rest = [r for r in rows if not r[0].startswith("seed/")]
want = len(rest) if sample <= 0 else max(0, sample - len(seed))
step = max(1, len(rest) // want) if want else len(rest) + 1
picked = seed + rest[::step][:want]
for r in picked:
    print(f"{r[0]}\t{os.path.join(corpus, r[0])}")
EOF
timed py "$venv/bin/python" "$here/scale/pystack.py" "$work/py.list" "$work/out-py" \
  --workers "$cores"
# docfacts on exactly the Python stack's sample, for a same-files comparison.
rm -rf "$work/in-py"
while IFS=$'\t' read -r rel path; do
  mkdir -p "$(dirname "$work/in-py/$rel")"
  ln -s "$path" "$work/in-py/$rel"
done <"$work/py.list"
say "docfacts on the Python stack's sample"
timed py-docfacts "$bin" run "$work/in-py" -o "$work/out-py-docfacts" --timings
rm -rf "$work/out-py-docfacts"

say "seed-gold F1 on the corpus part"
python3 "$shared/gold/score.py" "$work/out-all/seed" "$shared/gold" --corpus "$root/corpus" \
  >"$logs/f1-docfacts.txt" 2>/dev/null || true
python3 "$shared/gold/score.py" "$work/out-py/seed" "$shared/gold" --corpus "$root/corpus" \
  >"$logs/f1-pystack.txt" 2>/dev/null || true

if ((big > 0)); then
  say "building the big corpus: $big documents"
  rm -rf "$work/out-all" "$work/out-py"
  bigc="$work/corpus-$big"
  python3 "$here/scale/build_corpus.py" --count "$big" --out "$bigc" \
    --corpus "$root/corpus" --shared "$shared" >"$logs/corpus-big.txt"
  cat "$logs/corpus-big.txt" >&2
  mkdir -p "$work/in-big"
  ln -sfn "$bigc/seed" "$work/in-big/seed"
  ln -sfn "$bigc/docs" "$work/in-big/docs"
  say "docfacts, all $cores threads, $big documents"
  timed big "$bin" run "$work/in-big" -o "$work/out-big" --timings
  rm -rf "$work/out-big"
fi
uptime >"$logs/uptime-end.txt"
cat /proc/pressure/cpu >>"$logs/uptime-end.txt" 2>/dev/null || true

python3 "$here/scale/report.py" "$logs" --docs "$docs" --big "$big" --cores "$cores" \
  --corpus "$corpus" --py-list "$work/py.list" --threads-dir "$work/in-threads"
if ((keep)); then
  echo "work folder kept: $work" >&2
fi
