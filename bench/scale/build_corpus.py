#!/usr/bin/env python3
"""Builds a scale corpus: the seed corpus, the HTML benchmark pages and the PDF samples,
replicated with small variations so that sizes and kinds mix like a real archive.

    build_corpus.py --count N --out DIR --corpus CORPUS --shared SHARED [--seed S]

Layout of DIR:
  seed/            the corpus files unchanged (scored against the seed gold)
  docs/NNN/...     the replicas, 100 per folder: NNNNNN-<base name>
  manifest.tsv     path, kind, base, bytes of every file
Deterministic for a given --seed and --count: a smaller corpus is a prefix of a larger one.
"""

import argparse
import gzip
import os
import random
import shutil
import sys

# Shares of the replicas by kind, roughly an organisation's web + document archive.
KIND_WEIGHTS = {"html": 0.62, "text": 0.22, "pdf": 0.16}
# Share of HTML replicas stored gzip-compressed (.html.gz), as crawls often keep them.
GZIP_SHARE = 0.3
PER_FOLDER = 100

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
TOWNS = ["Lyon", "Lille", "Nantes", "Strasbourg", "Bordeaux", "Rennes", "Grenoble", "Dijon"]


def variant_paragraph(rng, k, lang):
    """A short paragraph with a date, an e-mail, a URL and a phone, different per replica."""
    day, month, year = rng.randint(1, 28), rng.randint(0, 11), rng.randint(1998, 2024)
    town = rng.choice(TOWNS)
    phone = "0{} {:02d} {:02d} {:02d} {:02d}".format(
        rng.randint(1, 5), *(rng.randint(0, 99) for _ in range(4)))
    if lang == "fr":
        return (f"{town}, le {day} {MONTHS_FR[month]} {year}. Mise à jour n° {k} du dossier "
                f"d'archive ; contact : archives{k}@ville-{town.lower()}.fr, tél. {phone}, "
                f"voir https://www.ville-{town.lower()}.fr/archives/{k}.")
    return (f"Updated on {MONTHS_EN[month]} {day}, {year} (revision {k}). Contact the archive "
            f"desk at desk{k}@{town.lower()}-archive.org or +33 {phone[1:]}; "
            f"see https://{town.lower()}-archive.org/items/{k}.")


def vary_text(text, rng, k):
    lang = "fr" if rng.random() < 0.5 else "en"
    paras = [variant_paragraph(rng, k, lang) for _ in range(rng.randint(1, 3))]
    body = text
    if rng.random() < 0.15:
        # A longer edition: the text twice (annexes, repeated sections).
        body = text + "\n\n" + text
    elif rng.random() < 0.15 and len(text) > 4000:
        # A shorter extract.
        cut = text.find("\n", len(text) // 2)
        body = text[: cut if cut > 0 else len(text) // 2]
    return (body.rstrip("\n") + "\n\n" + "\n\n".join(paras) + "\n").encode("utf-8")


def vary_html(raw, rng, k):
    text = raw.decode("utf-8", "surrogateescape")
    lang = "fr" if rng.random() < 0.5 else "en"
    paras = "".join(f"<p>{variant_paragraph(rng, k, lang)}</p>\n"
                    for _ in range(rng.randint(1, 3)))
    lower = text.lower()
    at = lower.rfind("</article>")
    if at < 0:
        at = lower.rfind("</body>")
    if at < 0:
        at = len(text)
    return (text[:at] + paras + text[at:]).encode("utf-8", "surrogateescape")


def vary_pdf(raw, rng, k):
    # Bytes after %%EOF are ignored by PDF readers: same content, new file (new hash).
    return raw + f"\n% scale replica {k} {rng.randint(0, 1 << 30)}\n".encode("ascii")


def load_bases(corpus, shared):
    bases = {"html": [], "text": [], "pdf": []}
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        if name.startswith(".") or not os.path.isfile(path) or name.endswith(".md"):
            continue
        ext = name.rsplit(".", 1)[-1]
        kind = {"html": "html", "txt": "text", "pdf": "pdf"}.get(ext)
        if kind:
            with open(path, "rb") as f:
                bases[kind].append((name, f.read()))
    html_root = os.path.join(shared, "bench", "html")
    for sub in sorted(os.listdir(html_root)):
        folder = os.path.join(html_root, sub, "html")
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".html.gz"):
                with gzip.open(os.path.join(folder, name), "rb") as f:
                    bases["html"].append((f"{sub}-{name[:12]}.html", f.read()))
    pdf_root = os.path.join(shared, "bench", "pdf")
    for name in sorted(os.listdir(pdf_root)):
        with open(os.path.join(pdf_root, name), "rb") as f:
            data = f.read()
        if name.endswith(".pdf"):
            bases["pdf"].append((name, data))
        elif name.endswith("_truth.txt"):
            bases["text"].append((name, data))
    return bases


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, required=True, help="total number of documents")
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus", required=True, help="the seed corpus folder")
    ap.add_argument("--shared", required=True, help="the shared/ folder")
    ap.add_argument("--seed", type=int, default=9)
    args = ap.parse_args()

    bases = load_bases(args.corpus, args.shared)
    if not all(bases.values()):
        sys.exit(f"build_corpus: missing inputs: {[k for k, v in bases.items() if not v]}")
    os.makedirs(os.path.join(args.out, "seed"), exist_ok=True)
    rows = []
    for name in sorted(os.listdir(args.corpus)):
        src = os.path.join(args.corpus, name)
        if os.path.isfile(src) and not name.startswith("."):
            shutil.copyfile(src, os.path.join(args.out, "seed", name))
            kind = {"html": "html", "txt": "text", "pdf": "pdf"}.get(name.rsplit(".", 1)[-1], "other")
            rows.append((f"seed/{name}", kind, name, os.path.getsize(src)))

    rng = random.Random(args.seed)
    kinds = list(KIND_WEIGHTS)
    weights = [KIND_WEIGHTS[k] for k in kinds]
    next_base = {k: 0 for k in kinds}
    for i in range(max(0, args.count - len(rows))):
        kind = rng.choices(kinds, weights)[0]
        pool = bases[kind]
        name, data = pool[next_base[kind] % len(pool)]
        next_base[kind] += 1
        if kind == "html":
            out, ext = vary_html(data, rng, i), ".html"
            if rng.random() < GZIP_SHARE:
                out, ext = gzip.compress(out, compresslevel=1, mtime=0), ".html.gz"
        elif kind == "text":
            out, ext = vary_text(data.decode("utf-8", "replace"), rng, i), ".txt"
        else:
            out, ext = vary_pdf(data, rng, i), ".pdf"
        stem = name.rsplit(".", 1)[0]
        rel = f"docs/{i // PER_FOLDER:04d}/{i:06d}-{stem}{ext}"
        path = os.path.join(args.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(out)
        rows.append((rel, kind, name, len(out)))

    with open(os.path.join(args.out, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("path\tkind\tbase\tbytes\n")
        for row in rows:
            f.write("\t".join(map(str, row)) + "\n")
    total = sum(r[3] for r in rows)
    by_kind = {}
    for _, kind, _, size in rows:
        n, b = by_kind.get(kind, (0, 0))
        by_kind[kind] = (n + 1, b + size)
    mix = ", ".join(f"{k} {n} ({b / 1e6:.0f} MB)" for k, (n, b) in sorted(by_kind.items()))
    print(f"corpus: {len(rows)} documents, {total / 1e6:.1f} MB: {mix}")


if __name__ == "__main__":
    main()
