import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A Tempo stand-in as the kit meets it: the OTLP/HTTP receiver on one port (a {@link FakeStore} decoding the real
 * protobuf, answering 200 with an empty ExportTraceServiceResponse) and the HTTP API with {@code /metrics} on
 * another, like Tempo's 4318 and 3200. After answering, it discards the spans {@code discard} names a reason for,
 * as Tempo's ingesters do, and counts them as Tempo does: {@code tempo_distributor_spans_received_total{tenant}}
 * and {@code tempo_discarded_spans_total{reason,tenant}}, in the Prometheus text format. The page trails by one
 * reading (each read shows the counters as they were at the read before), as a real server's page can trail its
 * answers. Counters start at an earlier run's values, and another tenant has counters of its own.
 */
final class FakeTempo implements AutoCloseable {
    static final String TENANT = "single-tenant";
    static final String OTHER = "other-team";

    final ExportTempoTest.Received got = new ExportTempoTest.Received();
    final FakeStore otlp;
    private final HttpServer api;
    private final Function<Span, String> discard;
    private final long otherPerRequest;
    /** tenant -> spans received; tenant + "/" + reason -> spans discarded. Sorted: the page reads the same each time. */
    private final TreeMap<String, Long> received = new TreeMap<>(), discarded = new TreeMap<>();
    private final TreeMap<String, Long> discardedHere = new TreeMap<>();
    private String shown;

    /**
     * @param discard         the reason Tempo discards a span for, or null to keep it
     * @param otherPerRequest spans another tenant sends (and has discarded, one in four) with each of ours
     */
    FakeTempo(Function<Span, String> discard, long otherPerRequest) {
        this.discard = discard;
        this.otherPerRequest = otherPerRequest;
        received.put(TENANT, 250L);               // an earlier run's spans
        discarded.put(TENANT + "/rate_limited", 3L);
        received.put(OTHER, 1000L);
        discarded.put(OTHER + "/trace_too_large", 40L);
        shown = page();
        otlp = new FakeStore("/v1/traces", "unused", this::ingest, FakeStore.Faults.none());
        otlp.answer(ExportTraceServiceResponse.getDefaultInstance().toByteArray(), "application/x-protobuf");
        try {
            api = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        api.createContext("/metrics", this::metrics);
        api.start();
    }

    /** The OTLP receiver's base URL (export-tempo's --url). */
    URI url() { return otlp.url(); }

    /** The API's base URL (export-tempo's --tempo-metrics-url takes it or its /metrics). */
    URI apiUrl() { return URI.create("http://127.0.0.1:" + api.getAddress().getPort()); }

    /** Spans of ours discarded since the stand-in started, by reason. */
    synchronized Map<String, Long> discardedByReason() { return new TreeMap<>(discardedHere); }

    private int ingest(FakeStore.Request r) {
        int n = got.decode(r);
        ExportTraceServiceRequest req;
        try {
            req = ExportTraceServiceRequest.parseFrom(r.body());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        synchronized (this) {
            received.merge(TENANT, (long) n, Long::sum);
            for (ResourceSpans rs : req.getResourceSpansList())
                for (ScopeSpans ss : rs.getScopeSpansList())
                    for (Span s : ss.getSpansList()) {
                        String reason = discard.apply(s);
                        if (reason == null) continue;
                        discarded.merge(TENANT + "/" + reason, 1L, Long::sum);
                        discardedHere.merge(reason, 1L, Long::sum);
                    }
            if (otherPerRequest > 0) {
                received.merge(OTHER, otherPerRequest, Long::sum);
                discarded.merge(OTHER + "/live_traces_exceeded", otherPerRequest / 4, Long::sum);
            }
        }
        return n;
    }

    private synchronized String page() {
        var b = new StringBuilder();
        b.append("# HELP tempo_distributor_spans_received_total The total number of spans received per tenant\n");
        b.append("# TYPE tempo_distributor_spans_received_total counter\n");
        received.forEach((t, v) -> b.append("tempo_distributor_spans_received_total{tenant=\"").append(t).append("\"} ").append(v).append('\n'));
        b.append("# HELP tempo_discarded_spans_total The total number of samples that were discarded.\n");
        b.append("# TYPE tempo_discarded_spans_total counter\n");
        discarded.forEach((k, v) -> {
            int slash = k.indexOf('/');
            b.append("tempo_discarded_spans_total{reason=\"").append(k.substring(slash + 1)).append("\",tenant=\"")
                    .append(k, 0, slash).append("\"} ").append(v).append('\n');
        });
        return b.toString();
    }

    private void metrics(HttpExchange ex) throws IOException {
        try (ex) {
            String now = page();
            String answer;
            synchronized (this) {
                answer = shown;
                shown = now;
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        otlp.close();
        api.stop(0);
    }
}
