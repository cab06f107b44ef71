#!/usr/bin/env bash
# Loopback load test of POST /collections/{name}/search with wrk, against a running service:
#   ./lsr serve --port 8080 --data /tmp/lsr-bench --lsr.default-model=../shared/models/tiny-mlm/model.onnx &
#   api/bench/run.sh [BASE_URL] [DOCS] [SECONDS] [CONNECTIONS] [WARMUP_SECONDS]
# Indexes DOCS synthetic documents (SPLADE-like: ~120 terms over the 30,522-term vocabulary, Zipf-like
# term popularity) into collection "bench", then runs wrk twice for SECONDS at CONNECTIONS
# connections: once with pre-computed query vectors (~40 terms), once with text queries that the
# service encodes with the collection's model. Each measured run follows an unrecorded wrk run of
# WARMUP_SECONDS (default 10) with the same queries, so that the JIT and caches are warm.
set -euo pipefail
BASE="${1:-http://localhost:8080}"
DOCS="${2:-20000}"
SECONDS_="${3:-30}"
CONNS="${4:-4}"
WARMUP="${5:-10}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

curl -fsS -X DELETE "$BASE/collections/bench" >/dev/null 2>&1 || true
curl -fsS -X PUT "$BASE/collections/bench" -H 'Content-Type: application/json' -d '{}' >/dev/null
python3 "$HERE/synthetic.py" docs "$DOCS" "$WORK/docs" 2000
T0=$(date +%s)
for f in "$WORK"/docs.*.ndjson; do
  curl -fsS -X POST "$BASE/collections/bench/documents" -H 'Content-Type: application/x-ndjson' --data-binary "@$f" >/dev/null
done
# Batches above lsr.limits.async-batch run as jobs: wait until every document is in.
until [ "$(curl -fsS "$BASE/jobs" | python3 -c 'import json,sys; print(sum(j["state"] in ("queued","running") for j in json.load(sys.stdin)["jobs"]))')" = 0 ]; do sleep 2; done
curl -fsS -X POST "$BASE/collections/bench/documents?refresh=true&commit=true" -H 'Content-Type: application/json' \
  -d '[{"id":"last","vector":{"indices":[1],"values":[1]}}]' >/dev/null
echo "indexed $DOCS documents in $(( $(date +%s) - T0 )) s; collection: $(curl -fsS "$BASE/collections/bench/stats")"
python3 "$HERE/synthetic.py" queries 200 "$WORK/queries.json"

for kind in vector text; do
  QUERIES="$WORK/queries.json" KIND="$kind" wrk -t 2 -c "$CONNS" -d "${WARMUP}s" -s "$HERE/search.lua" "$BASE" >/dev/null
  echo "== POST /collections/bench/search with $kind queries, k=10, approximate, ${SECONDS_}s, $CONNS connections"
  QUERIES="$WORK/queries.json" KIND="$kind" wrk -t 2 -c "$CONNS" -d "${SECONDS_}s" --latency -s "$HERE/search.lua" "$BASE"
done
