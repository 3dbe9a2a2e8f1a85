#!/usr/bin/env python3
"""Regenerates rules/lexicon/ from the Debian hunspell packages and wordfreq.

Needs (see build_lexicon.sh): hunspell-fr-comprehensive, hunspell-en-us, hunspell-en-gb,
hunspell-tools (unmunch), hunspell (the checker), and `wordfreq` in a Python venv.

Method, per language:
  1. candidates = affix expansion of the .dic stems by `unmunch` (its French output glues
     elision prefixes and flag residue to the forms: stripped here) + every wordfreq token;
  2. `hunspell -G` keeps only the candidates the dictionary itself accepts, so the form list
     is exactly "words the MPL/SCOWL dictionary accepts" (a derived work of that dictionary);
  3. frequencies: wordfreq zipf of each accepted form (lower-cased), as a separate file.
Outputs are gzip'd, sorted, one entry per line; the Rust side builds FSTs from them at start-up.
"""
import gzip
import os
import re
import subprocess
import sys

DICT_DIR = "/usr/share/hunspell"
OUT = sys.argv[1] if len(sys.argv) > 1 else "rules/lexicon"

# French elision prefixes unmunch glues in front of forms (`qu'laissait`, `s'arnica`).
FR_PREFIX = re.compile(
    r"^(?:(?:[lLdDjJmMnNsStTcC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu|[Qq]uoiqu)['’])+"
)

LANGS = {
    # language: (hunspell dictionaries whose forms are merged, wordfreq language)
    "fr": (["fr"], "fr"),
    "en": (["en_US", "en_GB"], "en"),
}


def unmunch_forms(name):
    dic = os.path.join(DICT_DIR, name + ".dic")
    aff = os.path.join(DICT_DIR, name + ".aff")
    res = subprocess.run(
        ["unmunch", dic, aff], capture_output=True, check=True
    )
    forms = set()
    for line in res.stdout.decode("utf-8", "replace").splitlines():
        w = line.strip().split("/")[0].rstrip("0|")
        w = FR_PREFIX.sub("", w) if name.startswith("fr") else w
        if w and not w.startswith("-") and "\ufffd" not in w:
            forms.add(w)
    return forms


def accepted(name, candidates):
    """The candidates that `hunspell -d name -G` accepts."""
    res = subprocess.run(
        ["hunspell", "-d", os.path.join(DICT_DIR, name), "-G"],
        input="\n".join(sorted(candidates)).encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return {w for w in res.stdout.decode("utf-8").splitlines() if w}


def write_gz(path, lines):
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        for line in lines:
            f.write(line + "\n")
    # Reproducible output: zero the gzip header mtime (bytes 4..8).
    with open(path, "r+b") as f:
        f.seek(4)
        f.write(b"\0\0\0\0")


def main():
    import wordfreq

    os.makedirs(OUT, exist_ok=True)
    for lang, (dicts, wf_lang) in LANGS.items():
        freq = wordfreq.get_frequency_dict(wf_lang, wordlist="large")
        wf_tokens = {w for w in freq if re.fullmatch(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", w)}
        forms = set()
        for name in dicts:
            cands = unmunch_forms(name) | wf_tokens | {w.capitalize() for w in wf_tokens}
            ok = accepted(name, cands)
            print(f"{lang}/{name}: {len(cands)} candidates, {len(ok)} accepted", file=sys.stderr)
            forms |= ok
        # `hunspell -G` accepts the capitalised form of every word; the lookup already tries the
        # lower-cased form, so keep a capitalised form only when it is a word of its own (names).
        forms = {w for w in forms if w == w.lower() or w.lower() not in forms}
        words = sorted(forms, key=lambda s: s.encode("utf-8"))
        write_gz(os.path.join(OUT, f"{lang}.words.gz"), words)
        lower = {w.lower() for w in forms}
        freq_lines = []
        for w in sorted(lower, key=lambda s: s.encode("utf-8")):
            z = wordfreq.zipf_frequency(w, wf_lang, wordlist="large")
            if z > 0:
                freq_lines.append(f"{w}\t{int(round(z * 100))}")
        write_gz(os.path.join(OUT, f"{lang}.freq.gz"), freq_lines)
        print(f"{lang}: {len(words)} forms, {len(freq_lines)} with a frequency", file=sys.stderr)


if __name__ == "__main__":
    main()
