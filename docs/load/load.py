#!/usr/bin/env python3
"""Helpers of docs/load/run.sh (standard library only).

prep PORT FILE N   : N search bodies (top-40 weights of stored documents) -> FILE, one per line
recall PORT FILE M : recall@10 of approximate vs exact search over the first M bodies of FILE
"""
import json
import sys
import urllib.request


def call(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else body.encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def prep(port, file, n):
    with open(file, "w") as out:
        for i in range(n):
            doc = call(port, "GET", f"/collections/load/documents/{(i * 7919) % 100000}")
            v = doc["vector"]
            pairs = sorted(zip(v["values"], v["indices"]), reverse=True)[:40]
            q = {"vector": {"indices": [p[1] for p in pairs], "values": [p[0] for p in pairs]}, "k": 10}
            out.write(json.dumps(q, separators=(",", ":")) + "\n")


def recall(port, file, m):
    total = 0.0
    with open(file) as f:
        bodies = [json.loads(line) for line in f][:m]
    for q in bodies:
        ids = {}
        for mode in ("approximate", "exact"):
            q["mode"] = mode
            ids[mode] = [h["id"] for h in call(port, "POST", "/collections/load/search", json.dumps(q))["hits"]]
        exact = set(ids["exact"])
        total += len(exact & set(ids["approximate"])) / max(1, len(exact))
    print(f"{total / len(bodies):.4f}")


if __name__ == "__main__":
    cmd, port, file, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    {"prep": prep, "recall": recall}[cmd](port, file, n)
