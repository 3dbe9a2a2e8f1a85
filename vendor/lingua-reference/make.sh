#!/usr/bin/env bash
# Writes tests/lingua/texts.json (paragraphs and lines of the corpus texts, their first 150
# letters, and short phrases) and tests/lingua/reference.json (the published lingua's results
# on them). tests/lingua_patch.rs checks the patched lingua against it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
python3 - "$root" <<'PY'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
texts = set()
for path in sorted((root / "corpus").glob("*.txt")):
    body = path.read_text(encoding="utf-8", errors="replace")
    for paragraph in body.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if 10 <= len(paragraph) <= 2000:
            texts.add(paragraph)
            letters, cut = 0, len(paragraph)
            for at, c in enumerate(paragraph):
                if letters >= 150 and c.isspace():
                    cut = at
                    break
                letters += c.isalpha()
            texts.add(paragraph[:cut])
    for line in body.splitlines():
        line = line.strip()
        if 4 <= len(line) <= 300:
            texts.add(line)
texts.update([
    "languages are awesome", "Sprachen sind großartig", "groß", "Alter", "proarplap",
    "mise en ceuvre", "I'Alliance", "derniéres", "São Paulo", "ação", "¿Qué tal?",
    "Het is een mooie dag", "Buongiorno a tutti", "", "1234 5678", "e-mail: a@b.org",
])
out = root / "tests" / "lingua" / "texts.json"
out.write_text(json.dumps(sorted(texts), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
print(f"{len(texts)} texts -> {out}")
PY
cargo run --quiet --release --manifest-path "$root/vendor/lingua-reference/Cargo.toml" \
  < "$root/tests/lingua/texts.json" > "$root/tests/lingua/reference.json"
echo "wrote $root/tests/lingua/reference.json"
