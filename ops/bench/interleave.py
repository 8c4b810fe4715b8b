"""Runs commands round-robin (a, b, c, a, b, c, …) and prints a markdown table of median wall times.

Interleaving spreads whatever else the machine is doing evenly over every column, where timing all runs of one command
and then all of the next would charge a burst of load to whichever column ran during it. Each run is a posix_spawn and
a waitpid, stdin/stdout/stderr on /dev/null; a non-zero exit fails the benchmark.
The first FAST columns are run REPEAT times per round, so that the quick ones get as many samples as the slow ones
allow without making the run longer.
Usage: interleave.py RUNS WARMUP FAST REPEAT TITLE NAME COMMAND [NAME COMMAND ...]   (COMMAND is one shell-quoted line)
"""
import os, shlex, statistics, sys, time

runs, warmup, fast, repeat, title = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
columns = [(name, shlex.split(line)) for name, line in zip(sys.argv[6::2], sys.argv[7::2])]
null = os.open(os.devnull, os.O_RDWR)
actions = [(os.POSIX_SPAWN_DUP2, null, fd) for fd in (0, 1, 2)]


def once(argv):
    start = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    if status != 0:
        sys.exit(f"interleave: {shlex.join(argv)[:200]} exited with status {status}")
    return elapsed


times = {name: [] for name, _ in columns}
for i in range(warmup + runs):
    for index, (name, argv) in enumerate(columns):
        for _ in range(repeat if index < fast else 1):
            took = once(argv)
            if i >= warmup:
                times[name].append(took)

base = statistics.median(times[columns[0][0]])
print(f"{title}\n")
print("| layer | median ms | p25–p75 ms | over bare exec ms | ratio | runs |")
print("|---|---:|---:|---:|---:|---:|")
for name, _ in columns:
    t = times[name]
    median = statistics.median(t)
    q = statistics.quantiles(t, n=4)
    over = "—" if name == columns[0][0] else f"{median - base:+.2f}"
    print(f"| {name} | {median:.2f} | {q[0]:.2f}–{q[2]:.2f} | {over} | {median / base:.1f}× | {len(t)} |")
