#!/usr/bin/env python3
"""How late a writer takes SQLite's write lock after another connection releases it.

One thread holds BEGIN IMMEDIATE for 2-20 ms, commits, and takes the lock again 4 ms later (as the history follower's
batches and the journal writer's groups alternate); the other thread begins write transactions either through SQLite's
busy handler (busy_timeout, which sleeps 1, 2, 5, 10 ... 100 ms between tries) or by trying every <= 1 ms (the journal
writer's SqliteWriteTransaction). Prints, per mode, how long after a release the waiting writer got the lock and how
often it got it at all. Usage: python3 ops/bench/sqlite_busy.py [seconds per run]
"""
import bisect, os, random, sqlite3, sys, tempfile, threading, time

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0


def run(mode, path):
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(path + suffix): os.unlink(path + suffix)
    setup = sqlite3.connect(path); setup.execute('PRAGMA journal_mode=WAL'); setup.execute('CREATE TABLE t (x)'); setup.commit(); setup.close()
    releases, waits = [], []
    stop = time.perf_counter() + SECONDS

    def holder():
        c = sqlite3.connect(path, isolation_level=None, timeout=30)
        while time.perf_counter() < stop:
            c.execute('BEGIN IMMEDIATE'); time.sleep(random.uniform(0.002, 0.020))
            c.execute('INSERT INTO t VALUES (1)'); c.execute('COMMIT'); releases.append(time.perf_counter())
            time.sleep(0.004)

    def waiter():
        c = sqlite3.connect(path, isolation_level=None, timeout=30 if mode == 'busy-handler' else 0)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            while True:
                try:
                    c.execute('BEGIN IMMEDIATE'); break
                except sqlite3.OperationalError:
                    time.sleep(0.001)
            got = time.perf_counter(); c.execute('COMMIT')
            waits.append((start, got)); time.sleep(random.uniform(0.001, 0.006))

    threads = [threading.Thread(target=holder), threading.Thread(target=waiter)]
    for t in threads: t.start()
    for t in threads: t.join()
    late = []
    for start, got in waits:
        i = bisect.bisect_left(releases, got) - 1
        if i >= 0 and releases[i] > start: late.append((got - releases[i]) * 1000)
    late.sort()
    print(f'{mode:13s} lock taken {len(waits):4d} times in {SECONDS:g} s; after waiting ({len(late)}): free -> taken '
          f'p50 {late[len(late) // 2]:.2f} ms, p90 {late[int(len(late) * .9)]:.2f} ms, mean {sum(late) / len(late):.2f} ms')


with tempfile.TemporaryDirectory() as directory:
    for mode in ('busy-handler', 'poll-1ms', 'busy-handler', 'poll-1ms'):
        run(mode, os.path.join(directory, 'busy.db'))
