#!/usr/bin/env bash
# Builds the bench module and runs JMH with the given arguments, e.g.
#   scripts/bench.sh SgemmBenchmark -wi 3 -i 5 -f 1
#   scripts/bench.sh SampledCosineBenchmark -prof gc
# Uses the JDK found by scripts/find-jdk.sh; the classpath is the one the bench module writes (no fat jar).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$here/scripts/find-jdk.sh")"
cd "$here"
./mvnw -q -DskipTests package -pl bench -am >&2   # also writes bench/target/classpath.txt
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main \
  -jvmArgsAppend "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED" "$@"
