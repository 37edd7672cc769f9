#!/usr/bin/env bash
# The device check in one command (docs/PERFORMANCE.md, "OpenCL on a GPU: the device check").
#
#   tools/device/check.sh --pack      # here: build, then pack into tools/device/pack (under 64 MiB) a jlink-built
#                                     # JDK 25 runtime, the jars and libOpenCL.so.1 (the ocl-icd loader)
#   tools/device/check.sh [--quick]   # there (or here, on PoCL): from the pack alone, no JDK, Maven or network:
#                                     # the OpenCL kernel tests, then the GEMM, fused sampled-cosine and ViT-B/32
#                                     # benchmarks; prints one table, keeps the logs in $OUT (else tools/device/results)
#
# With the device tool: run(command="tools/device/check.sh", carry=["tools/device/pack"]). --quick uses sizes a CPU
# OpenCL (PoCL) finishes in a few minutes. Exit status: non-zero if a test failed or a step did not run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pack="$here/pack"
MAX_PACK_MIB=60 # the device tool carries 64 MiB, the working tree (about 4 MiB) included

pack() {
  local jdk jars junit
  jdk="$("$root/scripts/find-jdk.sh")"
  (cd "$root" && ./mvnw -q -B -ntp -DskipTests package -pl bench -am) >&2 # also writes bench/target/classpath.txt
  rm -rf "$pack"
  mkdir -p "$pack/jars" "$pack/lib"
  # Our jars (by glob: the OpenCL tests are in the kernels test-jars) and, of the bench classpath, what the tests
  # and benchmarks run here need; ND4J, OpenBLAS and ONNX Runtime (hundreds of MB, CPU baselines) stay behind.
  cp "$root"/*/target/unicom4j-*.jar "$pack/jars/"
  tr ':' '\n' <"$root/bench/target/classpath.txt" |
    grep -E '/(jocl|jackson-[a-z]+|jmh-core|jopt-simple|commons-math3)-[0-9][^/]*\.jar$' |
    while read -r jar; do cp "$jar" "$pack/jars/"; done
  junit="1.$(sed -n 's|.*<junit.version>5\.\([0-9.]*\)</junit.version>.*|\1|p' "$root/pom.xml")" # Jupiter 5.x.y: Platform 1.x.y
  (cd "$root" && ./mvnw -q -B -ntp -N dependency:copy -DoutputDirectory="$pack/jars" \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit") >&2
  # the modules jdeps finds in those jars, less java.desktop (ImageIO, AWT: no image is decoded here), and
  # jdk.zipfs, through which JUnit scans a jar for tests
  "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.sql,java.xml,jdk.zipfs,jdk.incubator.vector \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$pack/jdk" >"$pack/jlink.log" 2>&1 ||
    { cat "$pack/jlink.log" >&2; exit 1; }
  rm "$pack/jlink.log"
  if command -v strip >/dev/null; then # native symbol tables: about 5 MB of libjvm.so
    find "$pack/jdk" -name '*.so' -exec strip --strip-unneeded {} +
  fi
  local opencl
  opencl="$(readlink -f /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 2>/dev/null || true)"
  if [ ! -f "$opencl" ]; then # not installed here: the Debian package's file, unpacked without installing it
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && apt-get download ocl-icd-libopencl1 >&2 && dpkg-deb -x ocl-icd-libopencl1_*.deb x)
    opencl="$(readlink -f "$tmp"/x/usr/lib/x86_64-linux-gnu/libOpenCL.so.1)"
  fi
  cp "$opencl" "$pack/lib/libOpenCL.so.1"
  local mib
  mib=$(du -sm "$pack" | cut -f1)
  echo "packed $pack: $mib MiB (jdk $(du -sm "$pack/jdk" | cut -f1), jars $(du -sm "$pack/jars" | cut -f1), lib $(du -sk "$pack/lib" | cut -f1) KiB)"
  if [ "$mib" -gt "$MAX_PACK_MIB" ]; then
    echo "check.sh: the pack is $mib MiB, over $MAX_PACK_MIB MiB: the device tool would refuse it" >&2
    exit 1
  fi
}

# The OpenCL loader finds drivers through /etc/OpenCL/vendors/*.icd; where a GPU driver ships its library but no
# .icd file (a driver folder mounted into a container), name the library directly.
find_icd() {
  if ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1 || [ -n "${OCL_ICD_FILENAMES:-}${OCL_ICD_VENDORS:-}" ]; then
    return
  fi
  local lib
  lib="$(find /usr/local/nvidia /usr/lib/x86_64-linux-gnu /usr/lib64 -name 'libnvidia-opencl.so*' 2>/dev/null | head -n 1)"
  if [ -n "$lib" ]; then
    export OCL_ICD_FILENAMES="$lib"
  fi
}

check() {
  local quick="$1" java out flags cp status=0
  [ -x "$pack/jdk/bin/java" ] || { echo "check.sh: no pack at $pack; run tools/device/check.sh --pack first" >&2; exit 1; }
  java="$pack/jdk/bin/java"
  out="${OUT:-$here/results}"
  mkdir -p "$out"
  export LD_LIBRARY_PATH="$pack/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  find_icd
  export CI=true # a missing OpenCL platform fails the tests instead of skipping them
  flags="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -Duser.language=en"
  cp="$pack/jars/*"
  local sizes="1024,4096" vit_batch=32 jmh_time=(-wi 2 -w 2s -i 3 -r 2s)
  if [ "$quick" = 1 ]; then sizes="512" vit_batch=4 jmh_time=(-wi 1 -w 1s -i 2 -r 1s); fi
  {
    echo "OpenCL loader: /etc/OpenCL/vendors: $(ls /etc/OpenCL/vendors 2>/dev/null | tr '\n' ' ')OCL_ICD_FILENAMES=${OCL_ICD_FILENAMES:-}"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true
  } >"$out/device.txt"

  # 1. The kernel test suite (every kernel on each backend against the naive references, and the OpenCL backend's
  #    own tests; the CPU backend's internals, package kernels.cpu, are left to the build). The cases that compare
  #    with ND4J fail with NoClassDefFoundError, ND4J not being packed, and are counted apart.
  "$java" $flags -Xmx8g -cp "$cp" org.junit.platform.console.ConsoleLauncher execute --disable-banner \
    --details=summary --scan-classpath $(ls "$pack"/jars/unicom4j-kernels*-tests.jar) --include-classname '.*Test' \
    --exclude-package org.unicom4j.kernels.cpu --reports-dir "$out/tests" >"$out/tests.log" 2>&1 || true
  local tests
  tests="$(test_summary "$out/tests")" || status=1

  # 2. GEMM and the fused sampled-cosine loss on the opencl backend (JMH; the jar's benchmark list).
  "$java" $flags -cp "$cp" org.openjdk.jmh.Main 'OpenClBenchmark.gemm(NN|NT|TN)$' -p backendName=opencl -p n="$sizes" \
    "${jmh_time[@]}" -f 1 -rf csv -rff "$out/jmh-gemm.csv" >"$out/jmh-gemm.log" 2>&1 || status=1
  "$java" $flags -cp "$cp" org.openjdk.jmh.Main 'OpenClBenchmark.(sampledCosineForward|sampledLossStep|gemmOfGatheredOperands)$' \
    -p backendName=opencl "${jmh_time[@]}" -f 1 -rf csv -rff "$out/jmh-sampled.csv" >"$out/jmh-sampled.log" 2>&1 || status=1

  # 3. ViT-B/32 inference (random weights and images), opencl and, for scale, the cpu backend of the same machine.
  local vit=()
  for backend in opencl cpu; do
    if "$java" $flags -Xmx16g -cp "$cp" org.unicom4j.bench.vit.VitInferenceThroughput --backend "$backend" \
      --batch "$vit_batch" --rounds "$([ "$quick" = 1 ] && echo 4 || echo 12)" --warmup "$([ "$quick" = 1 ] && echo 1 || echo 3)" \
      >"$out/vit-$backend.log" 2>&1; then
      vit+=("$(sed -n 's/^vit-b32 \([a-z]*\)[:,].* batch \([0-9]*\): \(.*\)$/| ViT-B\/32 inference, \1, batch \2 | \3 |/p' \
        "$out/vit-$backend.log")")
    else
      vit+=("| ViT-B/32 inference, $backend | failed, see $out/vit-$backend.log |")
      status=1
    fi
  done

  {
    echo "device check $(date -u +%Y-%m-%dT%H:%MZ); $(tr '\n' ' ' <"$out/device.txt")"
    sed -n 's/^vit-b32 \(opencl: .*\) batch [0-9]*: .*/OpenCL device: \1/p' "$out/vit-opencl.log"
    sed -n 's/^vit-b32 \(cpu: .*\) batch [0-9]*: .*/CPU backend: \1/p' "$out/vit-cpu.log"
    echo
    echo "| check | result |"
    echo "|---|---|"
    echo "| kernel tests (each backend vs naive references; OpenCL backend tests) | $tests |"
    jmh_rows "$out/jmh-gemm.csv" "$out/jmh-sampled.csv"
    printf '%s\n' "${vit[@]}"
  } | tee "$out/table.md"
  return $status
}

