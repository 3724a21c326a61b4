import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver as the OpenTelemetry Collector's otlp receiver serves it: {@code POST /v1/logs},
 * {@code /v1/traces}, {@code /v1/metrics} with {@code application/x-protobuf} bodies (gzip or not), decoded into the
 * official opentelemetry-proto request messages; the answer is what {@code answers} says for the n-th request of a
 * path (an {@code Export*ServiceResponse}, with or without partial success, or a failure status with a
 * {@code google.rpc.Status} body). Only requests answered 2xx count as taken ({@link #taken}); every request is kept
 * with its headers ({@link #all}).
 */
final class FakeOtlp implements AutoCloseable {
    /** The answer to one request: its status, and for 2xx how many of its records it refuses and why. */
    record Answer(int status, long rejected, String message, String retryAfter) {
        static final Answer OK = new Answer(200, 0, "", null);

        static Answer refuse(long n, String why) { return new Answer(200, n, why, null); }

        static Answer fail(int status, String why) { return new Answer(status, 0, why, null); }
    }

    /** Chooses the answer to the n-th request (from 1) of a signal path, given its records and (gunzipped) body. */
    @FunctionalInterface
    interface Answers {
        Answer answer(String path, int n, long records, byte[] body);
    }

    /** One request as it arrived, decoded. */
    record Got(String path, com.sun.net.httpserver.Headers headers, String contentEncoding, byte[] body, Answer answer) {
        ExportLogsServiceRequest logs() { return parse(() -> ExportLogsServiceRequest.parseFrom(body)); }

        ExportTraceServiceRequest traces() { return parse(() -> ExportTraceServiceRequest.parseFrom(body)); }

        ExportMetricsServiceRequest metrics() { return parse(() -> ExportMetricsServiceRequest.parseFrom(body)); }

        boolean taken() { return answer.status() / 100 == 2; }
    }

    private interface Parse<T> {
        T get() throws IOException;
    }

    private static <T> T parse(Parse<T> p) {
        try {
            return p.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final HttpServer server;
    private final Answers answers;
    private final AtomicInteger logs = new AtomicInteger(), traces = new AtomicInteger(), metrics = new AtomicInteger();
    final List<Got> all = Collections.synchronizedList(new ArrayList<>());

    FakeOtlp(Answers answers) {
        this.answers = answers;
        try {
            server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        for (String path : List.of("/v1/logs", "/v1/traces", "/v1/metrics")) server.createContext(path, this::export);
        server.createContext("/", ex -> {
            try (ex) {
                ex.sendResponseHeaders(404, -1);
            }
        });
        server.start();
    }

    FakeOtlp() { this((path, n, records, body) -> Answer.OK); }

    URI url() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    /** The requests answered 2xx, in arrival order. */
    List<Got> taken() {
        synchronized (all) {
            return all.stream().filter(Got::taken).toList();
        }
    }

    private void export(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("POST") || !"application/x-protobuf".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
                ex.sendResponseHeaders(415, -1);
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
            if ("gzip".equals(enc)) {
                try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            long records;
            int n;
            switch (path) {
                case "/v1/logs" -> {
                    records = ExportLogsServiceRequest.parseFrom(body).getResourceLogsList().stream()
                            .flatMap(r -> r.getScopeLogsList().stream()).mapToLong(s -> s.getLogRecordsCount()).sum();
                    n = logs.incrementAndGet();
                }
                case "/v1/traces" -> {
                    records = ExportTraceServiceRequest.parseFrom(body).getResourceSpansList().stream()
                            .flatMap(r -> r.getScopeSpansList().stream()).mapToLong(s -> s.getSpansCount()).sum();
                    n = traces.incrementAndGet();
                }
                default -> {
                    records = points(ExportMetricsServiceRequest.parseFrom(body));
                    n = metrics.incrementAndGet();
                }
            }
            Answer a = answers.answer(path, n, records, body);
            all.add(new Got(path, new com.sun.net.httpserver.Headers(ex.getRequestHeaders()), enc, body, a));
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            if (a.retryAfter() != null) ex.getResponseHeaders().add("Retry-After", a.retryAfter());
            byte[] answer = a.status() / 100 == 2 ? response(path, a) : status(a.status(), a.message());
            ex.sendResponseHeaders(a.status(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) ex.getResponseBody().write(answer);
        }
    }

    /** Data points of a metrics request, as the receiver counts them. */
    static long points(ExportMetricsServiceRequest req) {
        long n = 0;
        for (var rm : req.getResourceMetricsList())
            for (var sm : rm.getScopeMetricsList())
                for (Metric m : sm.getMetricsList())
                    n += m.getGauge().getDataPointsCount() + m.getSum().getDataPointsCount() + m.getHistogram().getDataPointsCount();
        return n;
    }

    private static byte[] response(String path, Answer a) {
        if (a.rejected() == 0) return new byte[0]; // an empty Export*ServiceResponse: everything taken
        return switch (path) {
            case "/v1/logs" -> ExportLogsServiceResponse.newBuilder().setPartialSuccess(
                    io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess.newBuilder()
                            .setRejectedLogRecords(a.rejected()).setErrorMessage(a.message())).build().toByteArray();
            case "/v1/traces" -> ExportTraceServiceResponse.newBuilder().setPartialSuccess(
                    io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess.newBuilder()
                            .setRejectedSpans(a.rejected()).setErrorMessage(a.message())).build().toByteArray();
            default -> ExportMetricsServiceResponse.newBuilder().setPartialSuccess(
                    io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess.newBuilder()
                            .setRejectedDataPoints(a.rejected()).setErrorMessage(a.message())).build().toByteArray();
        };
    }

    /** A google.rpc.Status {code = 1, message = 2} as the Collector answers a failure, written field by field. */
    static byte[] status(int http, String message) {
        var bytes = new ByteArrayOutputStream();
        var out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt32(1, http == 400 ? 3 : http == 503 ? 14 : 13); // INVALID_ARGUMENT, UNAVAILABLE, INTERNAL
            out.writeString(2, message);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Every record taken, each as its resource's bytes followed by its own (metric points: name/unit, then the point). */
    List<ByteString> flatRecords(String path) {
        var out = new ArrayList<ByteString>();
        for (Got g : taken()) {
            if (!g.path().equals(path)) continue;
            switch (path) {
                case "/v1/logs" -> {
                    for (var rl : g.logs().getResourceLogsList())
                        for (var r : rl.getScopeLogs(0).getLogRecordsList()) out.add(rl.getResource().toByteString().concat(r.toByteString()));
                }
                case "/v1/traces" -> {
                    for (var rs : g.traces().getResourceSpansList())
                        for (var s : rs.getScopeSpans(0).getSpansList()) out.add(rs.getResource().toByteString().concat(s.toByteString()));
                }
                default -> {
                    for (var rm : g.metrics().getResourceMetricsList())
                        for (var m : rm.getScopeMetrics(0).getMetricsList())
                            for (var p : m.getGauge().getDataPointsList())
                                out.add(rm.getResource().toByteString().concat(ByteString.copyFromUtf8(m.getName() + "/" + m.getUnit())).concat(p.toByteString()));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
