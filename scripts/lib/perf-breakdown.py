#!/usr/bin/env python3
"""Where a lab's CPU went, from a whole-machine `perf record -a -g` (scripts/bench-lab BENCH_LAB_PERF).

Usage: perf-breakdown.py DIR
  DIR holds perf.data and `pids` (lines "<host pid> <pid inside its container> <hostname>", written
  by bench-lab; the JIT's symbols come from /tmp/perf-<host pid>.map, which it copies out of each
  container after `jcmd <pid> Compiler.perfmap`).

Prints the share of all samples per process (orderers and peers by container hostname) split into
what the CPU was doing: JIT-compiled or interpreted Java, the kernel (system calls, interrupts,
scheduling), the JIT compilers, GC and VM threads, and the native libraries that matter here (AWS-LC's
ECDSA, the two netty-tcnative copies' TLS). Then, per busiest process, its threads and system calls.
"""
import collections
import os
import re
import subprocess
import sys

HEADER = re.compile(r"\s*(.*?)\s+(\d+)/(\d+)\s*$")
FRAME = re.compile(r"\s*[0-9a-f]+\s+(.*?) \((.*)\)\s*$")
CATEGORIES = ["java", "kernel", "jit compiler", "gc/vm", "ecdsa (aws-lc)", "tls (tcnative)", "other native"]


def samples(directory):
    """Yields (thread name, pid, frames leaf first as (symbol, object)) from perf script."""
    run = subprocess.run(["perf", "script", "-i", directory + "/perf.data", "-F", "pid,tid,comm,ip,sym,dso"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"perf-breakdown: perf script cannot read {directory}/perf.data: {run.stderr.strip()[-300:]}")
    out = run.stdout
    current = None
    for line in out.splitlines():
        if not line.strip():
            if current:
                yield current
            current = None
        elif not line.startswith("\t"):
            m = HEADER.match(line)
            current = (m.group(1), m.group(2), []) if m else None
        elif current is not None:
            m = FRAME.match(line)
            if m:
                current[2].append((m.group(1), m.group(2)))
    if current:
        yield current


def category(thread, frames):
    if "Compiler" in thread:
        return "jit compiler"
    if thread.startswith("GC ") or thread == "VM Thread":
        return "gc/vm"
    if not frames:
        return "other native"
    obj = frames[0][1]
    if "kernel" in obj:
        return "kernel"
    if "perf-" in obj:
        return "java"
    if "amazonCorretto" in obj:
        return "ecdsa (aws-lc)"
    if "tcnative" in obj:
        return "tls (tcnative)"
    return "other native"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    for needed in ("perf.data", "pids"):
        if not os.path.isfile(os.path.join(directory, needed)):
            sys.exit(f"perf-breakdown: no {needed} in {directory} (written by BENCH_LAB_PERF={directory} scripts/bench-lab)")
    names = {}
    for line in open(directory + "/pids"):
        parts = line.split()
        if len(parts) >= 3:
            names[parts[0]] = parts[2]
    by = collections.Counter()
    threads = collections.defaultdict(collections.Counter)
    calls = collections.defaultdict(collections.Counter)
    total = 0
    for thread, pid, frames in samples(directory):
        total += 1
        if thread.startswith("swapper"):
            proc = "idle (no task running)"
        else:
            proc = names.get(pid, "other (" + re.sub(r"[#\d]+", "N", thread).strip() + ")")
        kind = category(thread, frames)
        by[(proc, kind)] += 1
        threads[proc][re.sub(r"\d+", "N", thread)] += 1
        if kind == "kernel":
            call = next((s for s, _ in frames if s.startswith("__x64_sys_")), "interrupts, faults, scheduling")
            calls[proc][call] += 1
    if not total:
        sys.exit("no samples in " + directory + "/perf.data")
    procs = sorted({p for p, _ in by}, key=lambda p: -sum(v for (q, _), v in by.items() if q == p))
    print(f"{total} samples on all cores; each process's share of them (idle time is its own row)")
    print(f"{'process':<28}" + "".join(f"{c:>15}" for c in CATEGORIES) + f"{'total':>9}")
    for p in procs:
        row = [by[(p, c)] * 100 / total for c in CATEGORIES]
        if sum(row) < 0.5:
            continue
        print(f"{p[:27]:<28}" + "".join(f"{v:14.1f}%" for v in row) + f"{sum(row):8.1f}%")
    print(f"{'all':<28}" + "".join(f"{sum(v for (_, k), v in by.items() if k == c) * 100 / total:14.1f}%" for c in CATEGORIES))
    for p in [q for q in procs if not q.startswith("idle")][:3]:
        n = sum(threads[p].values())
        print(f"\n{p}: threads " + ", ".join(f"{t} {v * 100 / n:.0f}%" for t, v in threads[p].most_common(6)))
        k = sum(calls[p].values())
        if k:
            print(f"{p}: kernel time " + ", ".join(f"{c.replace('__x64_sys_', '')} {v * 100 / n:.1f}%" for c, v in calls[p].most_common(6)))


if __name__ == "__main__":
    main()
