#!/usr/bin/env python3
"""Speed of the HTML extractor against Python trafilatura, in the same run, on the same pages.

Usage: python3 bench/html_speed.py [--set scrapinghub] [--bin PATH] [--repeat 3]

- The pages of the set are decompressed once into a temporary folder of plain .html files.
- docfacts: `docfacts html-main DIR -o OUT --jobs N` for N = 1 and N = all cores; the figure
  is the extraction time the command reports (charset decoding + parsing + main text + metadata,
  without file reading and writing), best of --repeat runs. The whole command's wall time is
  printed too.
- trafilatura: `trafilatura.extract(html_string)` (default settings, the mode measured in the
  benchmark README) and `bare_extraction(with_metadata=True)`, one process, pages one after the
  other, best of --repeat passes; only the extraction call is timed.
Needs trafilatura in /tmp/venv (created if missing:
`python3 -m venv /tmp/venv && /tmp/venv/bin/pip install trafilatura lxml_html_clean`).
"""
import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("HTML_BENCH", ROOT.parent / "shared" / "bench" / "html"))
VENV = Path("/tmp/venv")

TRAFILATURA_RUNNER = r"""
import sys, time, pathlib
import trafilatura
folder, repeat, mode = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.html"))]
best = None
for _ in range(repeat):
    t = time.perf_counter()
    for html in pages:
        if mode == "meta":
            trafilatura.bare_extraction(html, with_metadata=True)
        else:
            trafilatura.extract(html)
    elapsed = time.perf_counter() - t
    best = elapsed if best is None else min(best, elapsed)
print(f"{len(pages)} {best:.4f}")
"""


def ensure_venv():
    python = VENV / "bin" / "python"
    probe = subprocess.run([str(python), "-c", "import trafilatura"], capture_output=True) if python.exists() else None
    if probe is None or probe.returncode != 0:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "trafilatura", "lxml_html_clean"], check=True)
    return python


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="scrapinghub")
    ap.add_argument("--bin", default=None, help="docfacts binary (default: build release)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    binary = args.bin
    if binary is None:
        env = dict(os.environ, CARGO_TARGET_DIR=os.environ.get("CARGO_TARGET_DIR", "/work/target"))
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, env=env, check=True)
        # The target dir is shared: copy the binary before another build replaces it.
        binary = os.path.join(tempfile.gettempdir(), "docfacts-html-bench")
        subprocess.run(["cp", os.path.join(env["CARGO_TARGET_DIR"], "release", "docfacts"), binary], check=True)
    python = ensure_venv()

    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for gz in sorted((BENCH / args.set / "html").glob("*.html.gz")):
            (pages / gz.name[: -len(".gz")]).write_bytes(gzip.decompress(gz.read_bytes()))
        n = len(list(pages.glob("*.html")))
        print(f"set {args.set}: {n} pages; load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores")

        results = {}
        for label, jobs in (("docfacts 1 thread", 1), ("docfacts all threads", os.cpu_count() or 1)):
            best, best_wall = None, None
            for _ in range(args.repeat):
                t = time.perf_counter()
                out = subprocess.run(
                    [binary, "html-main", str(pages), "-o", str(Path(tmp) / "out"), "--jobs", str(jobs)],
                    capture_output=True, text=True, check=True,
                )
                wall = time.perf_counter() - t
                m = re.search(r"extraction ([0-9.]+) s wall", out.stderr)
                secs = float(m.group(1)) if m else wall
                best = secs if best is None else min(best, secs)
                best_wall = wall if best_wall is None else min(best_wall, wall)
            results[label] = best
            print(f"{label:32s} {best:7.3f} s  {n / best:7.1f} pages/s   (whole command {best_wall:.3f} s)")

        for label, mode in (("trafilatura extract()", "plain"), ("trafilatura + metadata", "meta")):
            out = subprocess.run(
                [str(python), "-c", TRAFILATURA_RUNNER, str(pages), str(args.repeat), mode],
                capture_output=True, text=True, check=True,
            )
            count, secs = out.stdout.split()
            secs = float(secs)
            results[label] = secs
            print(f"{label:32s} {secs:7.3f} s  {int(count) / secs:7.1f} pages/s")

        base = results["trafilatura extract()"]
        for label in ("docfacts 1 thread", "docfacts all threads"):
            print(f"speed-up {label} vs trafilatura extract(): {base / results[label]:.1f}x; "
                  f"vs trafilatura + metadata: {results['trafilatura + metadata'] / results[label]:.1f}x")


if __name__ == "__main__":
    main()
