"""Picks the median of the three 1-thread and the three all-thread runs of bench/scale.sh.

Copies the median run's logs to threads-all.* and threads-one.* (what report.py reads) and
writes every run's wall time to threads-rounds.txt.
"""
import re
import shutil
import sys


def wall(path):
    text = open(path).read()
    m = re.search(r"Elapsed \(wall clock\) time.*?: (?:(\d+):)?(\d+):([\d.]+)", text)
    if not m:
        return float("inf")
    return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))


def main():
    logs = sys.argv[1]
    lines = []
    for kind in ("all", "one"):
        runs = [(wall(f"{logs}/threads-{kind}-{r}.time"), r) for r in (1, 2, 3)]
        median = sorted(runs)[1][1]
        for ext in ("time", "out", "err"):
            shutil.copyfile(f"{logs}/threads-{kind}-{median}.{ext}",
                            f"{logs}/threads-{kind}.{ext}")
        lines.append(f"{kind}: " + ", ".join(f"{w:.2f} s" for w, _ in runs)
                     + f" (median: run {median})")
    with open(f"{logs}/threads-rounds.txt", "w") as out:
        out.write("; ".join(lines) + "\n")


if __name__ == "__main__":
    main()
