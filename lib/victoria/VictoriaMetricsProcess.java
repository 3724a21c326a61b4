import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A private VictoriaMetrics (the Debian binary, {@code /usr/bin/victoria-metrics}, or {@code $QAIRON_VM_BIN}) on a
 * free loopback port with its data in a given directory and a 2-year retention (generated data reaches a year
 * back; the default month would drop most of it). For tests and benchmarks; {@link #close} stops it.
 */
final class VictoriaMetricsProcess implements AutoCloseable {
    private final Process process;
    private final URI url;
    private final Path log;

    private VictoriaMetricsProcess(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** The process, for its CPU time. */
    ProcessHandle handle() { return process.toHandle(); }

    static Path binary() {
        String env = System.getenv("QAIRON_VM_BIN");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/victoria-metrics");
    }

    /**
     * Why {@link #binary()} cannot be run, or null when it can; benchmarks ask before they spend minutes generating.
     */
    static String unavailable() {
        Path b = binary();
        if (Files.isExecutable(b)) return null;
        return b + (Files.exists(b) ? " is not executable" : " not found")
                + ": install the Debian package (apt-get install victoria-metrics) or point QAIRON_VM_BIN at a victoria-metrics binary";
    }

    static VictoriaMetricsProcess start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * As {@link #start(Path)}, with the process's open-files limit set to {@code maxOpenFiles} (util-linux prlimit)
     * when it is above 0: a store started the way a container engine often starts it.
     */
    static VictoriaMetricsProcess start(Path dataDir, int maxOpenFiles) {
        try {
            Files.createDirectories(dataDir);
            int port;
            try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path log = dataDir.resolve("victoria-metrics.log");
            var command = new java.util.ArrayList<String>();
            if (maxOpenFiles > 0) command.addAll(java.util.List.of("prlimit", "--nofile=" + maxOpenFiles + ":" + maxOpenFiles, "--"));
            command.addAll(java.util.List.of(binary().toString(), "-storageDataPath=" + dataDir.resolve("data"),
                    "-httpListenAddr=127.0.0.1:" + port, "-retentionPeriod=2y", "-loggerLevel=WARN"));
            var p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            var vm = new VictoriaMetricsProcess(p, URI.create("http://127.0.0.1:" + port), log);
            vm.awaitHealthy();
            return vm;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary() + ": " + e.getMessage(), e);
        }
    }

    URI url() { return url; }

    private void awaitHealthy() {
        var http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("victoria-metrics exited: " + tail());
            try {
                var r = http.send(HttpRequest.newBuilder(url.resolve("/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("victoria-metrics not healthy within 60 s: " + tail());
    }

    /** Makes everything received searchable now (instead of within a few seconds). */
    void flush() {
        get("/internal/force_flush");
    }

    String get(String pathAndQuery) {
        try {
            var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IllegalStateException(pathAndQuery + ": HTTP " + r.statusCode() + " " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String tail() {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 2000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops it at once, as a crash would: nothing flushed, no answer to requests in flight. */
    void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
