package org.unicom4j.bench.vit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The random ViT-B/32 that tools/bench/vit_bench.py exports (state dict, ONNX graph, images and PyTorch's
 * outputs), in a directory outside git. Running the export here, when the files are missing, keeps each
 * comparison a single command.
 */
public final class VitBenchFiles {
    private final Path dir;

    private VitBenchFiles(Path dir) {
        this.dir = dir;
    }

    /** The export in {@code dir}, made first by {@code python export --out dir} when it is not complete. */
    public static VitBenchFiles prepare(Path dir, String python, int batch) throws IOException, InterruptedException {
        VitBenchFiles files = new VitBenchFiles(dir);
        if (!Files.exists(files.meta())) {
            System.out.println("exporting a random ViT-B/32 to " + dir + " (PyTorch, about 2 minutes)");
            run(List.of(python, script().toString(), "export", "--out", dir.toString(), "--batch",
                    Integer.toString(batch)));
        }
        return files;
    }

    /** tools/bench/vit_bench.py, found from the working directory (the repository root). */
    public static Path script() {
        Path p = Path.of("tools", "bench", "vit_bench.py");
        if (!Files.exists(p)) {
            throw new IllegalStateException("tools/bench/vit_bench.py not found from " + Path.of("").toAbsolutePath()
                    + ": run from the repository root");
        }
        return p;
    }

    public Path dir() {
        return dir;
    }

    public Path weights() {
        return dir.resolve("weights_fp32.pt");
    }

    public Path onnx() {
        return dir.resolve("vit_b32.onnx");
    }

    private Path meta() {
        return dir.resolve("meta.json");
    }

    /** Input images [batch, 3, 224, 224]. */
    public float[] images() throws IOException {
        return readFloats(dir.resolve("images.f32"));
    }

    /** PyTorch's float32 eval output [batch, 512]. */
    public float[] torchOutput() throws IOException {
        return readFloats(dir.resolve("torch_out.f32"));
    }

    /** The same computed in float64 (rounded to float32). */
    public float[] referenceOutput() throws IOException {
        return readFloats(dir.resolve("reference_out.f32"));
    }

    static float[] readFloats(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % 4 != 0) {
            throw new IllegalArgumentException(file + ": " + bytes.length + " bytes, expected a multiple of 4");
        }
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).inheritIO().start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new UncheckedIOException(new IOException(String.join(" ", command) + " exited with " + rc));
        }
    }
}
