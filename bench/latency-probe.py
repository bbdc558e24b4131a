#!/usr/bin/env python3
"""A simple load loop against a running Parley: append latency and ?last=10 latency on a
short (10 messages) and a long (10,000 messages) conversation, one client, keep-alive HTTP.

    java -jar target/parley.jar &                 # or SPRING_DATASOURCE_URL=... for PostgreSQL
    python3 bench/latency-probe.py [--base http://127.0.0.1:8080] [--requests 500]

This is the quick probe the conversations issue asks for; the benchmark suite (bench/) is the
real measurement. Figures are client-side wall times including HTTP on loopback.
"""
import argparse
import http.client
import json
import statistics
import time
import urllib.parse
import uuid


class Client:
    def __init__(self, base):
        url = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port or 80)
        self.token = None

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None


def percentiles(samples):
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "mean": statistics.fmean(ordered)}


def timed(count, action):
    samples = []
    for i in range(count):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--long", type=int, default=10_000)
    args = parser.parse_args()

    client = Client(args.base)
    name = "probe_" + uuid.uuid4().hex[:8]
    client.call("POST", "/api/v1/auth/register", {"username": name, "password": "probe password 1"})
    client.token = client.call("POST", "/api/v1/auth/login",
                               {"username": name, "password": "probe password 1"})["access_token"]
    project = client.call("POST", "/api/v1/projects", {"name": "latency probe", "max_tokens": 10**12})

    def conversation(length):
        conv = client.call("POST", "/api/v1/conversations", {"project_id": project["id"], "title": f"{length}"})
        for start in range(0, length, 1000):
            batch = [{"role": "user" if (start + i) % 2 == 0 else "assistant",
                      "content": f"message {start + i} " + "lorem ipsum " * 20}
                     for i in range(min(1000, length - start))]
            client.call("POST", f"/api/v1/conversations/{conv['id']}/messages/batch", {"messages": batch})
        return conv["id"]

    short, long_ = conversation(10), conversation(args.long)
    results = {}
    for label, conv in (("10", short), (str(args.long), long_)):
        # warm up the JIT and the connection
        timed(50, lambda i: client.call("GET", f"/api/v1/conversations/{conv}/messages?last=10"))
        results[f"last10@{label}"] = timed(
            args.requests, lambda i: client.call("GET", f"/api/v1/conversations/{conv}/messages?last=10"))
    for label, conv in (("10", short), (str(args.long), long_)):
        results[f"append@{label}"] = timed(
            args.requests, lambda i: client.call("POST", f"/api/v1/conversations/{conv}/messages",
                                                 {"role": "user", "content": f"probe {i} " + "x" * 200}))
    print(f"{'scenario':<18}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    for scenario, figures in results.items():
        print(f"{scenario:<18}{figures['p50']:>9.2f}{figures['p95']:>9.2f}{figures['p99']:>9.2f}{figures['mean']:>9.2f}")


if __name__ == "__main__":
    main()
