#!/usr/bin/env bash
# Runs the Spark job in local mode on the corpus and checks that its JSON lines equal the plain
# run's (`docfacts run corpus --jsonl`) byte for byte after sorting lines; once with inputs given
# by path, once with the bytes read by Spark and shipped on stdin (the HDFS/S3 route).
#
#   contrib/spark/test_spark.sh [CORPUS]
#
# Environment: DOCFACTS (binary; default: target/release/docfacts, built if missing),
# SPARK_VENV (venv with pyspark, created if missing; default: $TMPDIR/docfacts-spark-venv),
# PARTITIONS (default 3), KEEP=1 keeps the work folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="$(cd "${1:-$root/corpus}" && pwd)"
tmp="${TMPDIR:-/tmp}"
venv="${SPARK_VENV:-$tmp/docfacts-spark-venv}"
partitions="${PARTITIONS:-3}"

if [[ -z "${DOCFACTS:-}" ]]; then
  DOCFACTS="$root/target/release/docfacts"
  if [[ ! -x "$DOCFACTS" ]]; then
    (cd "$root" && cargo build --release --quiet)
  fi
fi
DOCFACTS="$(cd "$(dirname "$DOCFACTS")" && pwd)/$(basename "$DOCFACTS")"

if ! command -v java >/dev/null; then
  echo "test_spark: java is needed (Java 17)" >&2
  exit 2
fi
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
  echo "test_spark: installing pyspark into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pyspark
fi
export PYSPARK_PYTHON="$venv/bin/python"
export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

work="$(mktemp -d "$tmp/docfacts-spark-test.XXXXXX")"
if [[ "${KEEP:-0}" != 1 ]]; then
  trap 'rm -rf "$work"' EXIT
fi

status=0
"$DOCFACTS" run "$corpus" --jsonl >"$work/plain.jsonl" 2>"$work/plain.err" || status=$?
if ((status >= 2)); then
  cat "$work/plain.err" >&2
  echo "test_spark: plain run failed ($status)" >&2
  exit 1
fi
LC_ALL=C sort "$work/plain.jsonl" >"$work/plain.sorted"
docs=$(wc -l <"$work/plain.sorted")

failed=0
for mode in path bytes; do
  extra=()
  [[ "$mode" == bytes ]] && extra=(--ship-bytes)
  "$venv/bin/python" "$here/docfacts_spark.py" "$corpus" -o "$work/spark-$mode" \
    --master "local[2]" --partitions "$partitions" --docfacts "$DOCFACTS" "${extra[@]}" \
    2>"$work/spark-$mode.err" || {
    tail -n 30 "$work/spark-$mode.err" >&2
    echo "FAIL spark ($mode): the job failed" >&2
    failed=$((failed + 1))
    continue
  }
  parts=$(find "$work/spark-$mode" -name 'part-*' | wc -l)
  cat "$work/spark-$mode"/part-* | LC_ALL=C sort >"$work/spark-$mode.sorted"
  if cmp -s "$work/plain.sorted" "$work/spark-$mode.sorted"; then
    echo "ok   spark ($mode): $docs documents in $parts part files, equal to the plain run byte for byte (sorted lines)"
  else
    echo "FAIL spark ($mode): output differs from the plain run" >&2
    diff <(cut -c1-200 "$work/plain.sorted") <(cut -c1-200 "$work/spark-$mode.sorted") | head -n 20 >&2
    failed=$((failed + 1))
  fi
done

echo "$((2 - failed)) passed, $failed failed"
((failed == 0))
