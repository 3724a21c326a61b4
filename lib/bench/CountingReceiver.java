import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.zip.GZIPInputStream;

/**
 * An in-process ingest endpoint for benchmarks: decodes each body (gunzip, then the store's format via
 * {@code count}) and counts records, answering like the store ({@code status}, optional body). It measures the
 * importer, not a database.
 */
final class CountingReceiver implements AutoCloseable {
    private final HttpServer server;
    final AtomicLong records = new AtomicLong();
    final AtomicLong requests = new AtomicLong();

    CountingReceiver(String path, int status, byte[] answer, String answerType, ToLongFunction<byte[]> count) {
        try {
            server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext(path, ex -> handle(ex, status, answer, answerType, count));
        server.createContext("/metrics", ex -> {
            try (ex) {
                ex.sendResponseHeaders(404, -1);
            }
        });
        server.start();
    }

    private void handle(HttpExchange ex, int status, byte[] answer, String answerType, ToLongFunction<byte[]> count) throws IOException {
        try (ex) {
            InputStream in = ex.getRequestBody();
            if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) in = new GZIPInputStream(in, 1 << 16);
            byte[] body = in.readAllBytes();
            records.addAndGet(count.applyAsLong(body));
            requests.incrementAndGet();
            if (answer.length > 0) ex.getResponseHeaders().add("Content-Type", answerType);
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) ex.getResponseBody().write(answer);
        }
    }

    /** Newline-terminated lines in a body. */
    static long lines(byte[] body) {
        long n = 0;
        for (byte b : body) if (b == '\n') n++;
        return n;
    }

    /** Samples in a VictoriaMetrics import body: the numbers of every line's {@code "timestamps"} array. */
    static long samples(byte[] body) {
        byte[] key = "\"timestamps\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long n = 0;
        for (int i = 0; i + key.length <= body.length; i++) {
            if (body[i] != key[0] || !java.util.Arrays.equals(body, i, i + key.length, key, 0, key.length)) continue;
            int j = i + key.length;
            if (j < body.length && body[j] != ']') n++;
            for (; j < body.length && body[j] != ']'; j++) if (body[j] == ',') n++;
            i = j;
        }
        return n;
    }

    /** Spans in an OTLP/HTTP protobuf trace export request. */
    static long spans(byte[] body) {
        try {
            long n = 0;
            for (var rs : io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(body).getResourceSpansList())
                for (var ss : rs.getScopeSpansList()) n += ss.getSpansCount();
            return n;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    URI url() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
