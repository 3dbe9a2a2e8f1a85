#!/usr/bin/env bash
# Rebuilds the committed seed corpora fuzz/corpus/<target>/ from the project corpus and the shared
# benches. Seeds stay small (< 100 KB each) so that libFuzzer mutates them quickly.
# The repair and facts targets read a selector byte first (see their sources): '2' = OCR'd PDF
# for repair; '0' = born-digital PDF in French, '4' = born-digital PDF in English for facts.
set -euo pipefail
cd "$(dirname "$0")"
root=..
shared=${SHARED:-../../shared}
rm -rf corpus
mkdir -p corpus/pdf_extract corpus/html_extract corpus/repair corpus/facts

small() { [ "$(stat -c %s "$1")" -lt 102400 ]; }

# The project's own corpus/ is not copied: bench/fuzz.sh passes it as a read-only seed folder.
for f in "$shared"/bench/pdf/*.pdf; do
  [ -f "$f" ] && small "$f" && cp "$f" corpus/pdf_extract/
done
# Two pages from each HTML extraction bench set (other sites, other encodings), the smallest.
for set in readability scrapinghub trafilatura-fr-de; do
  for f in "$shared"/bench/html/"$set"/html/*.html.gz; do
    printf '%s %s\n' "$(gzip -dc "$f" | wc -c)" "$f"
  done | sort -n | awk '$1 > 3000 && $1 < 40000 {print $2}' | head -2 | while read -r f; do
    gzip -dc "$f" > "corpus/html_extract/$set-$(basename "$f" .html.gz | cut -c1-12).html"
  done
done

for f in "$root"/corpus/*.txt "$shared"/ocr-seed/003.gold.txt; do
  { printf '2'; cat "$f"; } > "corpus/repair/$(basename "$f")"
done

for f in "$root"/corpus/*.txt; do
  case "$(basename "$f")" in 001.txt) sel=4 ;; *) sel=0 ;; esac
  { printf '%s' "$sel"; cat "$f"; } > "corpus/facts/$(basename "$f")"
done
for f in "$shared"/facts-dev/*.jsonl; do
  name=$(basename "$f" .jsonl)
  case "$name" in *_en|emails|phones|urls) sel=4 ;; *) sel=0 ;; esac
  { printf '%s' "$sel"; python3 -c 'import json,sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.loads(line)["text"])' "$f"; } > "corpus/facts/dev-$name.txt"
done
chmod -R u+w corpus
du -sh corpus/*
