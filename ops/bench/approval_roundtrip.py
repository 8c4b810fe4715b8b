#!/usr/bin/env python3
"""Approval round trip through the HTTP API of a running `orchestrator serve` (driven by ops/bench/approval.sh).

Per round: an agent thread submits an ask call (POST /v1/calls, wait 30) and blocks; the operator (this thread) polls
GET /v1/approvals until the call's approval is listed, answers it (POST /v1/approvals/{id}, approve once), and the
round trip ends when the agent's POST returns with the decided call. Baseline in the same run, interleaved: the same
POST for a call the policy allows (the same program, so both include one sandboxed run). Keep-alive connections (one per role), so no connection set-up is timed.
Prints one JSON object: per kind p50/p90/p99/max in ms, plus the parts of the approval round trip.
"""
import http.client, json, sys, threading, time, uuid
from urllib.parse import urlparse

url, agent_token, operator_token, cwd, rounds, warmup = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
target = urlparse(url)
run = uuid.uuid4().hex[:8]


class Client:
    def __init__(self, token):
        self.conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method, path, body=None):
        self.conn.request(method, path, None if body is None else json.dumps(body), self.headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else None)


agent, operator = Client(agent_token), Client(operator_token)


def submit(client, call_id, session, command):
    return client.call("POST", "/v1/calls", {
        "id": call_id, "agentId": "bench-agent", "sessionId": session, "tool": "Bash",
        "input": {"command": command}, "cwd": cwd, "intent": "execute", "wait": 30})


def baseline(n):
    t0 = time.perf_counter()
    status, body = submit(agent, f"rt-{run}-allow-{n}", f"rt-{run}-allow", "echo allowed")
    elapsed = time.perf_counter() - t0
    if status not in (200, 201) or body.get("decision") != "allow" or body.get("status") != "completed":
        raise SystemExit(f"baseline call {n}: {status} {body}")
    return elapsed


def round_trip(n):
    call_id = f"rt-{run}-ask-{n}"
    result = {}

    def agent_side():
        result["answer"] = submit(agent, call_id, f"rt-{run}-ask", "echo asked")
        result["done"] = time.perf_counter()

    t0 = time.perf_counter()
    thread = threading.Thread(target=agent_side)
    thread.start()
    approval = None
    while approval is None:
        status, body = operator.call("GET", f"/v1/approvals?session=rt-{run}-ask")
        if status != 200:
            raise SystemExit(f"listing: {status} {body}")
        approval = next((a["approvalId"] for a in body["approvals"] if a["callId"] == call_id), None)
        if approval is None and not thread.is_alive():
            raise SystemExit(f"call {call_id} ended without an approval: {result.get('answer')}")
    visible = time.perf_counter()
    status, body = operator.call("POST", f"/v1/approvals/{approval}", {"decision": "approve", "scope": "once"})
    if status != 200:
        raise SystemExit(f"answer: {status} {body}")
    answered = time.perf_counter()
    thread.join()
    status, body = result["answer"]
    if status not in (200, 201) or body.get("status") != "completed":
        raise SystemExit(f"ask call {n}: {status} {body}")
    return result["done"] - t0, visible - t0, answered - visible, result["done"] - answered


def percentiles(samples):
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000
    return {"p50": round(pick(0.50), 2), "p90": round(pick(0.90), 2), "p99": round(pick(0.99), 2), "max": round(ordered[-1] * 1000, 2)}


allowed, total, visible, answer, decided = [], [], [], [], []
for n in range(warmup + rounds):
    b = baseline(n)
    t, v, a, d = round_trip(n)
    if n >= warmup:
        allowed.append(b); total.append(t); visible.append(v); answer.append(a); decided.append(d)
print(json.dumps({"rounds": rounds, "warmup": warmup, "allowedCall": percentiles(allowed), "approvalRoundTrip": percentiles(total),
                  "submitToListed": percentiles(visible), "answerPost": percentiles(answer), "answerToAgent": percentiles(decided)}))
