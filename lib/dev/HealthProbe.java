import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Checks endpoints from the host, whoever started the services (compose, packages, a test). */
final class HealthProbe {
    /** What one probe found; {@code detail} is the answer or the reason it failed. */
    record Health(Endpoint endpoint, boolean ok, String detail, long millis) {}

    private final Duration timeout;
    private final HttpClient http;

    HealthProbe(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Probes all endpoints in parallel; results in the given order. */
    List<Health> checkAll(List<Endpoint> endpoints) {
        var futures = endpoints.stream().map(e -> CompletableFuture.supplyAsync(() -> check(e))).toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    Health check(Endpoint e) {
        long t0 = System.nanoTime();
        String detail;
        boolean ok;
        try {
            switch (e.probe()) {
                case HTTP_OK, HTTP_LISTENING -> {
                    var req = HttpRequest.newBuilder(URI.create(e.address())).timeout(timeout).GET().build();
                    var resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                    int code = resp.statusCode();
                    ok = e.probe() == Endpoint.Probe.HTTP_OK ? code / 100 == 2 : code < 500;
                    String body = resp.body().strip().replaceAll("\\s+", " ");
                    detail = "HTTP " + code + (body.isEmpty() ? "" : " " + (body.length() > 60 ? body.substring(0, 57) + "..." : body));
                }
                case POSTGRES -> {
                    int answer = postgresSslAnswer(e);
                    ok = answer == 'S' || answer == 'N';
                    detail = ok ? "PostgreSQL answers (SSL " + (answer == 'S' ? "on" : "off") + ")"
                            : answer < 0 ? "closed the connection without answering: not PostgreSQL"
                            : String.format("not PostgreSQL (answered 0x%02x to an SSLRequest)", answer);
                }
                case TCP -> {
                    try (var s = new Socket()) {
                        s.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
                    }
                    ok = true;
                    detail = "accepts connections";
                }
                default -> throw new IllegalStateException("unknown probe " + e.probe());
            }
        } catch (java.net.ConnectException ex) {
            ok = false;
            detail = "connection refused";
        } catch (java.net.http.HttpTimeoutException | java.net.SocketTimeoutException ex) {
            ok = false;
            detail = "no answer in " + timeout.toMillis() + " ms";
        } catch (IOException ex) {
            ok = false;
            detail = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            ok = false;
            detail = "interrupted";
        }
        return new Health(e, ok, detail, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The open-files limits of the given services that publish one, read from their metrics pages in parallel;
     * a service that does not answer or reports no limit is left out (its health row already says why).
     */
    List<OpenFilesLimit> openFilesLimits(List<DevService> services) {
        var futures = services.stream().filter(s -> s.metricsAddress() != null)
                .map(s -> CompletableFuture.supplyAsync(() -> openFilesLimit(s))).toList();
        return futures.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
    }

    private OpenFilesLimit openFilesLimit(DevService s) {
        String address = s.metricsAddress();
        try {
            var resp = http.send(HttpRequest.newBuilder(URI.create(address)).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() / 100 == 2 ? OpenFilesLimit.parse(s.name(), address, resp.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Sends the 8-byte SSLRequest every PostgreSQL server answers with one byte, 'S' or 'N'. */
    private int postgresSslAnswer(Endpoint e) throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write(new byte[] {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f});
            s.getOutputStream().flush();
            return s.getInputStream().read();
        }
    }

    /** The health table: one row per endpoint. */
    static String table(List<Health> results) {
        var sb = new StringBuilder();
        sb.append(String.format("  %-13s %-10s %-6s %-40s %s%n", "SERVICE", "ENDPOINT", "STATUS", "ADDRESS", "DETAIL"));
        for (Health h : results) {
            sb.append(String.format("  %-13s %-10s %-6s %-40s %s (%d ms)%n", h.endpoint().service(), h.endpoint().name(),
                    h.ok() ? "up" : "DOWN", h.endpoint().address(), h.detail(), h.millis()));
        }
        return sb.toString();
    }
}
