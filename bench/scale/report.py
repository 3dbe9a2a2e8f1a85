#!/usr/bin/env python3
"""Prints the figures of bench/scale.sh from its logs folder, and checks them against the
targets of issue 9 (PASS/FAIL per line; informative, the exit code stays 0)."""

import argparse
import os
import re


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def cpu_seconds(path):
    """User + system CPU seconds (children included) from a /usr/bin/time -v report."""
    text = read(path)
    total = 0.0
    for key in ("User time", "System time"):
        m = re.search(key + r" \(seconds\): ([\d.]+)", text)
        if m:
            total += float(m.group(1))
    return total


def gnu_time(path):
    """(wall seconds, peak RSS in MB) from a /usr/bin/time -v report."""
    text = read(path)
    wall = rss = None
    m = re.search(r"Elapsed \(wall clock\) time.*?: (?:(\d+):)?(\d+):([\d.]+)", text)
    if m:
        wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        rss = int(m.group(1)) / 1024
    return wall, rss


def stages(err_text):
    return [(m.group(1), float(m.group(2)))
            for m in re.finditer(r"stage (\w+)\s+([\d.]+) s", err_text)]


def incremental(err_text):
    m = re.search(r"incremental: (\d+) unchanged, (\d+) processed, (\d+) outputs pruned", err_text)
    return tuple(int(g) for g in m.groups()) if m else None


def corpus_stats(corpus, paths=None):
    rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(corpus, "manifest.tsv"))][1:]
    if paths is not None:
        rows = [r for r in rows if r[0] in paths]
    return len(rows), sum(int(r[3]) for r in rows)