# "P passed, F failed, N need ND4J (not packed), S skipped" from the JUnit XML reports; fails if F > 0 or none ran.
test_summary() {
  local xml
  xml="$(cat "$1"/*.xml 2>/dev/null || true)"
  [ -n "$xml" ] || { echo "did not run (see tests.log)"; return 1; }
  echo "$xml" | awk '
    /<testcase / { n++ }
    /<(failure|error)[ >]/ { bad = 1 }
    /org\/nd4j|org\.nd4j/ && bad { nd4j_case = 1 }
    /<skipped/ { s++ }
    /<\/testcase>/ { if (bad) { if (nd4j_case) nd++; else f++ } bad = 0; nd4j_case = 0 }
    END {
      printf "%d passed, %d failed, %d need ND4J (not packed), %d skipped\n", n - f - nd - s, f, nd, s
      exit (f > 0 || n == 0)
    }'
}

# One row per JMH result: the benchmark, its n, ms/op with the error, and GFLOP/s for the products.
jmh_rows() {
  cat "$@" 2>/dev/null | awk -F, '
    { sub(/\r$/, "") }
    $1 == "\"Benchmark\"" { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); col[h] = i } next }
    {
      name = $col["Benchmark"]; gsub(/"|.*\./, "", name)
      ms = $col["Score"]; err = $col["Score Error (99.9%)"]
      n = $col["Param: n"] + 0; b = $col["Param: batch"]; c = $col["Param: sampledClasses"]; d = $col["Param: sampledDims"]
      flop = name ~ /^gemm(NN|NT|TN)$/ ? 2 * n * n * n : (name ~ /Gathered|Forward/ ? 2 * b * c * d : 0)
      shape = name ~ /^gemm(NN|NT|TN)$/ ? n "^3" : b " x " c " of " 10 * c " classes, " d " dims"
      rate = flop > 0 ? sprintf(", %.0f GFLOP/s", flop / (ms * 1e6)) : ""
      error = err ~ /[0-9]/ && err !~ /NaN/ ? sprintf(" +- %.3f", err) : ""
      printf "| opencl %s (%s) | %.3f%s ms%s |\n", name, shape, ms, error, rate
    }'
}

case "${1:-}" in
  --pack) pack ;;
  --quick) check 1 ;;
  "") check 0 ;;
  *) echo "usage: tools/device/check.sh [--pack | --quick]" >&2; exit 2 ;;
esac
