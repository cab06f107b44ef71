#!/usr/bin/env bash
# The "fresh Maven project" check of issue 15: installs every lsr artifact into a PRIVATE local
# repository (never ~/.m2, which other checkouts share), then builds and runs, outside this
# repository, a project whose pom names one dependency, dev.lsr:lsr-langchain4j, and whose code is
# langchain4j/README.md's example as printed: an embedded collection, documents ingested with a
# model, retrieved with a filter. Exit 0 when it prints the expected hit.
#
#   scripts/fresh-project.sh [MODEL]      MODEL: a model name, directory or ONNX export
#                                         (default ../shared/models/tiny-mlm/model.onnx)
#   LSR_FRESH_M2=DIR   the private repository (default /work/m2-integrations, seeded from ~/.m2/repository)
#   LSR_FRESH_SKIP_INSTALL=1   reuse what an earlier run installed there
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="${LSR_FRESH_M2:-/work/m2-integrations}"
MODEL="${1:-$ROOT/../shared/models/tiny-mlm/model.onnx}"
[ -e "$MODEL" ] || { echo "fresh-project: model $MODEL not found (give a model name, directory or ONNX export)" >&2; exit 2; }
MODEL="$(cd "$(dirname "$MODEL")" && pwd)/$(basename "$MODEL")"
VERSION="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -1)"

if [ ! -d "$REPO" ]; then
  echo "fresh-project: seeding $REPO from ~/.m2/repository" >&2
  mkdir -p "$REPO"
  if [ -d "$HOME/.m2/repository" ]; then cp -a "$HOME/.m2/repository/." "$REPO/"; fi
fi

t0=$(date +%s)
if [ -z "${LSR_FRESH_SKIP_INSTALL:-}" ]; then
  echo "fresh-project: mvn install (tests skipped) into $REPO" >&2
  (cd "$ROOT" && mvn -B -q install -DskipTests -Dmaven.repo.local="$REPO")
fi
t1=$(date +%s)

WORK="$(mktemp -d /tmp/lsr-fresh-XXXXXX)"
mkdir -p "$WORK/src/main/java"
# The example exactly as langchain4j/README.md prints it.
awk '/<!-- example/{f=1; next} f && /^```java/{p=1; next} p && /^```/{exit} p' "$ROOT/langchain4j/README.md" > "$WORK/src/main/java/Example.java"
cat > "$WORK/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>fresh</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>25</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <build>
    <plugins>
      <plugin><!-- Maven 3.8's default compiler plugin predates 'release' -->
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.1</version>
      </plugin>
    </plugins>
  </build>
  <dependencies>
    <dependency>
      <groupId>dev.lsr</groupId>
      <artifactId>lsr-langchain4j</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
echo "fresh-project: building $WORK (depends on dev.lsr:lsr-langchain4j:$VERSION only)" >&2
(cd "$WORK" && mvn -B -q -Dmaven.repo.local="$REPO" compile dependency:build-classpath -Dmdep.outputFile=cp.txt)
OUT="$(cd "$WORK" && java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:$(cat cp.txt)" Example "$WORK/data" "$MODEL" 2>"$WORK/stderr.txt")"
t2=$(date +%s)
echo "$OUT"
EXPECTED="Learned sparse retrieval expands documents with related terms. en"
if [ "$OUT" != "$EXPECTED" ]; then
  echo "fresh-project: FAILED: expected '$EXPECTED'; stderr in $WORK/stderr.txt" >&2
  exit 1
fi
echo "fresh-project: OK (install $((t1 - t0)) s, outside project build + run $((t2 - t1)) s; project in $WORK)" >&2
