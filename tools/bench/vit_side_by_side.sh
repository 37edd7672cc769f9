#!/usr/bin/env bash
# ViT-B/32 benchmarks on the CPU backend (docs/PERFORMANCE.md, section "ViT-B/32"). Run from anywhere:
#   tools/bench/vit_side_by_side.sh inference [--rounds 15] [--threads 2]    # vs ONNX Runtime and PyTorch
#   tools/bench/vit_side_by_side.sh training  [--steps 4]  [--batch 32]     # one training step vs PyTorch
#   tools/bench/vit_side_by_side.sh profile   [--train]                     # our time per kernel / GEMM shape
#   tools/bench/vit_side_by_side.sh ort-profile                             # ONNX Runtime's time per node
# The first run exports a random ViT-B/32 with PyTorch (/usr/bin/python3, torch 1.13) to bench/target/vit-b32
# (about 900 MB, outside git; --dir elsewhere to keep it across `mvn clean`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
JAVA_HOME="$("$here/scripts/find-jdk.sh")"
case "${1:-}" in
  inference) main=VitInferenceSideBySide; heap=3g ;;
  training) main=VitTrainingSideBySide; heap=6g ;;
  profile) main=VitKernelProfile; heap=6g ;;
  ort-profile) main=OrtNodeProfile; heap=3g ;;
  *) echo "usage: $0 inference|training|profile|ort-profile [options of the main class]" >&2; exit 2 ;;
esac
shift
./mvnw -q -DskipTests package -pl bench -am >&2   # also writes bench/target/classpath.txt
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -Xmx$heap \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "org.unicom4j.bench.vit.$main" "$@"
