import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * {@code --serve-metrics HOST:PORT}: the live run's native metrics at {@code /metrics}, as the simulated services
 * would expose them to Prometheus, vmagent or a collector's prometheus receiver. OpenMetrics text with exemplars
 * when the scraper asks for it ({@code Accept: application/openmetrics-text}), else the Prometheus text format
 * 0.0.4; gzip when accepted. Every sample is stamped with the moment up to which its requests are counted, so the
 * scraped counters match the generated requests exactly.
 */
final class LiveServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final LiveRun run;

    private LiveServer(HttpServer server, ExecutorService executor, LiveRun run) {
        this.server = server;
        this.executor = executor;
        this.run = run;
    }

    /** Parses {@code HOST:PORT} (port 0: any free one); IllegalArgumentException naming the flag. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--serve-metrics must be HOST:PORT, e.g. 127.0.0.1:9464, got \"" + hostPort + "\"");
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("--serve-metrics: bad port in \"" + hostPort + "\"");
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** Listens on {@code address}; an UncheckedIOException when it cannot (the port taken). */
    static LiveServer start(InetSocketAddress address, LiveRun run) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("--serve-metrics: cannot listen on " + address + " (" + e.getMessage() + ")", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon().name("live-http").unstarted(r));
        var s = new LiveServer(server, executor, run);
        server.createContext("/metrics", s::metrics);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    /** The address it listens on (the port chosen when 0 was asked). */
    InetSocketAddress address() { return server.getAddress(); }

    /** {@code http://host:port}. */
    String url() {
        var a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + a.getPort();
    }

    private void metrics(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                reply(x, 405, "text/plain; charset=utf-8", "GET /metrics\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String accept = String.join(",", x.getRequestHeaders().getOrDefault("Accept", java.util.List.of()));
            boolean openMetrics = accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
            var buf = new JsonLineBuffer(1 << 20);
            try {
                run.expose(buf, openMetrics);
            } catch (IllegalStateException e) {
                reply(x, 503, "text/plain; charset=utf-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            String type = openMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8" : "text/plain; version=0.0.4; charset=utf-8";
            String encoding = String.join(",", x.getRequestHeaders().getOrDefault("Accept-Encoding", java.util.List.of()));
            if (encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
                var out = new ByteArrayOutputStream(buf.length / 8 + 64);
                try (var z = new GZIPOutputStream(out, 1 << 16) { { def.setLevel(java.util.zip.Deflater.BEST_SPEED); } }) {
                    z.write(buf.bytes, 0, buf.length);
                }
                x.getResponseHeaders().set("Content-Encoding", "gzip");
                reply(x, 200, type, out.toByteArray());
            } else {
                reply(x, 200, type, java.util.Arrays.copyOf(buf.bytes, buf.length));
            }
        }
    }

    static void reply(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
