#!/usr/bin/env bash
# Runs opensearch/'s LsrPluginClusterTest (a real 3-node OpenSearch cluster in the test JVM) through
# Maven with -Popensearch-cluster. OpenSearch's test bootstrap refuses to run as root, so as root the
# run is made as an unprivileged user (nobody, or $LSR_CLUSTER_TEST_USER) on a private copy of the
# sources and a private, hard-linked copy of the local Maven repository (offline: everything it needs
# was resolved by the suite that ran before it). When that cannot be arranged on this machine it
# prints why and exits 0: a missing facility is not a test failure. A failing test exits non-zero.
#
#   bash opensearch/cluster-test.sh            # from anywhere; JAVA_HOME must name a JDK 25+
#   LSR_SKIP_CLUSTER_TEST=1 bash .ci/run       # leaves it out
#   LSR_CLUSTER_TEST=RankFeaturesComparisonBenchmark bash opensearch/cluster-test.sh -Dlsr.bench.docs=200000
#                                              # another test class of the module (the benchmark), with
#                                              # its output on the console; extra arguments go to Maven
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEST="${LSR_CLUSTER_TEST:-LsrPluginClusterTest}"
# The cluster test's node logs go to a file (printed on failure); any other class (a benchmark) prints.
[ "$TEST" = LsrPluginClusterTest ] && redirect=true || redirect=false
MVN_ARGS=(-B -pl opensearch -am test -Popensearch-cluster "-Dtest=$TEST" -Dsurefire.failIfNoSpecifiedTests=false
  -Djacoco.skip=true -Dlsr.headWidthTests.skip=true "-Dmaven.test.redirectTestOutputToFile=$redirect" "$@")

skip() { echo "cluster-test: SKIPPED: $*" >&2; exit 0; }

[ "${LSR_SKIP_CLUSTER_TEST:-}" = 1 ] && skip "LSR_SKIP_CLUSTER_TEST=1"
command -v mvn >/dev/null 2>&1 || skip "no mvn on PATH"
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] || skip "JAVA_HOME does not name a JDK"

report_failure() { # prints the test's own output (surefire keeps it in a file) after a failure
  local dir="$1/opensearch/target/surefire-reports"
  for f in "$dir"/*"$TEST"-output.txt; do
    [ -f "$f" ] && { echo "cluster-test: last lines of $f:" >&2; tail -n 120 "$f" >&2; }
  done
  return 0
}

if [ "$(id -u)" != 0 ]; then
  cd "$ROOT"
  mvn "${MVN_ARGS[@]}" || { report_failure "$ROOT"; exit 1; }
  exit 0
fi

# --- as root: run as an unprivileged user -------------------------------------------------------
RUN_USER="${LSR_CLUSTER_TEST_USER:-nobody}"
uid="$(id -u "$RUN_USER" 2>/dev/null)" || skip "no user '$RUN_USER' to run the cluster test as (OpenSearch refuses root)"
gid="$(id -g "$RUN_USER")"
[ "$uid" != 0 ] || skip "user '$RUN_USER' is root"
if command -v setpriv >/dev/null 2>&1; then
  AS_USER=(setpriv --reuid="$uid" --regid="$gid" --clear-groups)
elif command -v runuser >/dev/null 2>&1; then
  AS_USER=(runuser -u "$RUN_USER" --)
else
  skip "neither setpriv nor runuser is available to drop root"
fi
# From / and bounded: Maven's launcher walks up from the working directory looking for .mvn and
# spins forever when that directory is unreadable to the user (a clone inside a 0700 temp dir).
(cd / && timeout 60 "${AS_USER[@]}" "$JAVA_HOME/bin/java" -version >/dev/null 2>&1) \
  || skip "user '$RUN_USER' cannot run $JAVA_HOME/bin/java"
(cd / && timeout 120 "${AS_USER[@]}" mvn -v >/dev/null 2>&1) || skip "user '$RUN_USER' cannot run mvn"

repo="${LSR_M2_REPO:-$HOME/.m2/repository}"
[ -d "$repo" ] || skip "no local Maven repository at $repo (run the suite first; LSR_M2_REPO names another)"

work="$(mktemp -d /tmp/lsr-cluster-test.XXXXXX)" || skip "cannot create a directory under /tmp"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 143' TERM INT
chmod 755 "$work"

# The repository is hard-linked (same file system; a full copy otherwise): the user gets its own
# directories to write resolver metadata in, while every artifact file stays root's, read-only to it,
# so nothing it does can change the root repository.
if ! cp -rl "$repo" "$work/m2" 2>/dev/null; then
  rm -rf "$work/m2"
  cp -r "$repo" "$work/m2" || skip "cannot copy the Maven repository $repo"
fi
# Sources, without build outputs or git metadata; ../shared (test data) is reached through a link.
mkdir "$work/src" "$work/home"
tar -C "$ROOT" --exclude=./.git --exclude='./*/target' --exclude=./target -cf - . | tar -C "$work/src" -xf -
[ -d "$ROOT/../shared" ] && ln -s "$(cd "$ROOT/../shared" && pwd -P)" "$work/shared"
find "$work/m2" -type d -exec chown "$uid:$gid" {} +
chown -R "$uid:$gid" "$work/src" "$work/home"

echo "cluster-test: running $TEST as '$RUN_USER' (uid $uid) on a copy of the sources in $work" >&2
start=$(date +%s)
# Bounded too, so that a hang fails the run instead of holding CI until its own limit.
limit="${LSR_CLUSTER_TEST_TIMEOUT:-1200}"
if ! (cd "$work/src" && timeout "$limit" "${AS_USER[@]}" env HOME="$work/home" JAVA_HOME="$JAVA_HOME" PATH="$PATH" \
        mvn -o "-Dmaven.repo.local=$work/m2" "${MVN_ARGS[@]}") 2>&1 | tee "$work/mvn.log"; then
  echo "cluster-test: the run as '$RUN_USER' failed or gave no result within $limit s (LSR_CLUSTER_TEST_TIMEOUT)" >&2
  # The same sources were built as root just before; a build that stops before surefire starts
  # here is this machine's doing (offline resolution from the copied repository, permissions),
  # not the code's.
  if ! grep -q "T E S T S" "$work/mvn.log"; then
    skip "the build as '$RUN_USER' stopped before any test ran (see the Maven output above)"
  fi
  report_failure "$work/src"
  exit 1
fi
echo "cluster-test: passed in $(( $(date +%s) - start )) s" >&2
