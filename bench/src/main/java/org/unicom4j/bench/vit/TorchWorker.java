package org.unicom4j.bench.vit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * PyTorch in a child process ({@code vit_bench.py serve}), driven one step at a time so that its steps can be
 * alternated with ours on the same machine. Each step replies with its wall and process CPU time as PyTorch
 * measured them (perf_counter and process_time), so pipe latency is not counted.
 */
public final class TorchWorker implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;
    private final String version;

    public TorchWorker(String python, Path dir, int threads, int trainBatch) throws IOException {
        process = new ProcessBuilder(List.of(python, VitBenchFiles.script().toString(), "--threads",
                Integer.toString(threads), "serve", "--dir", dir.toString(), "--train-batch",
                Integer.toString(trainBatch))).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = reply();
        if (!ready.startsWith("ready")) {
            throw new IllegalStateException("vit_bench.py serve: expected 'ready', got '" + ready + "'");
        }
        version = ready.substring("ready ".length());
    }

    /** "torch-version threads". */
    public String version() {
        return version;
    }

    /** One eval forward of the exported images: {wall ns, cpu ns}. */
    public long[] infer() throws IOException {
        return times("infer");
    }

    /** One training step (forward + backward) at the train batch: {wall ns, cpu ns}. */
    public long[] train() throws IOException {
        return times("train");
    }

    /** {peak RSS, current RSS, RSS after loading the model}, KiB. */
    public long[] memoryKib() throws IOException {
        return numbers("memory", 3);
    }

    private long[] times(String command) throws IOException {
        return numbers(command, 2);
    }

    private long[] numbers(String command, int count) throws IOException {
        in.println(command);
        String line = reply();
        String[] parts = line.trim().split("\\s+");
        if (parts.length != count) {
            throw new IllegalStateException("vit_bench.py serve: '" + command + "' answered '" + line + "', expected "
                    + count + " numbers");
        }
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            v[i] = Long.parseLong(parts[i]);
        }
        return v;
    }

    private String reply() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("vit_bench.py serve exited (code " + waitExit() + ")");
        }
        return line;
    }

    private int waitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        in.println("quit");
        in.close();
        waitExit();
    }
}
