#!/usr/bin/env bash
# Full-size hostile-corpus run (issue: hostile input): >= 1,000 generated files, 0 panics, 0 hangs,
# summary counts that add up; then the peak memory of a 1 GB Flate bomb (goal: < 300 MB).
# Usage: bench/hostile.sh [COUNT]    (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}

echo "== hostile corpus: $count files (release build) =="
start=$(date +%s)
HOSTILE_COUNT=$count cargo test --release --test hostile -- --ignored --nocapture hostile_corpus_full 2>&1 \
  | grep -E "hostile corpus:|test result|panicked" || true
echo "wall: $(( $(date +%s) - start )) s"

echo "== Flate bomb: 1 GiB of content stream in a small PDF =="
cargo build --release -q
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/bomb.pdf" <<'PY'
import sys, zlib
line = b"BT /F1 12 Tf 72 700 Td (bomb) Tj ET\n"
comp = zlib.compressobj(1)
parts = [comp.compress(line * (1 << 20)) for _ in range((1 << 30) // (len(line) << 20))]
data = b"".join(parts) + comp.flush()
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"]
out = bytearray(b"%PDF-1.7\n"); offs = []
for i, o in enumerate(objs):
    offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out); out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs: out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
print(f"bomb.pdf: {len(out)} bytes on disk, {len(line) * (1 << 20) * len(parts)} bytes inflated")
PY
/usr/bin/time -v target/release/docfacts run "$tmp/bomb.pdf" -o "$tmp/out" 2> "$tmp/time.txt" || true
grep -E "docfacts:|failed:" "$tmp/time.txt" || true
rss_kb=$(grep "Maximum resident set size" "$tmp/time.txt" | awk '{print $NF}')
echo "peak RSS: $(( rss_kb / 1024 )) MB (goal < 300 MB)"