def f1_table(text):
    """micro-F1 of all types, and of the four types the Python stack extracts."""
    last = re.search(r"micro-F1 ([\d.]+) precision ([\d.]+) recall ([\d.]+)", text)
    tp = fp = fn = 0
    for typ in ("dates", "urls", "emails", "phones"):
        m = re.search(rf"^{typ}\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)", text, re.M)
        if m:
            tp, fp, fn = tp + int(m.group(1)), fp + int(m.group(2)), fn + int(m.group(3))
    four = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return (float(last.group(1)) if last else None), four


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logs")
    ap.add_argument("--docs", type=int)
    ap.add_argument("--big", type=int)
    ap.add_argument("--cores", type=int)
    ap.add_argument("--corpus")
    ap.add_argument("--py-list")
    ap.add_argument("--threads-dir")
    a = ap.parse_args()
    L = lambda name: os.path.join(a.logs, name)  # noqa: E731

    n_docs, n_bytes = corpus_stats(a.corpus)
    mb = n_bytes / 1e6
    print("== docfacts scale benchmark ==")
    print(f"docfacts: {read(L('version.txt')).strip()}; {a.cores} cores")
    print("load at start (uptime; CPU pressure):", read(L("uptime-start.txt")).strip().replace("\n", "; "))
    print("load at end   (uptime; CPU pressure):", read(L("uptime-end.txt")).strip().replace("\n", "; "))
    print(read(L("corpus.txt")).strip())
    print()

    all_wall, all_rss = gnu_time(L("all.time"))
    ta_wall, ta_rss = gnu_time(L("threads-all.time"))
    one_wall, one_rss = gnu_time(L("threads-one.time"))
    t_paths = set()
    if a.threads_dir:
        for folder, _, files in os.walk(a.threads_dir):
            for name in files:
                t_paths.add(os.path.relpath(os.path.join(folder, name), a.threads_dir))
    t_docs, t_bytes = corpus_stats(a.corpus, t_paths)
    rerun_wall, _ = gnu_time(L("rerun.time"))
    rerun1_wall, _ = gnu_time(L("rerun1.time"))
    py_wall, py_rss = gnu_time(L("py.time"))
    py_paths = [line.split("\t", 1)[0] for line in open(a.py_list)] if a.py_list else []
    py_docs, py_bytes = corpus_stats(a.corpus, set(py_paths))

    def row(name, docs, nbytes, wall, rss, note="", cpu=None):
        if not wall:
            print(f"{name:<28} (no figure)")
            return None
        cpu_text = f" cpu {cpu:>8.1f} s ({docs / cpu:.2f} docs/cpu-s)" if cpu else ""
        print(f"{name:<28} {docs:>6} docs {nbytes / 1e6:>8.1f} MB {wall:>8.2f} s "
              f"{docs / wall:>9.2f} docs/s {nbytes / 1e6 / wall:>7.2f} MB/s "
              f"peak RSS {rss:>7.1f} MiB{cpu_text}{note}")
        return docs / wall

    print("-- throughput (wall clock of the whole process, /usr/bin/time -v) --")
    df_all = row(f"docfacts, {a.cores} threads", n_docs, n_bytes, all_wall, all_rss,
                 cpu=cpu_seconds(L("all.time")))
    df_ta = row(f"  sample, {a.cores} threads", t_docs, t_bytes, ta_wall, ta_rss,
                cpu=cpu_seconds(L("threads-all.time")))
    df_one = row("  sample, 1 thread", t_docs, t_bytes, one_wall, one_rss,
                 cpu=cpu_seconds(L("threads-one.time")))
    if os.path.exists(L("threads-rounds.txt")):
        print(f"  (median of 3 interleaved runs each; wall times {read(L('threads-rounds.txt')).strip()})")
    whole_py = py_docs == n_docs
    py_note = ((f"  (the whole corpus; " if whole_py else
                f"  (sample of {py_docs} docs: seed files + every k-th document; "
                "docs/s extrapolated to the corpus; ")
               + f"RSS of the largest of {a.cores} worker processes)")
    py_rate = row(f"Python stack, {a.cores} procs", py_docs, py_bytes, py_wall, py_rss, py_note,
                  cpu=cpu_seconds(L("py.time")))
    pd_wall, pd_rss = gnu_time(L("py-docfacts.time"))
    same_rate = row(f"docfacts on that sample", py_docs, py_bytes, pd_wall, pd_rss,
                    cpu=cpu_seconds(L("py-docfacts.time")))
    py_cpu, pd_cpu = cpu_seconds(L("py.time")), cpu_seconds(L("py-docfacts.time"))
    print(f"Python stack: {read(L('pystack-versions.txt')).strip().replace(chr(10), ', ')}")
    print()

    print("-- docfacts per-stage time (summed over threads, all-threads run) --")
    err_all = read(L("all.err"))
    for stage, secs in stages(err_all):
        print(f"  {stage:<9} {secs:>9.3f} s")
    m = re.search(r"wall: ([\d.]+) s", err_all)
    if m:
        print(f"  wall (inside docfacts) {float(m.group(1)):.3f} s")
    print()

    inc0 = incremental(read(L("rerun.err")))
    inc1 = incremental(read(L("rerun1.err")))
    print("-- incremental --")
    print(f"full run {all_wall:.2f} s; rerun unchanged {rerun_wall:.2f} s "
          f"({inc0[0] if inc0 else '?'} unchanged, {inc0[1] if inc0 else '?'} processed); "
          f"speed-up {all_wall / max(rerun_wall, 1e-3):.1f}x")
    print(f"after changing {read(L('changed.txt')).strip()}: {rerun1_wall:.2f} s "
          f"({inc1[0] if inc1 else '?'} unchanged, {inc1[1] if inc1 else '?'} processed)")
    print()

    f1_df, four_df = f1_table(read(L("f1-docfacts.txt")))
    f1_py, four_py = f1_table(read(L("f1-pystack.txt")))
    print("-- seed-gold F1 on the corpus part (seed/, 12 files; ../shared/gold/score.py --corpus) --")
    print(f"  docfacts     micro-F1 all types {f1_df}   dates+urls+emails+phones {four_df:.3f}")
    print(f"  Python stack micro-F1 all types {f1_py}   dates+urls+emails+phones {four_py:.3f}")
    print()

    big_wall = big_rss = None
    if a.big:
        big_wall, big_rss = gnu_time(L("big.time"))
        print(f"-- {a.big} documents --")
        print(read(L("corpus-big.txt")).strip())
        if big_wall:
            print(f"docfacts, {a.cores} threads: {big_wall:.2f} s, {a.big / big_wall:.1f} docs/s, "
                  f"peak RSS {big_rss:.1f} MiB (vs {all_rss:.1f} MiB at {n_docs}: "
                  f"{100 * (big_rss / all_rss - 1):+.1f} %)")
        print()

    def check(ok, text):
        print(f"{'PASS' if ok else 'FAIL'}  {text}")

    print("-- targets (issue 9) --")
    if df_all and py_rate:
        ratio = df_all / py_rate
        same = f"; on the same {py_docs} files: {same_rate / py_rate:.1f}x in docs/s" if same_rate else ""
        if py_cpu and pd_cpu:
            same += f", {py_cpu / pd_cpu:.1f}x in CPU time"
        basis = "both on the whole corpus" if whole_py else "corpus run vs the Python sample extrapolated"
        check(ratio >= 30, f"docfacts {ratio:.1f}x the Python stack in docs/s (>= 30x; {basis}){same}")
        check((f1_df or 0) >= (f1_py or 0) and four_df >= four_py,
              f"extraction: seed-gold micro-F1 {f1_df} vs {f1_py}; dates+urls+emails+phones "
              f"{four_df:.3f} vs {four_py:.3f} (equal or better)")
    if all_rss:
        check(all_rss <= 300, f"peak RSS {all_rss:.1f} MiB at {n_docs} documents (<= 300 MB)")
    if big_rss and all_rss:
        check(big_rss <= all_rss * 1.2,
              f"peak RSS {big_rss:.1f} MB at {a.big} documents (within 20 % of {all_rss:.1f} MB)")
    if df_ta and df_one:
        check(df_ta / df_one >= 1.8,
              f"{a.cores} threads vs 1 thread: {df_ta / df_one:.2f}x on "
              f"{'the whole corpus' if t_docs == n_docs else f'{t_docs} sampled documents'} "
              "(>= 1.8x on 2 cores; median of 3 runs each)")
    if rerun_wall and inc0 and inc1:
        check(all_wall / rerun_wall >= 50 and inc0[1] == 0,
              f"incremental rerun {all_wall / rerun_wall:.1f}x faster than the full run (>= 50x)")
        check(inc1[1] == 1, f"one changed document: {inc1[1]} reprocessed (== 1)")


if __name__ == "__main__":
    main()
