#!/usr/bin/env bash
# Rebuilds vendor/lingua: lingua 1.8.0 from crates.io (Apache-2.0, by Peter M. Stahl,
# https://github.com/pemistahl/lingua-rs), trimmed to the library, with vendor/lingua.patch
# applied. See vendor/README.md for what the patch does and why.
#
#   vendor/make-lingua.sh            rebuild vendor/lingua from the published crate
#   vendor/make-lingua.sh --diff     rewrite vendor/lingua.patch from the edited vendor/lingua
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=1.8.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/lingua-$version.crate 2>/dev/null | head -1 || true)
if [ -z "$crate" ]; then
  crate=$work/lingua.crate
  curl -sSfL -o "$crate" "https://static.crates.io/crates/lingua/lingua-$version.crate"
fi
tar xzf "$crate" -C "$work"
pristine=$work/pristine
mkdir -p "$pristine"
# The library only: no binaries, tests, benchmarks, images or accuracy reports.
cp -r "$work/lingua-$version/Cargo.toml" "$work/lingua-$version/LICENSE" "$work/lingua-$version/src" "$pristine/"
rm -rf "$pristine/src/bin"
python3 - "$pristine/Cargo.toml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
# Drop the [[bin]], [[test]] and [[bench]] targets (their files are not vendored) and build
# an rlib only.
text = re.sub(r'\n\[\[(?:bin|test|bench)\]\]\n(?:[^\[\n][^\n]*\n)*', '\n', text)
text = text.replace('crate-type = [\n    "cdylib",\n    "rlib",\n]', 'crate-type = ["rlib"]')
open(path, 'w').write(text)
PY

if [ "${1:-}" = "--diff" ]; then
  (cd "$work" && diff -ruN pristine "$here/lingua" | sed -E "s#$here/lingua#patched#; s#^((---|\+\+\+) [^\t]*)\t.*#\1#") > "$here/lingua.patch" || true
  echo "wrote $here/lingua.patch"
else
  (cd "$pristine" && patch -p1 --quiet < "$here/lingua.patch")
  rm -rf "$here/lingua"
  cp -r "$pristine" "$here/lingua"
  echo "rebuilt $here/lingua"
fi
