#!/usr/bin/env bash
# Starts the service from api/target/lsr-api.jar with a fresh data directory, logs readiness as it
# changes (503 while the model loads, then 200), runs api/bench/run.sh against it, prints the
# search/encode timers from /actuator/prometheus, then stops it with SIGTERM (graceful shutdown).
# Run it alone on the machine:
#   flock -x /work/cpu.lock timeout 600 api/bench/serve-and-run.sh MODEL DOCS SECONDS CONNS PORT OUTDIR
set -uo pipefail
MODEL="$1"; DOCS="$2"; SECS="$3"; CONNS="$4"; PORT="$5"; OUT="$6"
cd "$(dirname "$0")/../.."
rm -rf "$OUT"; mkdir -p "$OUT"
echo "start $(date -u +%T)"; lscpu | grep -E '^Model name|^CPU\(s\)'
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
  -jar api/target/lsr-api.jar --port "$PORT" --data "$OUT/data" --lsr.default-model="$MODEL" > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null' EXIT
t0=$(date +%s.%N)
prev=""
for _ in $(seq 1 2400); do
  s=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$PORT/actuator/health/readiness")
  [ "$s" != "$prev" ] && echo "readiness $s at $(echo "$(date +%s.%N) - $t0" | bc) s" && prev=$s
  [ "$s" = 200 ] && break
  sleep 0.25
done
grep -E "loaded from|ready" "$OUT/server.log" | cut -c100-
api/bench/run.sh "http://localhost:$PORT" "$DOCS" "$SECS" "$CONNS"
curl -s "localhost:$PORT/actuator/prometheus" | grep -E '^lsr_(search|encode)_seconds_(count|sum)'
kill -TERM $PID; wait $PID
echo "exit $? at $(date -u +%T)"; tail -3 "$OUT/server.log" | cut -c90-
