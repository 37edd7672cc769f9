#!/usr/bin/env bash
# Builds the bench module and runs JMH with the given arguments, e.g.
#   scripts/bench.sh SgemmBenchmark -wi 3 -i 5 -f 1
#   scripts/bench.sh SampledCosineBenchmark -prof gc
# Uses the JDK found by scripts/find-jdk.sh; the classpath comes from Maven (no fat jar).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$here/scripts/find-jdk.sh")"
cd "$here"
./mvnw -q -DskipTests install -pl bench -am >&2
./mvnw -q dependency:build-classpath -pl bench -Dmdep.outputFile=target/bench.classpath >&2
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/classes:$(cat bench/target/bench.classpath)" org.openjdk.jmh.Main \
  -jvmArgsAppend "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED" "$@"
