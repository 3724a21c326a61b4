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
 *
 * <p>The drill API on the same port, JSON in and out:
 * <ul>
 * <li>{@code GET /incidents}: the incidents so far (planned ones once started, injected ones), with their state.
 * <li>{@code POST /incidents} {@code {"component": "redis_feed", "failure_rate": 0.2, "start_in": "30s", "duration": "10m"}}
 * (all but the component optional: {@link Drill}'s defaults, now): 201 and the incident.
 * <li>{@code DELETE /incidents/{id}}: ends it now (or calls off one not started); 404 unknown, 409 already over.
 * <li>{@code POST /deployments} {@code {"service": "content:posts", "error_rate_boost": 0.3, "latency_multiplier": 1.5,
 * "start_in": "0s", "duration": "10m"}}: a bad release of one service on every placement; 201 and its windows.
 * </ul>
 * An unknown component or service is a 400 naming the known ones ({@code known_components}, {@code known_services}).
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
        server.createContext("/incidents", s::incidents);
        server.createContext("/deployments", s::deployments);
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

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private void incidents(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath().replaceAll("/+$", "");
            String method = x.getRequestMethod();
            try {
                if (path.equals("/incidents") && method.equals("GET")) {
                    json(x, 200, java.util.Map.of("incidents", run.incidents()));
                } else if (path.equals("/incidents") && method.equals("POST")) {
                    var body = body(x);
                    String component = text(body, "component", null);
                    if (component == null) throw new IllegalArgumentException("give \"component\", one of " + String.join(", ", run.componentNames()));
                    double rate = body.path("failure_rate").isMissingNode() ? Drill.DEFAULT_RATE : body.path("failure_rate").asDouble(-1);
                    long startIn = micros(text(body, "start_in", "0s"), "start_in", true);
                    long duration = micros(text(body, "duration", Drill.DEFAULT_DURATION), "duration", false);
                    new Drill(component, rate, startIn, duration); // the same checks as --inject
                    var made = run.command(now -> run.incidentJson(run.injectIncident(component, rate, now + startIn, duration).id()));
                    json(x, 201, made);
                } else if (path.startsWith("/incidents/") && method.equals("DELETE")) {
                    int id;
                    try {
                        id = Integer.parseInt(path.substring("/incidents/".length()));
                    } catch (NumberFormatException e) {
                        json(x, 404, java.util.Map.of("error", "no incident " + path.substring("/incidents/".length())));
                        return;
                    }
                    json(x, 200, run.command(now -> run.incidentJson(run.endIncident(id, now).id())));
                } else {
                    json(x, 405, java.util.Map.of("error", "GET or POST /incidents, DELETE /incidents/{id}"));
                }
            } catch (java.util.NoSuchElementException e) {
                json(x, 404, java.util.Map.of("error", e.getMessage()));
            } catch (IllegalArgumentException e) {
                var m = new java.util.LinkedHashMap<String, Object>();
                m.put("error", e.getMessage());
                m.put("known_components", run.componentNames());
                json(x, 400, m);
            } catch (IllegalStateException e) {
                json(x, 409, java.util.Map.of("error", e.getMessage()));
            }
        }
    }

    private void deployments(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("POST") || !x.getRequestURI().getPath().replaceAll("/+$", "").equals("/deployments")) {
                json(x, 405, java.util.Map.of("error", "POST /deployments"));
                return;
            }
            try {
                var body = body(x);
                String service = text(body, "service", null);
                if (service == null) throw new IllegalArgumentException("give \"service\", one of " + String.join(", ", run.serviceNames()));
                double boost = body.path("error_rate_boost").isMissingNode() ? 0.3 : body.path("error_rate_boost").asDouble(-1);
                double latency = body.path("latency_multiplier").isMissingNode() ? 1.5 : body.path("latency_multiplier").asDouble(-1);
                long startIn = micros(text(body, "start_in", "0s"), "start_in", true);
                long duration = micros(text(body, "duration", Drill.DEFAULT_DURATION), "duration", false);
                var windows = run.command(now -> run.injectDeployment(service, boost, latency, now + startIn, duration));
                var out = new java.util.ArrayList<Object>();
                for (DeploymentWindow w : windows) out.add(LiveGroundTruth.deployment(w, true));
                json(x, 201, java.util.Map.of("deployments", out));
            } catch (IllegalArgumentException e) {
                var m = new java.util.LinkedHashMap<String, Object>();
                m.put("error", e.getMessage());
                m.put("known_services", run.serviceNames());
                json(x, 400, m);
            } catch (IllegalStateException e) {
                json(x, 409, java.util.Map.of("error", e.getMessage()));
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode body(HttpExchange x) throws IOException {
        byte[] b = x.getRequestBody().readAllBytes();
        if (b.length == 0) return JSON.createObjectNode();
        try {
            var n = JSON.readTree(b);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode body, String field, String fallback) {
        var n = body.path(field);
        return n.isMissingNode() || n.isNull() ? fallback : n.asText();
    }

    private static long micros(String text, String field, boolean zeroOk) {
        if (zeroOk && text.trim().matches("0+[smhd]?")) return 0;
        return Scenario.parseDuration(text, field).toNanos() / 1000;
    }

    private static void json(HttpExchange x, int status, Object body) throws IOException {
        reply(x, status, "application/json", (JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8));
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
