package org.unicom4j.cli.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code unicom4j serve} in a JVM of its own, on a free port, that a test can kill as the kernel would (SIGKILL). */
final class ServerProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("unicom4j serve: (http://\\S+?)/ ");
    private final Process process;
    private final String url;

    private ServerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts {@code unicom4j serve --port 0 ARGS...} and waits (up to two minutes) for its "serving" line. */
    static ServerProcess start(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), "org.unicom4j.cli.Unicom4j", "serve", "--port", "0"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher m = URL.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String found = url.get(2, TimeUnit.MINUTES);
        if (found == null) {
            process.destroyForcibly();
            throw new AssertionError("unicom4j serve ended without serving; its stderr is in " + log);
        }
        return new ServerProcess(process, found);
    }

    String url() {
        return url;
    }

    /** SIGKILL: no shutdown hook, no commit on close, no flush; then waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    /** SIGTERM, the way Ctrl-C or a service manager stops it (its shutdown hook closes the index); waits for it. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("unicom4j serve did not stop within a minute of SIGTERM");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
