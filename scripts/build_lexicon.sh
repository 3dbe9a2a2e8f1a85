#!/bin/sh
# Regenerates rules/lexicon/*.gz from Debian's hunspell dictionaries and wordfreq.
# Run from the repository root, as root (apt) on Debian/Ubuntu. The build and tests never run
# this: they use the committed files.
set -eu
apt-get update
apt-get install -y hunspell hunspell-tools hunspell-fr-comprehensive hunspell-en-us hunspell-en-gb python3-venv
VENV="${VENV:-/tmp/docfacts-lexicon-venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q 'wordfreq==3.1.1'
"$VENV/bin/python" scripts/build_lexicon.py rules/lexicon
