package org.unicom4j.bench.vit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where ONNX Runtime's time goes on the same ViT-B/32 (ALL_OPT, the same intra-op threads): its own profiler
 * (SessionOptions.enableProfiling) records every node; this sums the node times of the measured runs by
 * operator type and by node (block index removed, so the twelve blocks add up), with GFLOP/s for MatMul and
 * Gemm nodes from their recorded input shapes. For comparison with {@link VitKernelProfile}'s tables.
 *
 * <p>Usage (from the repository root): {@code OrtNodeProfile [--dir bench/target/vit-b32] [--iters 5]
 * [--warmup 2] [--threads 2]}.
 */
public final class OrtNodeProfile {
    private OrtNodeProfile() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("dir", "iters", "warmup", "threads", "python"), Set.of());
        Path dir = Path.of(args.get("dir", "bench/target/vit-b32"));
        int iters = args.getInt("iters", 5), warmup = args.getInt("warmup", 2), threads = args.getInt("threads", 2);
        VitBenchFiles files = VitBenchFiles.prepare(dir, args.get("python", "/usr/bin/python3"), 8);
        float[] images = files.images();
        int batch = images.length / (3 * 224 * 224);
        System.out.println("load average at start: " + Args.loadAverage());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path profile;
        long wall;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.enableProfiling(Files.createTempDirectory("ort-profile").resolve("vit").toString());
            try (OrtSession session = env.createSession(files.onnx().toString(), options)) {
                String input = session.getInputNames().iterator().next();
                long[] shape = {batch, 3, 224, 224};
                long w0 = 0;
                for (int i = 0; i < warmup + iters; i++) {
                    if (i == warmup) {
                        w0 = System.nanoTime();
                    }
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), shape);
                         OrtSession.Result r = session.run(Map.of(input, x))) {
                        r.get(0).getValue();
                    }
                }
                wall = System.nanoTime() - w0;
                profile = Path.of(session.endProfiling());
            }
        }
        System.out.println("load average at end: " + Args.loadAverage());
        JsonNode events = new ObjectMapper().readTree(profile.toFile());
        List<Long> runStarts = new ArrayList<>();
        for (JsonNode e : events) {
            if ("Session".equals(e.path("cat").asText()) && "model_run".equals(e.path("name").asText())) {
                runStarts.add(e.path("ts").asLong());
            }
        }
        runStarts.sort(null);
        if (runStarts.size() != warmup + iters) {
            throw new IllegalStateException(profile + ": " + runStarts.size() + " model_run events, expected "
                    + (warmup + iters));
        }
        long measuredFrom = runStarts.get(warmup);
        KernelTimes byOp = new KernelTimes(), byNode = new KernelTimes();
        for (JsonNode e : events) {
            if (!"Node".equals(e.path("cat").asText()) || !e.path("name").asText().endsWith("_kernel_time")
                    || e.path("ts").asLong() < measuredFrom) {
                continue;
            }
            String op = e.path("args").path("op_name").asText();
            long nanos = e.path("dur").asLong() * 1000;
            double flops = matMulFlops(op, e.path("args"));
            byOp.add(op, nanos, 0, flops);
            String node = e.path("name").asText().replace("_kernel_time", "").replaceAll("blocks\\.\\d+", "blocks.N");
            byNode.add(node + " (" + op + ")", nanos, 0, flops);
        }
        System.out.printf("ONNX Runtime %s, %d intra-op threads, ALL_OPT; batch %d, %d runs after %d warm-up: "
                        + "%.1f ms per batch (profiling on); node times from %s%n", env.getVersion(), threads, batch,
                iters, warmup, wall / 1e6 / iters, profile);
        print("operator", byOp, iters, wall);
        print("node (blocks.N summed over the blocks)", byNode, iters, wall);
    }

    /**
     * 2 m n k of a MatMul / Gemm / FusedMatMul: m n from the output shape, k from the first input's last axis
     * (prepacked constant weights are not listed among the recorded inputs). 0 for other operators.
     */
    private static double matMulFlops(String op, JsonNode args) {
        if (!(op.equals("MatMul") || op.equals("Gemm") || op.equals("FusedMatMul"))) {
            return 0;
        }
        JsonNode a = args.path("input_type_shape").get(0).elements().next();
        JsonNode out = args.path("output_type_shape").get(0).elements().next();
        double outputs = 1;
        for (JsonNode dim : out) {
            outputs *= dim.asLong();
        }
        return 2 * outputs * a.get(a.size() - 1).asLong();
    }

    private static void print(String title, KernelTimes times, int iters, long wall) {
        System.out.printf("%n| %s | calls | ms/batch | share of wall | GFLOP/s |%n|---|---|---|---|---|%n", title);
        for (KernelTimes.Entry e : times.entries()) {
            System.out.printf("| %s | %d | %.1f | %.1f%% | %s |%n", e.name(), e.calls() / iters, e.nanos() / 1e6 / iters,
                    100.0 * e.nanos() / wall, e.flops() > 0 ? String.format("%.1f", e.flops() / e.nanos()) : "");
        }
        System.out.printf("| (outside nodes) | | %.1f | %.1f%% | |%n", (wall - times.totalNanos()) / 1e6 / iters,
                100.0 * (wall - times.totalNanos()) / wall);
    }
}
