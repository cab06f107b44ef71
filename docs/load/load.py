#!/usr/bin/env python3
"""Helpers of docs/load/run.sh (standard library only).

prep PORT FILE N   : N search bodies (top-40 weights of stored documents) -> FILE, one per line
recall PORT FILE M : recall@10 of approximate vs exact search over the first M bodies of FILE
docs PORT          : documents in collection "load" (as of its last refresh)
heap FILE          : MB used by the Java heap in a `jcmd <pid> GC.heap_info` output (all generations,
                     not metaspace), taken right after `jcmd <pid> GC.run`
segment T WRK DOCS HEAP_MB : one JSON line: wrk's JSON summary WRK of the segment that started at
                     T seconds, plus the documents and the heap after a full GC at its end
summary FILE DOCS0 HEAP0 : a markdown table of the segment lines in FILE and the totals
"""
import json
import re
import sys
import urllib.error
import urllib.request


def call(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else body.encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def prep(port, file, n):
    # `lsr index --input synthetic:N` names its documents 0..N-1; a reused directory holds ingested
    # ones too (other ids), so ids that are not there are skipped.
    count = call(port, "GET", "/collections/load/stats")["docs"]
    with open(file, "w") as out:
        written, i = 0, -1
        while written < n:
            i += 1
            try:
                doc = call(port, "GET", f"/collections/load/documents/{(i * 7919) % count}")
            except urllib.error.HTTPError as e:
                if e.code == 404 and i < 100 * n:
                    continue
                raise
            written += 1
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


def docs(port):
    print(call(port, "GET", "/collections/load/stats")["docs"])


def heap(file):
    kb = 0
    with open(file) as f:
        for line in f:
            words = line.split()
            # ParallelGC: "PSYoungGen total ..., used 1234K", "ParOldGen ..."; G1: "garbage-first heap ... used ...K".
            if words and ("Gen" in words[0] or line.strip().startswith("garbage-first heap")):
                m = re.search(r"used (\d+)K", line)
                if m:
                    kb += int(m.group(1))
    print(f"{kb / 1024:.1f}")


def segment(t, wrk, n, heap_mb):
    line = {"t_s": int(t)}
    line.update(json.loads(wrk))
    line.update({"docs": int(n), "heap_after_gc_mb": float(heap_mb)})
    print(json.dumps(line, separators=(", ", ": ")))


def summary(file, docs0, heap0):
    with open(file) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    print("| segment | req/s | p50 ms | p99 ms | max ms | errors | non-2xx | documents at end | heap after full GC |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['t_s']}-{r['t_s'] + round(r['seconds'])} s | {r['rps']:.1f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['max_ms']:.2f} | "
              f"{r['errors']} | {r['non2xx']} | {r['docs']:,} | {r['heap_after_gc_mb']:.1f} MB |")
    requests = sum(r["requests"] for r in rows)
    errors = sum(r["errors"] for r in rows)
    sent = 10 * sum(r.get("ingest_batches", 0) for r in rows)
    heaps = [r["heap_after_gc_mb"] for r in rows]
    grown = rows[-1]["docs"] - int(docs0) if rows else 0
    print(f"\n{requests:,} requests, {errors} errors; documents {int(docs0):,} -> {rows[-1]['docs']:,} (+{grown:,}; "
          f"{sent:,} new ids sent in ingest batches); heap after full GC {float(heap0):.1f} MB before the load, "
          f"{heaps[0]:.1f} MB after the first segment, {heaps[-1]:.1f} MB after the last, max {max(heaps):.1f} MB; "
          f"p99 per segment {min(r['p99_ms'] for r in rows):.2f}-{max(r['p99_ms'] for r in rows):.2f} ms")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd in ("prep", "recall"):
        {"prep": prep, "recall": recall}[cmd](args[0], args[1], int(args[2]))
    elif cmd == "docs":
        docs(args[0])
    elif cmd == "heap":
        heap(args[0])
    elif cmd == "segment":
        segment(*args)
    elif cmd == "summary":
        summary(*args)
    else:
        sys.exit(f"unknown command {cmd}")
