import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * An in-process store for importer tests: one ingest path whose (gunzipped) bodies go to a decoder that returns
 * how many records it took, a Prometheus /metrics page with the ingest counter, and optional faults drawn from a
 * seed: 429 with Retry-After, 500, connection resets (closed without an answer), slow answers. A faulted request
 * stores nothing, as a real server that refuses it.
 */
final class FakeStore implements AutoCloseable {
    /** Fault probabilities (0..1) and the delay of a slow answer. */
    record Faults(double tooMany, double serverError, double reset, double slow, int slowMillis, long seed) {
        static Faults none() { return new Faults(0, 0, 0, 0, 0, 1); }
    }

    /** What one accepted request carried; {@code headers} is case-insensitive. */
    record Request(String path, String query, String contentType, String contentEncoding, byte[] body,
                   com.sun.net.httpserver.Headers headers) {
        String header(String name) { return headers.getFirst(name); }
    }

    private final HttpServer server;
    private final String path;
    private final Function<Request, Integer> decoder;
    private final String counterName;
    private volatile Faults faults;
    private final SplittableRandom random;
    final AtomicLong ingested = new AtomicLong();
    final AtomicLong faulted = new AtomicLong();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile byte[] answer = new byte[0];
    private volatile String answerType = "text/plain";

    /**
     * @param path        ingest path (query ignored when matching)
     * @param counterName the /metrics series the ingested count is published under, e.g. vl_rows_ingested_total{type="jsonline"}
     * @param decoder     checks a request and returns the records it stores (may throw AssertionError: answered 400)
     */
    FakeStore(String path, String counterName, Function<Request, Integer> decoder, Faults faults) {
        this.path = path;
        this.decoder = decoder;
        this.counterName = counterName;
        this.faults = faults;
        this.random = new SplittableRandom(faults.seed());
        try {
            server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext(path, this::ingest);
        server.createContext("/metrics", this::metrics);
        server.start();
    }

    URI url() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    void faults(Faults f) { this.faults = f; }

    /** The body every successful ingest answer carries (e.g. an OTLP response). */
    void answer(byte[] body, String type) {
        this.answer = body;
        this.answerType = type;
    }

    private void ingest(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            Faults f = faults;
            double roll;
            synchronized (random) {
                roll = random.nextDouble();
            }
            if (roll < f.reset()) {
                faulted.incrementAndGet();
                return; // closed without an answer: the client sees the connection drop
            }
            roll -= f.reset();
            if (roll < f.tooMany()) {
                faulted.incrementAndGet();
                ex.getResponseHeaders().add("Retry-After", "1");
                ex.sendResponseHeaders(429, -1);
                return;
            }
            roll -= f.tooMany();
            if (roll < f.serverError()) {
                faulted.incrementAndGet();
                ex.sendResponseHeaders(500, -1);
                return;
            }
            roll -= f.serverError();
            if (roll < f.slow()) sleep(f.slowMillis());
            String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
            byte[] body = raw;
            if ("gzip".equals(enc)) {
                try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                    body = in.readAllBytes();
                }
            }
            var req = new Request(ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders().getFirst("Content-Type"), enc, body, new com.sun.net.httpserver.Headers(ex.getRequestHeaders()));
            int stored;
            try {
                stored = decoder.apply(req);
            } catch (AssertionError | RuntimeException e) {
                byte[] msg = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(400, msg.length);
                ex.getResponseBody().write(msg);
                requests.add(req);
                return;
            }
            requests.add(req);
            ingested.addAndGet(stored);
            byte[] a = answer;
            ex.getResponseHeaders().add("Content-Type", answerType);
            ex.sendResponseHeaders(200, a.length == 0 ? -1 : a.length);
            if (a.length > 0) ex.getResponseBody().write(a);
        }
    }

    private void metrics(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] page = ("# TYPE x counter\n" + counterName + " " + ingested.get() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
        }
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
