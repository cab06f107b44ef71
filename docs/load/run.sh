#!/usr/bin/env bash
# Sustained mixed load over loopback (issue 7). Not a CI test.
#   docs/load/run.sh [SECONDS=600] [RATE=100] [DOCS=100000]
# Indexes DOCS synthetic pre-encoded documents (lsr index --input synthetic:N) unless the data
# directory already holds them, starts `lsr serve` on a vector-only configuration, then runs wrk
# with docs/load/mixed.lua (searches + 10-document ingest batches of new ids, LSR_INGEST of the
# requests) at RATE requests/s in segments of LSR_SEGMENT_SECONDS (60), printing per segment
# throughput, p50/p99/max and errors; after each segment (wrk stopped) the collection's document
# count and the heap after a full GC (jcmd GC.run + GC.heap_info); recall@10 (approximate vs
# exact) before, during (every segment, on the side) and after ingest.
# Environment: LSR_LOAD_DIR (data directory to (re)use, default /tmp/lsr-load), LSR_PORT (18089),
# LSR_INGEST (0.1), LSR_SEGMENT_SECONDS (60), LSR_HEAP (the service's -Xmx, default 2g),
# LSR_REFRESH_MS (the collection's refreshIntervalMs while served, default 1000).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_TOTAL="${1:-600}"; RATE="${2:-100}"; DOCS="${3:-100000}"
DATA="${LSR_LOAD_DIR:-/tmp/lsr-load}"; PORT="${LSR_PORT:-18089}"; CONNS=4
SEG="${LSR_SEGMENT_SECONDS:-60}"
OUT="$DATA/report"; mkdir -p "$OUT"
cd "$ROOT"

if [ ! -f "$DATA/load/collection.json" ]; then
  echo "== indexing $DOCS synthetic documents into $DATA/load"
  ./lsr index --collection "$DATA/load" --input "synthetic:$DOCS" --json "$OUT/index.json"
fi
# lsr index leaves refreshIntervalMs 0 (bulk loading: refresh once at the end). Served, the
# collection refreshes like one created over REST (default 1000 ms), so searches see it grow.
python3 - "$DATA/load/collection.json" "${LSR_REFRESH_MS:-1000}" <<'PY'
import json, sys
f, ms = sys.argv[1], int(sys.argv[2])
c = json.load(open(f))
c["settings"]["refreshIntervalMs"] = ms
json.dump(c, open(f + ".tmp", "w"), indent=2)
PY
mv "$DATA/load/collection.json.tmp" "$DATA/load/collection.json"

echo "== starting the service on 127.0.0.1:$PORT"
LSR_JAVA_OPTS="-Xmx${LSR_HEAP:-2g}" ./lsr serve --port "$PORT" --data "$DATA" --lsr.default-model=none --server.address=127.0.0.1 \
  --logging.level.root=WARN > "$OUT/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true; wait $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && break
  kill -0 $SERVICE 2>/dev/null || { cat "$OUT/service.log"; exit 1; }
  sleep 1
done
PID="$(pgrep -P $SERVICE java || echo $SERVICE)"

heap() { jcmd "$PID" GC.run >/dev/null; jcmd "$PID" GC.heap_info > "$OUT/heap-$1.txt"; python3 docs/load/load.py heap "$OUT/heap-$1.txt"; }

python3 docs/load/load.py prep "$PORT" "$OUT/queries.jsonl" 200
echo "== recall@10 approximate vs exact before ingest: $(python3 docs/load/load.py recall "$PORT" "$OUT/queries.jsonl" 50)"
DOCS0="$(python3 docs/load/load.py docs "$PORT")"
HEAP0="$(heap start)"
echo "== $DOCS0 documents; heap after a full GC at start: $HEAP0 MB"

export LSR_RUN="$(date +%s)" LSR_RATE="$RATE" LSR_INGEST="${LSR_INGEST:-0.1}" LSR_QUERIES="$OUT/queries.jsonl" LSR_CONNECTIONS="$CONNS"
echo "== $SECONDS_TOTAL s of mixed load at $RATE req/s ($LSR_INGEST ingest), per $SEG s segment (then documents, heap after full GC):"
: > "$OUT/segments.jsonl"; : > "$OUT/recall-during.txt"
for ((t = 0; t < SECONDS_TOTAL; t += SEG)); do
  python3 docs/load/load.py recall "$PORT" "$OUT/queries.jsonl" 10 >> "$OUT/recall-during.txt" &
  PROBE=$!
  seg="$(LSR_SEGMENT="$t" wrk -t2 -c"$CONNS" -d"${SEG}s" --timeout 10s -s docs/load/mixed.lua "http://127.0.0.1:$PORT" | grep '^{')"
  wait $PROBE || echo "recall probe failed" >> "$OUT/recall-during.txt"
  python3 docs/load/load.py segment "$t" "$seg" "$(python3 docs/load/load.py docs "$PORT")" "$(heap "t$t")" | tee -a "$OUT/segments.jsonl"
done

curl -sf -X POST "http://127.0.0.1:$PORT/collections/load/documents?refresh=true&commit=true" \
  -H 'Content-Type: application/json' -d '[{"id":"final","vector":{"indices":[1],"values":[1]}}]' >/dev/null
echo "== recall@10 approximate vs exact during ingest (mean of segments): $(awk '{s+=$1; n++} END {if (n) printf "%.4f (%d probes)", s/n, n}' "$OUT/recall-during.txt")"
echo "== recall@10 approximate vs exact after ingest: $(python3 docs/load/load.py recall "$PORT" "$OUT/queries.jsonl" 50)"
echo "== docs now: $(curl -sf "http://127.0.0.1:$PORT/collections/load/stats")"
echo "== heap after a full GC at the end: $(heap end) MB"
echo "== errors in the service log: $(grep -c ' ERROR ' "$OUT/service.log" || true)"
python3 docs/load/load.py summary "$OUT/segments.jsonl" "$DOCS0" "$HEAP0" | tee "$OUT/summary.md"
echo "report files: $OUT"
