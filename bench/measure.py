#!/usr/bin/env python3
"""Helpers for bench/run.sh.

  measure.py pool JSON NAME...      medians (ms) of hyperfine results whose names
                                    start with each NAME, pooled over rounds
  measure.py usage RUNS CMD...      median peak RSS (KiB) and cores used
                                    ((user + system time) / wall time) of CMD
  measure.py callgrind CMD...       instructions CMD executes (valgrind callgrind)
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile


def pool(path, names):
    results = json.load(open(path))["results"]
    out = []
    for name in names:
        times = [t for r in results if r["command"].split("#")[0] == name for t in r["times"]]
        out.append(f"{statistics.median(times) * 1000:.1f}")
    print(" ".join(out))


def usage(runs, cmd):
    """Peak RSS and CPU time as GNU time (/usr/bin/time) reports them."""
    peaks, cores = [], []
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "time")
        for _ in range(runs):
            subprocess.run(["/usr/bin/time", "-o", out, "-f", "%M %e %U %S", *cmd],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            kib, wall, user, system = open(out).read().split()[-4:]
            peaks.append(int(kib))
            cores.append((float(user) + float(system)) / max(float(wall), 0.01))
    print(int(statistics.median(peaks)), f"{statistics.median(cores):.2f}")


def callgrind(cmd):
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "log")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={d}/out",
                        f"--log-file={log}", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        m = re.search(r"Collected : (\d+)", open(log).read())
        print(m.group(1) if m else "0")


def main():
    what = sys.argv[1]
    if what == "pool":
        pool(sys.argv[2], sys.argv[3:])
    elif what == "usage":
        usage(int(sys.argv[2]), sys.argv[3:])
    elif what == "callgrind":
        callgrind(sys.argv[2:])
    else:
        sys.exit(f"unknown: {what}")


if __name__ == "__main__":
    main()
