#!/usr/bin/env bash
# The search service's throughput against the model in-process (docs/PERFORMANCE.md, "Search service"): builds the
# bench module, then runs ServeThroughput for the demo's model shape and for ViT-B/32 (random weights unless
# --weights is given, then for that model alone). Extra arguments go to ServeThroughput, e.g.
#   scripts/serve-bench.sh                                   # both models, 10 s phases (B/32: 30 s), 3 rounds
#   scripts/serve-bench.sh --weights runs/demo/unicom/model.safetensors
# Results: a table on stdout and runs/bench/serve-throughput-*.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$here/scripts/find-jdk.sh")"
cd "$here"
./mvnw -q -DskipTests package -pl bench -am >&2   # also writes bench/target/classpath.txt
run() {
  "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx${UNICOM4J_HEAP:-6g} \
    -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.unicom4j.bench.vit.ServeThroughput "$@"
}
if [[ " $* " == *" --weights "* ]]; then
  run "$@"
else
  run --model demo "$@"
  run --model ViT-B/32 --seconds 30 "$@"
fi
