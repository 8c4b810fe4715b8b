#!/usr/bin/env python3
"""One operator poll of GET /v1/approvals with many approvals pending (driven by ops/bench/approvals-poll.sh).

Raises PENDING approvals on a running `orchestrator serve` (ask calls submitted by 16 threads over keep-alive
connections, 50 agents and sessions; nothing is answered), waits until the listing counts them all, then times POLLS
sequential polls of GET /v1/approvals?QUERY on one keep-alive connection, and the server's CPU over them (utime+stime of
every thread from /proc/PID/stat, less the CPU it spends idle over as long, measured just before).
With FOLLOW ("follow", an optional 8th argument) each poll follows the listing's 'next' to its last page, as the load
tester's approver does every tick: then a poll is one tick, and pages and bytes are per tick.
Prints one JSON object: pending, query, polls, pages and bytes per poll, mean/p50/p90/max ms, server CPU ms per poll.
"""
import http.client, json, os, sys, threading, time, uuid
from urllib.parse import urlparse

url, token, cwd, pid, pending, polls, query = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
follow = len(sys.argv) > 8 and sys.argv[8] == "follow"
target = urlparse(url)
run = uuid.uuid4().hex[:8]
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def connect():
    return http.client.HTTPConnection(target.hostname, target.port, timeout=300)


def call(conn, method, path, body=None):
    conn.request(method, path, None if body is None else json.dumps(body), headers)
    response = conn.getresponse()
    return response.status, response.read(), response.getheader("Retry-After")


def submit(worker, count):
    conn = connect()
    for n in range(worker, count, 16):
        agent = f"poll-agent-{n % 50}"
        body = {"id": f"poll-{run}-{n}", "agentId": agent, "sessionId": f"poll-{run}-{n % 50}", "tool": "Bash",
                "input": {"command": "git push"}, "cwd": cwd, "intent": "execute"}
        while True:
            status, data, retry = call(conn, "POST", "/v1/calls", body)
            if status == 429:
                time.sleep(float(retry or 1))
                continue
            if status not in (200, 201, 202):
                raise SystemExit(f"submit {n}: {status} {data[:300]!r}")
            break


def counted(conn):
    status, data, _ = call(conn, "GET", "/v1/approvals?limit=1")
    if status != 200:
        return 0
    body = json.loads(data)
    return body.get("total", len(body["approvals"]))  # a server from before paging lists everything and has no total


def cpu_ticks():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
conn = connect()
already = counted(conn)
if already < pending:
    started = time.perf_counter()
    threads = [threading.Thread(target=submit, args=(w, pending - already)) for w in range(16)]
    for t in threads: t.start()
    for t in threads: t.join()
    print(f"approvals-poll: {pending - already} asks submitted in {time.perf_counter() - started:.1f} s", file=sys.stderr)
deadline = time.time() + 600
while (listed := counted(conn)) < pending:
    if time.time() > deadline:
        raise SystemExit(f"only {listed} of {pending} approvals pending after 600 s")
    time.sleep(0.5)

path = "/v1/approvals" + (f"?{query}" if query else "")


def poll():
    """One poll (with FOLLOW: every page of the listing); its pages and bytes."""
    pages, size, cursor = 0, 0, None
    while True:
        status, data, _ = call(conn, "GET", path if cursor is None else f"{path}{'&' if query else '?'}cursor={cursor}")
        if status != 200:
            raise SystemExit(f"poll: {status} {data[:300]!r}")
        pages, size = pages + 1, size + len(data)
        cursor = json.loads(data).get("next") if follow else None
        if cursor is None:
            return pages, size


poll()  # warm-up
times, size, pages = [], 0, 0
idle_from, idle_ticks = time.perf_counter(), cpu_ticks()
time.sleep(2)
idle_rate = (cpu_ticks() - idle_ticks) * tick_ms / (time.perf_counter() - idle_from)  # ms of CPU per s, idle
from_ticks, wall = cpu_ticks(), time.perf_counter()
for _ in range(polls):
    t0 = time.perf_counter()
    pages, size = poll()
    times.append((time.perf_counter() - t0) * 1000)
wall = time.perf_counter() - wall
cpu_ms = (cpu_ticks() - from_ticks) * tick_ms
times.sort()
print(json.dumps({
    "pending": pending, "query": query or "(none)", "follow": follow, "polls": polls, "pages": pages, "bytes": size,
    "meanMs": round(sum(times) / len(times), 2), "p50Ms": round(times[len(times) // 2], 2),
    "p90Ms": round(times[int(len(times) * 0.9)], 2), "maxMs": round(times[-1], 2),
    "serverCpuMsPerPoll": round(max(0.0, cpu_ms - idle_rate * wall) / polls, 2),
    "serverCpuMsPerPollRaw": round(cpu_ms / polls, 2), "idleCpuMsPerS": round(idle_rate, 2),
}))
